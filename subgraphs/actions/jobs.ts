/**
 * Reading jobs: a job's own row joined with its queue row, where its progress is, and the shape the API
 * and webhooks give it.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { ActionsDatabase } from './store.ts';

export interface JobView {
  id: string;
  action_id: string;
  project_id: string;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  request: unknown;
  response: unknown;
  error_message: string | null;
  created_at: string;
  billing_request_cost: number | null;
  billing_request_quantity: number | null;
}

/** The joined columns every job read selects. */
export function selectJobs(db: Kysely<ActionsDatabase>) {
  return db
    .selectFrom('jobs')
    .innerJoin('queue_jobs', 'queue_jobs.id', 'jobs.id')
    .select([
      'jobs.id',
      'jobs.action_id',
      'jobs.project_id',
      'jobs.request',
      'jobs.created_at',
      'jobs.unit_price_minor',
      'jobs.billing_request_quantity',
      'queue_jobs.status',
      'queue_jobs.started_at',
      'queue_jobs.finished_at',
      'queue_jobs.result',
      'queue_jobs.error',
    ]);
}

export type JobRecord = Awaited<ReturnType<ReturnType<typeof selectJobs>['executeTakeFirstOrThrow']>>;
export type JobQuery = SelectQueryBuilder<any, any, JobRecord>;

export function toJobView(record: JobRecord): JobView {
  const completed = record.status === 'COMPLETED';
  const quantity = completed ? record.billing_request_quantity : null;
  return {
    id: record.id,
    action_id: record.action_id,
    project_id: record.project_id,
    status: record.status,
    started_at: record.started_at,
    finished_at: record.finished_at,
    request: JSON.parse(record.request),
    response: completed && record.result !== null ? JSON.parse(record.result) : null,
    // While a transient failure is being retried, the job is QUEUED again and shows no error yet.
    error_message: record.status === 'FAILED' ? record.error : null,
    created_at: record.created_at,
    billing_request_cost: quantity === null ? null : (quantity * record.unit_price_minor) / 100,
    billing_request_quantity: quantity,
  };
}

export async function findJob(db: Kysely<ActionsDatabase>, id: string): Promise<JobView | undefined> {
  const record = await selectJobs(db).where('jobs.id', '=', id).executeTakeFirst();
  return record && toJobView(record);
}
