/**
 * The queue's one table, `queue_jobs`, and its migrations. A subgraph that uses the queue spreads
 * `queueMigrations` into its own migrations; their keys start with `kit_queue_` so they never collide
 * with a subgraph's numbered ones, and the store applies them whatever their order among those.
 */
import type { Kysely, Migration } from 'kysely';

export const QUEUE_STATUSES = ['QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export interface QueueJobRow {
  id: string;
  /** Which handler runs it. */
  kind: string;
  /** JSON. */
  payload: string;
  status: QueueStatus;
  /** At most one job per key, ever: a second enqueue with the same key returns the first job. */
  idempotency_key: string | null;
  /** Claims so far, including the one running now. */
  attempts: number;
  max_attempts: number;
  /** ISO time from which it may be claimed (later after a transient failure). */
  run_at: string;
  /** The worker holding the lease, and until when; an expired lease may be claimed by another worker. */
  lease_owner: string | null;
  lease_expires_at: string | null;
  /** JSON of the handler's result once COMPLETED. */
  result: string | null;
  /** The last failure's message: the final error once FAILED, the last transient one while retrying. */
  error: string | null;
  created_at: string;
  updated_at: string;
  /** When the first claim started it. */
  started_at: string | null;
  finished_at: string | null;
}

export interface QueueDatabase {
  queue_jobs: QueueJobRow;
}

export const queueMigrations: Record<string, Migration> = {
  kit_queue_001_jobs: {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('queue_jobs')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('payload', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('idempotency_key', 'text', (column) => column.unique())
        .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (column) => column.notNull())
        .addColumn('run_at', 'text', (column) => column.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', 'text')
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .execute();
      // What a claim scans: queued jobs due by run_at, leased jobs by lease expiry.
      await db.schema.createIndex('queue_jobs_due').on('queue_jobs').columns(['status', 'run_at']).execute();
      await db.schema.createIndex('queue_jobs_leases').on('queue_jobs').columns(['status', 'lease_expires_at']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('queue_jobs').execute();
    },
  },
};
