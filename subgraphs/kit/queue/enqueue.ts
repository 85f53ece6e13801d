/**
 * Putting jobs on the queue and reading them back. Every function takes a Kysely instance or a
 * transaction of a database that has the queue's table, so a subgraph can enqueue in the same
 * transaction as its own writes (the outbox pattern: a webhook or a charge is recorded with the change
 * that causes it, or not at all).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { QueueDatabase, QueueJobRow } from './tables.ts';

/** Milliseconds since the epoch; injected so tests can move time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface EnqueueOptions {
  kind: string;
  /** Anything JSON can hold. */
  payload: unknown;
  /** The job's id; default a random UUID. A subgraph may use the id of its own record. */
  id?: string;
  /** A second enqueue with the same key creates nothing and returns the first job. */
  idempotencyKey?: string;
  /** Claims before a job that keeps failing transiently (or losing its lease) ends FAILED; default 5. */
  maxAttempts?: number;
  /** Not claimed before this time; default now. */
  runAt?: Date;
}

export interface EnqueuedJob {
  id: string;
  /** False when the idempotency key already named a job, which is the one returned. */
  created: boolean;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

// Kysely<DB> is invariant in DB: the queue reads its own table through a view of the subgraph's database.
function queueTables(db: Kysely<any>): Kysely<QueueDatabase> {
  return db as Kysely<QueueDatabase>;
}

export async function enqueue(database: Kysely<any>, options: EnqueueOptions, clock: Clock = systemClock): Promise<EnqueuedJob> {
  const db = queueTables(database);
  const now = new Date(clock.now()).toISOString();
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError(`maxAttempts must be a whole number of at least 1, got ${maxAttempts}`);
  const id = options.id ?? randomUUID();
  const inserted = await db
    .insertInto('queue_jobs')
    .values({
      id,
      kind: options.kind,
      payload: JSON.stringify(options.payload ?? null),
      status: 'QUEUED',
      idempotency_key: options.idempotencyKey ?? null,
      attempts: 0,
      max_attempts: maxAttempts,
      run_at: (options.runAt ?? new Date(clock.now())).toISOString(),
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return { id, created: true };
  const existing = await db
    .selectFrom('queue_jobs')
    .select('id')
    .where('idempotency_key', '=', options.idempotencyKey!)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** A job as the queue sees it, its JSON decoded. */
export interface QueueJob extends Omit<QueueJobRow, 'payload' | 'result'> {
  payload: unknown;
  result: unknown;
}

export function decodeJob(row: QueueJobRow): QueueJob {
  return { ...row, payload: JSON.parse(row.payload), result: row.result === null ? null : JSON.parse(row.result) };
}

export async function readQueueJob(database: Kysely<any>, id: string): Promise<QueueJob | undefined> {
  const row = await queueTables(database).selectFrom('queue_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && decodeJob(row);
}

export function isSettled(job: Pick<QueueJobRow, 'status'>): boolean {
  return job.status === 'COMPLETED' || job.status === 'FAILED';
}

export interface WaitOptions {
  /** Give up and return the job as it is after this long. */
  timeoutMs: number;
  /** How often to look; default 50 ms. */
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * Polls until the job is COMPLETED or FAILED, or the time is up; returns it as last read. Polling the
 * store, not an in-process event, because the worker that runs it is usually another process.
 */
export async function waitUntilSettled(
  database: Kysely<any>,
  id: string,
  { timeoutMs, pollMs = 50, signal }: WaitOptions,
): Promise<QueueJob | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await readQueueJob(database, id);
    if (!job || isSettled(job) || Date.now() >= deadline || signal?.aborted) return job;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}
