/**
 * The actions worker: what `npm run start:worker -- actions` runs. Two queue workers on the subgraph's
 * store: one runs action jobs (ACTIONS_WORKER_CONCURRENCY at a time), one delivers the outbox (webhooks,
 * charges). When an action job ends, its charge and its webhook are enqueued in the same transaction that
 * records the end, each under an idempotency key of the job's id: a job that ends once is charged once
 * and announced once, even when a worker died after running it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { createOutboundGuard } from '../kit/outbound/index.ts';
import { createWorker, enqueue, type Clock, type QueueJob } from '../kit/queue/index.ts';
import { createStorage, parseStorageSettings } from '../kit/storage/index.ts';
import { createArtifactStore } from './artifacts.ts';
import { createCatalogue } from './catalogue/index.ts';
import { createChargeSender, type Charge } from './charges.ts';
import { createFileReader } from './file-inputs.ts';
import { findJob } from './jobs.ts';
import type { Keyring } from './secret.ts';
import type { ActionsSettings } from './settings.ts';
import type { ActionsDatabase } from './store.ts';
import { createWebhookSender, type WebhookDelivery } from './webhooks.ts';

export interface ActionsWorkerOptions {
  db: Kysely<ActionsDatabase>;
  settings: ActionsSettings;
  /** The environment, for the kit storage's settings (S3_BUCKET, ...). */
  env: Readonly<Record<string, string | undefined>>;
  keyring: Keyring;
  identitySecret: string;
  dataDir: string;
  log: Logger;
  /** Billing's origin, for charges. */
  billingUrl: string | undefined;
  /** The origin artifact URLs point at: where the subgraph serves the filesystem storage's files. */
  publicUrl: string;
  clock?: Clock;
  /** How often the outbox worker looks for work; default 200 ms. */
  pollMs?: number;
}

/** Outbox deliveries are retried with backoff up to about a day: "until billing takes it". */
const CHARGE_MAX_ATTEMPTS = 300;
const WEBHOOK_MAX_ATTEMPTS = 8;
const SWEEP_INTERVAL_MS = 10 * 60_000;

export function createActionsWorker(options: ActionsWorkerOptions) {
  const { db, settings, keyring, log, clock } = options;
  const catalogue = createCatalogue({ checkMx: settings.emailVerifyMx });
  const guard = createOutboundGuard({ allowedHosts: settings.outboundAllowedHosts });
  const readFile = createFileReader({ guard, maxBytes: settings.inputMaxBytes });
  const storage = createStorage(parseStorageSettings(options.env, { dataDir: options.dataDir, publicUrl: options.publicUrl }));
  const artifacts = createArtifactStore({ db, storage, ttlSeconds: settings.artifactTtlSeconds, clock });
  const sendWebhook = createWebhookSender({ guard, keyring, timeoutMs: settings.webhookTimeoutMs });
  const sendCharge = createChargeSender({ billingUrl: options.billingUrl, identitySecret: options.identitySecret });

  async function runAction({ job_id }: { job_id: string }, { signal }: { signal: AbortSignal }) {
    const job = await db.selectFrom('jobs').select(['action_id', 'request']).where('id', '=', job_id).executeTakeFirstOrThrow();
    const action = catalogue.byId.get(job.action_id);
    if (!action) throw new Error(`The action ${job.action_id} is no longer in the catalogue`);
    return action.run(JSON.parse(job.request), {
      readFile,
      saveArtifact: (bytes, contentType) => artifacts.save(job_id, bytes, contentType),
      signal,
    });
  }

  /** In the transaction that records an action job's end: its quantity, its charge, its webhook. */
  async function afterActionJob(trx: Transaction<any>, settled: QueueJob) {
    const tx = trx as Transaction<ActionsDatabase>;
    const row = await tx.selectFrom('jobs').selectAll().where('id', '=', settled.id).executeTakeFirstOrThrow();
    const action = catalogue.byId.get(row.action_id);
    const startedAt = Date.parse(settled.started_at ?? settled.created_at);
    const durationMs = Math.max(0, Date.parse(settled.finished_at ?? settled.updated_at) - startedAt);
    await tx.updateTable('jobs').set({ duration_ms: durationMs }).where('id', '=', row.id).execute();
    if (settled.status === 'COMPLETED' && action) {
      const quantity = Math.max(1, Math.round(action.quantity?.(JSON.parse(row.request), settled.result) ?? 1));
      await tx
        .updateTable('jobs')
        .set({ billing_request_quantity: quantity, cost_minor: quantity * row.unit_price_minor })
        .where('id', '=', row.id)
        .execute();
      const charge: Charge = {
        id: row.id,
        project_id: row.project_id,
        action_id: row.action_id,
        action_name: action.name,
        unit_name: action.cost_unit,
        unit_price_minor: row.unit_price_minor,
        quantity,
        amount_minor: quantity * row.unit_price_minor,
        currency: 'USD',
        occurred_at: settled.finished_at ?? new Date().toISOString(),
      };
      await enqueue(tx, { kind: 'charge', payload: charge, idempotencyKey: `charge:${row.id}`, maxAttempts: CHARGE_MAX_ATTEMPTS }, clock);
    }
    if (row.webhook_url) {
      const view = await findJob(tx, row.id);
      const delivery: WebhookDelivery = {
        url: row.webhook_url,
        project_id: row.project_id,
        message_id: `msg_${row.id}`,
        body: { type: settled.status === 'COMPLETED' ? 'job.completed' : 'job.failed', timestamp: new Date().toISOString(), data: view },
      };
      await enqueue(
        tx,
        { kind: 'webhook', payload: delivery, idempotencyKey: `webhook:${row.id}`, maxAttempts: WEBHOOK_MAX_ATTEMPTS },
        clock,
      );
    }
  }

  const actionWorker = createWorker({
    db,
    handlers: { action: runAction },
    concurrency: settings.workerConcurrency,
    leaseMs: settings.leaseMs,
    jobTimeoutMs: settings.jobTimeoutMs,
    backoff: { baseMs: 1000, capMs: 60_000 },
    pollMs: options.pollMs,
    clock,
    log,
    onSettled: async (trx, job) => {
      if (job.kind === 'action') await afterActionJob(trx, job);
    },
  });
  const outboxWorker = createWorker({
    db,
    handlers: { webhook: sendWebhook, charge: sendCharge },
    concurrency: 4,
    leaseMs: 30_000,
    jobTimeoutMs: 60_000,
    backoff: { baseMs: 1000, capMs: 300_000 },
    pollMs: options.pollMs,
    clock,
    log,
  });

  let sweeper: NodeJS.Timeout | undefined;
  return {
    artifacts,
    start() {
      actionWorker.start();
      outboxWorker.start();
      const sweep = () => artifacts.sweep().catch((error: unknown) => log.error({ err: error }, 'could not sweep artifacts'));
      void sweep();
      sweeper = setInterval(sweep, SWEEP_INTERVAL_MS);
      sweeper.unref();
    },
    async stop() {
      clearInterval(sweeper);
      await Promise.all([actionWorker.stop(), outboxWorker.stop()]);
      await guard.close();
      await storage.close();
    },
  };
}
