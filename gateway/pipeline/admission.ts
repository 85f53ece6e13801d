/**
 * What the gateway decides about an operation before it runs it, beyond the rate limits: which document runs
 * (persisted-documents.ts, a stage of the pipeline) and what it may cost (demand-control/, a stage inside
 * Apollo Server), wired to their configuration, their metrics and the served supergraph's cost directives.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DemandControlConfig, PersistedDocumentsConfig } from '../config.ts';
import type { GatewayContext } from '../execution/subgraph-data-source.ts';
import { createAdmissionMetrics } from '../metrics/admission-metrics.ts';
import { NO_COST_DIRECTIVES, readCostDirectives } from './demand-control/cost-directives.ts';
import { demandControlPlugin } from './demand-control/demand-control.ts';
import type { Stage } from './pipeline.ts';
import { createPersistedDocuments } from './persisted-documents.ts';
import type { RateLimits } from './rate-limit.ts';

export interface AdmissionOptions {
  persistedDocuments: PersistedDocumentsConfig;
  demandControl: DemandControlConfig;
  /** Where cost budgets are charged: the rate limits' counters. */
  rateLimits: Pick<RateLimits, 'chargeCost'>;
  registry: Registry;
  logger: Logger;
}

export interface Admission {
  resolvePersistedDocuments: Stage;
  demandControl: ApolloServerPlugin<GatewayContext>;
  /** Reads the cost directives of a supergraph about to be served. */
  useSupergraph(supergraph: DocumentNode): void;
  /** Stops watching the manifest. */
  close(): void;
}

export function createAdmission({ persistedDocuments, demandControl, rateLimits, registry, logger }: AdmissionOptions): Admission {
  const metrics = createAdmissionMetrics(registry);
  let costDirectives = NO_COST_DIRECTIVES;
  const documents = createPersistedDocuments({
    ...persistedDocuments,
    logger: logger.child({ component: 'persisted-documents' }),
    onOutcome: metrics.persistedDocument,
    onManifestReload: metrics.manifestReloaded,
  });
  return {
    resolvePersistedDocuments: documents.resolveDocuments,
    demandControl: demandControlPlugin({
      ...demandControl,
      directives: () => costDirectives,
      chargeBudget: rateLimits.chargeCost,
      logger: logger.child({ component: 'demand-control' }),
      onEstimated: metrics.costEstimated,
      onActual: metrics.costMeasured,
      onRefused: metrics.costRefused,
    }),
    useSupergraph: (supergraph) => (costDirectives = readCostDirectives(supergraph)),
    close: documents.close,
  };
}
