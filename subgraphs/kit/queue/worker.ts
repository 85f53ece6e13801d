/**
 * A queue worker: claims due jobs of the kinds it has handlers for, runs up to `concurrency` at a time,
 * keeps each lease alive with a heartbeat while its handler runs, and records the outcome. A worker that
 * dies mid-job (even by SIGKILL) stops renewing its leases; once they expire, another claim takes the jobs
 * again. A job is therefore run at least once and recorded as finished exactly once: handlers must make
 * their own side effects safe to repeat, or leave them to `onSettled` (see leases.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { backoffDelayMs, type BackoffOptions } from './backoff.ts';
import { systemClock, type Clock, type QueueJob } from './enqueue.ts';
import { isTransient, TransientError } from './errors.ts';
import { claimJobs, renewLease, settleLease, type Outcome } from './leases.ts';

export interface JobContext {
  job: QueueJob;
  /** Aborted when the lease is lost or the job times out: stop work and throw. */
  signal: AbortSignal;
}

export type JobHandler = (payload: any, context: JobContext) => Promise<unknown>;

export interface WorkerOptions {
  db: Kysely<any>;
  /** One handler per job kind; the worker claims only these kinds. */
  handlers: Record<string, JobHandler>;
  /** Jobs run at once; default 1. */
  concurrency?: number;
  /** How long a claim holds a job without a heartbeat; default 30000 ms. */
  leaseMs?: number;
  /** How often a running job's lease is renewed; default a third of `leaseMs`. */
  heartbeatMs?: number;
  /** How often to look for work when there was none; default 200 ms. */
  pollMs?: number;
  /** A handler running longer fails transiently (and is retried); default 300000 ms. */
  jobTimeoutMs?: number;
  backoff?: BackoffOptions;
  clock?: Clock;
  log?: Logger;
  /** Names this worker in leases and logs; default a random id. */
  workerId?: string;
  /** Runs in the transaction that records a job COMPLETED or FAILED (e.g. to enqueue its webhook). */
  onSettled?: (trx: Transaction<any>, job: QueueJob) => Promise<void>;
}

export interface Worker {
  readonly workerId: string;
  /** Jobs whose handler is running now. */
  readonly running: number;
  start(): void;
  /** Look for work now instead of at the next poll. */
  wake(): void;
  /** Stops claiming and lets the running jobs finish and be recorded. Safe to call twice. */
  stop(): Promise<void>;
}

export function createWorker(options: WorkerOptions): Worker {
  const { db, handlers, onSettled, log } = options;
  const concurrency = options.concurrency ?? 1;
  const leaseMs = options.leaseMs ?? 30_000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(10, Math.floor(leaseMs / 3));
  const pollMs = options.pollMs ?? 200;
  const jobTimeoutMs = options.jobTimeoutMs ?? 300_000;
  const clock = options.clock ?? systemClock;
  const workerId = options.workerId ?? randomUUID();
  const kinds = Object.keys(handlers);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a whole number of at least 1, got ${concurrency}`);
  if (heartbeatMs >= leaseMs) throw new RangeError('heartbeatMs must be shorter than leaseMs, or leases expire between heartbeats');

  const inFlight = new Set<Promise<void>>();
  const stopController = new AbortController();
  let claims = 0;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let stopping: Promise<void> | undefined;

  const wake = () => wakeUp?.();

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  async function run(job: QueueJob, owner: string): Promise<void> {
    if (job.attempts > job.max_attempts) {
      // Its last allowed claim lost its lease (the worker died): give up rather than run it again.
      await settleLease(
        db,
        job.id,
        owner,
        { status: 'FAILED', error: `The worker running it stopped ${job.max_attempts} times` },
        clock,
        onSettled,
      );
      return;
    }
    const controller = new AbortController();
    let leaseLost = false;
    const heartbeat = setInterval(() => {
      renewLease(db, job.id, owner, leaseMs, clock).then(
        (held) => {
          if (held) return;
          leaseLost = true;
          controller.abort(new Error('lease lost'));
        },
        (error: unknown) => log?.warn({ err: error, jobId: job.id }, 'could not renew a lease'),
      );
    }, heartbeatMs);
    let timeout: NodeJS.Timeout | undefined;
    let outcome: Outcome;
    try {
      const timedOut = new Promise<never>((_resolve, reject) => {
        timeout = setTimeout(() => {
          controller.abort(new Error('timed out'));
          reject(new TransientError(`timed out after ${jobTimeoutMs} ms`));
        }, jobTimeoutMs);
      });
      const result = await Promise.race([handlers[job.kind]!(job.payload, { job, signal: controller.signal }), timedOut]);
      outcome = { status: 'COMPLETED', result };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retry = isTransient(error) && job.attempts < job.max_attempts;
      outcome = retry
        ? { status: 'QUEUED', error: message, runAt: clock.now() + backoffDelayMs(job.attempts, options.backoff) }
        : { status: 'FAILED', error: message };
      log?.[retry ? 'warn' : 'error'](
        { jobId: job.id, kind: job.kind, attempt: job.attempts, err: error },
        retry ? 'job failed, will retry' : 'job failed',
      );
    } finally {
      clearInterval(heartbeat);
      clearTimeout(timeout);
    }
    // Another claim holds the job now and records its own outcome.
    if (leaseLost) return;
    const settled = await settleLease(db, job.id, owner, outcome, clock, onSettled);
    if (!settled) log?.warn({ jobId: job.id }, 'lease lost before the outcome was recorded; another claim runs it');
  }

  function track(job: QueueJob, owner: string) {
    const running: Promise<void> = run(job, owner)
      .catch((error: unknown) =>
        log?.error({ err: error, jobId: job.id }, 'could not record a job outcome; its lease will expire and it runs again'),
      )
      .finally(() => {
        inFlight.delete(running);
        wake();
      });
    inFlight.add(running);
  }

  async function poll(): Promise<void> {
    while (!stopController.signal.aborted) {
      const free = concurrency - inFlight.size;
      let claimed = 0;
      if (free > 0) {
        const owner = `${workerId}/${++claims}`;
        try {
          const jobs = await claimJobs(db, { kinds, owner, limit: free, leaseMs, clock });
          for (const job of jobs) track(job, owner);
          claimed = jobs.length;
        } catch (error) {
          log?.error({ err: error }, 'could not claim jobs');
        }
      }
      if (stopController.signal.aborted) break;
      // A full batch means more may be due: look again at once.
      if (free > 0 && claimed === free) continue;
      await pause(pollMs);
    }
  }

  return {
    workerId,
    get running() {
      return inFlight.size;
    },
    start() {
      loop ??= poll();
    },
    wake,
    stop: () =>
      (stopping ??= (async () => {
        stopController.abort();
        wake();
        await loop;
        await Promise.all([...inFlight]);
      })()),
  };
}
