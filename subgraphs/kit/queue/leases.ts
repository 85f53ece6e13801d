/**
 * The queue's state changes, each one statement or one transaction of Kysely's builder, the same on SQLite
 * and Postgres:
 * - claim: one UPDATE of the due jobs chosen by a sub-select. On Postgres the sub-select takes its rows
 *   `FOR UPDATE SKIP LOCKED`, so workers on several machines claim disjoint jobs without waiting on each
 *   other; SQLite has one writer at a time, so the single statement is already exclusive.
 * - heartbeat, finish, retry: each matches the lease it holds (`lease_owner`), so a worker whose lease
 *   expired and was taken by another cannot overwrite that other's outcome.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { PostgresAdapter } from 'kysely';
import { decodeJob, type Clock, type QueueJob } from './enqueue.ts';
import type { QueueDatabase } from './tables.ts';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export interface ClaimOptions {
  kinds: readonly string[];
  /** Unique to this claim, so that a lease can only be renewed or settled by whoever took it. */
  owner: string;
  limit: number;
  leaseMs: number;
  clock: Clock;
}

/** Takes up to `limit` due jobs: queued ones whose time has come, and running ones whose lease expired. */
export async function claimJobs(database: Kysely<any>, { kinds, owner, limit, leaseMs, clock }: ClaimOptions): Promise<QueueJob[]> {
  const db = database as Kysely<QueueDatabase>;
  const now = iso(clock.now());
  const postgres = isPostgres(db);
  const due = db
    .selectFrom('queue_jobs')
    .select('id')
    .where('kind', 'in', [...kinds])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'QUEUED'), eb('run_at', '<=', now)]),
        eb.and([eb('status', '=', 'IN_PROGRESS'), eb('lease_expires_at', '<', now)]),
      ]),
    )
    .orderBy('run_at')
    .limit(limit)
    .$if(postgres, (query) => query.forUpdate().skipLocked());
  const rows = await db
    .updateTable('queue_jobs')
    .set((eb) => ({
      status: 'IN_PROGRESS',
      lease_owner: owner,
      lease_expires_at: iso(clock.now() + leaseMs),
      attempts: eb('attempts', '+', 1),
      started_at: eb.fn.coalesce('started_at', sql.lit(now)),
      updated_at: now,
    }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.map(decodeJob);
}

/** Extends the lease; false when it was lost (expired and taken by another claim). */
export async function renewLease(database: Kysely<any>, id: string, owner: string, leaseMs: number, clock: Clock): Promise<boolean> {
  const db = database as Kysely<QueueDatabase>;
  const result = await db
    .updateTable('queue_jobs')
    .set({ lease_expires_at: iso(clock.now() + leaseMs), updated_at: iso(clock.now()) })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'IN_PROGRESS')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export type Outcome =
  { status: 'COMPLETED'; result: unknown } | { status: 'FAILED'; error: string } | { status: 'QUEUED'; error: string; runAt: number };

/**
 * Records the outcome of the lease `owner` holds and, in the same transaction, runs `onSettled` when the
 * job reached its end, so what follows from the end (a webhook, a charge) is enqueued exactly when the end
 * is recorded. Returns the settled job, or undefined when the lease was lost and nothing was written.
 */
export async function settleLease(
  database: Kysely<any>,
  id: string,
  owner: string,
  outcome: Outcome,
  clock: Clock,
  onSettled?: (trx: Transaction<any>, job: QueueJob) => Promise<void>,
): Promise<QueueJob | undefined> {
  const db = database as Kysely<QueueDatabase>;
  const now = iso(clock.now());
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('queue_jobs')
      .set({
        status: outcome.status,
        lease_owner: null,
        lease_expires_at: null,
        updated_at: now,
        ...(outcome.status === 'COMPLETED' && { result: JSON.stringify(outcome.result ?? null), error: null, finished_at: now }),
        ...(outcome.status === 'FAILED' && { error: outcome.error, finished_at: now }),
        ...(outcome.status === 'QUEUED' && { error: outcome.error, run_at: iso(outcome.runAt) }),
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'IN_PROGRESS')
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    const job = decodeJob(row);
    if (outcome.status !== 'QUEUED') await onSettled?.(trx, job);
    return job;
  });
}
