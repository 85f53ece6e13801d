/** The durable job queue: see README.md. */
export { enqueue, readQueueJob, waitUntilSettled, isSettled, systemClock, DEFAULT_MAX_ATTEMPTS } from './enqueue.ts';
export type { Clock, EnqueueOptions, EnqueuedJob, QueueJob, WaitOptions } from './enqueue.ts';
export { TransientError, isTransient } from './errors.ts';
export { backoffDelayMs, type BackoffOptions } from './backoff.ts';
export { queueMigrations, QUEUE_STATUSES, type QueueDatabase, type QueueJobRow, type QueueStatus } from './tables.ts';
export { createWorker, type JobContext, type JobHandler, type Worker, type WorkerOptions } from './worker.ts';
