/**
 * The metrics of what the gateway decides about an operation before it runs it: persisted documents
 * (pipeline/persisted-documents.ts) and demand control (pipeline/demand-control/), in the gateway's registry.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { CostRefusal } from '../pipeline/demand-control/demand-control.ts';
import { PERSISTED_DOCUMENT_OUTCOMES, type PersistedDocumentOutcome } from '../pipeline/persisted-documents.ts';
import type { ManifestReload } from '../pipeline/persisted-manifest.ts';

export interface AdmissionMetrics {
  persistedDocument(outcome: PersistedDocumentOutcome): void;
  manifestReloaded(result: ManifestReload): void;
  costEstimated(cost: number): void;
  costMeasured(cost: number): void;
  costRefused(reason: CostRefusal, enforced: boolean): void;
}

/** Costs span a few units to millions: powers of 10 and their halves. */
const COST_BUCKETS = [1, 5, 10, 50, 100, 500, 1_000, 5_000, 10_000, 50_000, 100_000, 1_000_000];

export function createAdmissionMetrics(registry: Registry): AdmissionMetrics {
  const registers = [registry];
  const persisted = new Counter({
    name: 'gateway_persisted_documents_total',
    help: 'Requests by what became of their document: hit (manifest), apq_hit, registered (APQ), unknown_id, free_text_unknown (logged), free_text_refused',
    labelNames: ['outcome'],
    registers,
  });
  const manifestReloads = new Counter({
    name: 'gateway_persisted_documents_reloads_total',
    help: 'Reloads of the persisted-documents manifest: success, failure (the last good manifest is kept)',
    labelNames: ['result'],
    registers,
  });
  const estimated = new Histogram({
    name: 'gateway_operation_cost_estimated',
    help: 'Estimated cost of each operation',
    buckets: COST_BUCKETS,
    registers,
  });
  const actual = new Histogram({
    name: 'gateway_operation_cost_actual',
    help: 'Actual cost of each answer, from its shape',
    buckets: COST_BUCKETS,
    registers,
  });
  const refused = new Counter({
    name: 'gateway_cost_rejections_total',
    help: 'Operations over a cost limit: reason max_cost, budget, slicing; enforced false in measure mode (let through)',
    labelNames: ['reason', 'enforced'],
    registers,
  });
  for (const outcome of PERSISTED_DOCUMENT_OUTCOMES) persisted.inc({ outcome }, 0);
  for (const result of ['success', 'failure'] satisfies ManifestReload[]) manifestReloads.inc({ result }, 0);
  return {
    persistedDocument: (outcome) => persisted.inc({ outcome }),
    manifestReloaded: (result) => manifestReloads.inc({ result }),
    costEstimated: (cost) => estimated.observe(cost),
    costMeasured: (cost) => actual.observe(cost),
    costRefused: (reason, enforced) => refused.inc({ reason, enforced: String(enforced) }),
  };
}
