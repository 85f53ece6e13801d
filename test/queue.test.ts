import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimJobs } from '../subgraphs/kit/queue/leases.ts';
import {
  createWorker,
  enqueue,
  queueMigrations,
  readQueueJob,
  TransientError,
  waitUntilSettled,
  type QueueDatabase,
  type Worker,
} from '../subgraphs/kit/queue/index.ts';
import { openStore, type Store } from '../subgraphs/kit/store.ts';

let dataDir: string;
let store: Store<QueueDatabase>;
let db: Kysely<QueueDatabase>;
const workers: Worker[] = [];

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'queue-test-'));
  store = await openStore<QueueDatabase>({ name: 'queue', dataDir, migrations: queueMigrations });
  db = store.db;
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function started(options: Omit<Parameters<typeof createWorker>[0], 'db'>): Worker {
  const worker = createWorker({ db, pollMs: 10, ...options });
  workers.push(worker);
  worker.start();
  return worker;
}

describe('the durable queue on SQLite', () => {
  it('runs a job through its handler and keeps its result', async () => {
    const { id } = await enqueue(db, { kind: 'double', payload: { n: 21 } });
    expect((await readQueueJob(db, id))?.status).toBe('QUEUED');
    started({ handlers: { double: async (payload: { n: number }) => ({ n: payload.n * 2 }) } });
    const job = await waitUntilSettled(db, id, { timeoutMs: 5000 });
    expect(job).toMatchObject({ status: 'COMPLETED', result: { n: 42 }, attempts: 1, error: null, lease_owner: null });
    expect(job?.started_at).toBeTruthy();
    expect(job?.finished_at).toBeTruthy();
  });

  it('creates one job per idempotency key', async () => {
    const first = await enqueue(db, { kind: 'charge', payload: { amount: 1 }, idempotencyKey: 'charge:job-1' });
    const second = await enqueue(db, { kind: 'charge', payload: { amount: 2 }, idempotencyKey: 'charge:job-1' });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    expect(await db.selectFrom('queue_jobs').select('id').execute()).toHaveLength(1);
  });

  it('retries a transient failure with backoff, then completes', async () => {
    const { id } = await enqueue(db, { kind: 'flaky', payload: null, maxAttempts: 4 });
    let calls = 0;
    started({
      handlers: {
        flaky: async () => {
          calls += 1;
          if (calls < 3) throw new TransientError(`try ${calls} failed`);
          return 'done';
        },
      },
      backoff: { baseMs: 20, capMs: 40 },
    });
    const job = await waitUntilSettled(db, id, { timeoutMs: 5000 });
    expect(job).toMatchObject({ status: 'COMPLETED', result: 'done', attempts: 3, error: null });
  });

  it('ends FAILED with the last error when transient failures use up the attempts', async () => {
    const { id } = await enqueue(db, { kind: 'down', payload: null, maxAttempts: 2 });
    started({
      handlers: {
        down: async () => {
          throw new TransientError('still down');
        },
      },
      backoff: { baseMs: 1, capMs: 1 },
    });
    expect(await waitUntilSettled(db, id, { timeoutMs: 5000 })).toMatchObject({ status: 'FAILED', error: 'still down', attempts: 2 });
  });

  it('ends FAILED at once on a permanent failure', async () => {
    const { id } = await enqueue(db, { kind: 'bad', payload: null });
    started({
      handlers: {
        bad: async () => {
          throw new Error('cannot parse the input');
        },
      },
    });
    expect(await waitUntilSettled(db, id, { timeoutMs: 5000 })).toMatchObject({
      status: 'FAILED',
      error: 'cannot parse the input',
      attempts: 1,
    });
  });

  it('does not claim a job before its run_at', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const clock = { now: () => now };
    const { id } = await enqueue(db, { kind: 'later', payload: null, runAt: new Date(now + 60_000) }, clock);
    expect(await claimJobs(db, { kinds: ['later'], owner: 'a', limit: 5, leaseMs: 1000, clock })).toHaveLength(0);
    now += 60_000;
    expect((await claimJobs(db, { kinds: ['later'], owner: 'a', limit: 5, leaseMs: 1000, clock })).map((job) => job.id)).toEqual([id]);
  });

  it('claims a job again once its lease expired, and ignores the outcome of the lost lease', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const clock = { now: () => now };
    const { id } = await enqueue(db, { kind: 'work', payload: null }, clock);
    // A worker that died holding the job: claimed, never renewed.
    expect(await claimJobs(db, { kinds: ['work'], owner: 'dead', limit: 1, leaseMs: 1000, clock })).toHaveLength(1);
    expect(await claimJobs(db, { kinds: ['work'], owner: 'other', limit: 1, leaseMs: 1000, clock })).toHaveLength(0);
    now += 1001;
    const runs: string[] = [];
    started({ handlers: { work: async (_payload, { job }) => runs.push(job.lease_owner!) }, clock });
    expect(await waitUntilSettled(db, id, { timeoutMs: 5000 })).toMatchObject({ status: 'COMPLETED', attempts: 2 });
    expect(runs).toHaveLength(1);
  });

  it('fails a job whose last allowed lease expired instead of running it again', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const clock = { now: () => now };
    const { id } = await enqueue(db, { kind: 'work', payload: null, maxAttempts: 1 }, clock);
    await claimJobs(db, { kinds: ['work'], owner: 'dead', limit: 1, leaseMs: 1000, clock });
    now += 1001;
    let runs = 0;
    started({ handlers: { work: async () => (runs += 1) }, clock });
    const job = await waitUntilSettled(db, id, { timeoutMs: 5000 });
    expect(job?.status).toBe('FAILED');
    expect(job?.error).toMatch(/stopped 1 times/);
    expect(runs).toBe(0);
  });

  it('keeps a long job leased with heartbeats, so no other worker takes it', async () => {
    const { id } = await enqueue(db, { kind: 'slow', payload: null });
    let runs = 0;
    const handler = async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 400));
      return runs;
    };
    started({ handlers: { slow: handler }, leaseMs: 100, heartbeatMs: 20 });
    started({ handlers: { slow: handler }, leaseMs: 100, heartbeatMs: 20 });
    expect(await waitUntilSettled(db, id, { timeoutMs: 5000 })).toMatchObject({ status: 'COMPLETED', attempts: 1 });
    expect(runs).toBe(1);
  });

  it('records COMPLETED and what onSettled writes in one transaction', async () => {
    const { id } = await enqueue(db, { kind: 'main', payload: null });
    started({
      handlers: { main: async () => 'ok' },
      onSettled: async (trx, job) => {
        await enqueue(trx, { kind: 'follow-up', payload: { of: job.id }, idempotencyKey: `follow-up:${job.id}` });
      },
    });
    await waitUntilSettled(db, id, { timeoutMs: 5000 });
    const followUps = await db.selectFrom('queue_jobs').select(['kind', 'payload']).where('kind', '=', 'follow-up').execute();
    expect(followUps).toEqual([{ kind: 'follow-up', payload: JSON.stringify({ of: id }) }]);
  });

  it('runs up to `concurrency` jobs at once', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map(async (n) => (await enqueue(db, { kind: 'sleep', payload: n })).id));
    let running = 0;
    let most = 0;
    started({
      concurrency: 2,
      handlers: {
        sleep: async () => {
          most = Math.max(most, ++running);
          await new Promise((resolve) => setTimeout(resolve, 50));
          running -= 1;
        },
      },
    });
    for (const id of ids) expect((await waitUntilSettled(db, id, { timeoutMs: 5000 }))?.status).toBe('COMPLETED');
    expect(most).toBe(2);
  });
});
