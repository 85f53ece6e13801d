import type { Kysely, Migration } from 'kysely';
import { queueMigrations, type QueueDatabase } from '../kit/queue/index.ts';

/**
 * A job of an action in a project. Its progress (status, times, response, error) lives in the queue's row
 * of the same id, so there is one source of truth for where it stands.
 */
export interface JobRow {
  id: string;
  action_id: string;
  project_id: string;
  /** JSON: the validated payload. */
  request: string;
  webhook_url: string | null;
  /** Who ran it: `user:<id>` or `apiKey:<id>`. */
  created_by: string;
  /** What the job costs once COMPLETED: the action's price in cents per unit, and the units. */
  unit_price_minor: number;
  billing_request_quantity: number | null;
  /** Set when it ends, so statistics sum and average in SQL on both engines: run time, and cost in cents. */
  duration_ms: number | null;
  cost_minor: number | null;
  created_at: string;
}

export interface ActionRatingRow {
  id: string;
  action_id: string;
  user_id: string;
  rating: number;
  comment: string | null;
  created_at: string;
  updated_at: string;
}

/** A file an action wrote, deleted by the sweeper after `expires_at`. */
export interface ArtifactRow {
  key: string;
  job_id: string;
  content_type: string;
  bytes: number;
  created_at: string;
  expires_at: string;
}

export interface ActionsDatabase extends QueueDatabase {
  jobs: JobRow;
  action_ratings: ActionRatingRow;
  artifacts: ArtifactRow;
}

export const migrations: Record<string, Migration> = {
  ...queueMigrations,
  '001_jobs_ratings_artifacts': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('action_id', 'text', (column) => column.notNull())
        .addColumn('project_id', 'text', (column) => column.notNull())
        .addColumn('request', 'text', (column) => column.notNull())
        .addColumn('webhook_url', 'text')
        .addColumn('created_by', 'text', (column) => column.notNull())
        .addColumn('unit_price_minor', 'integer', (column) => column.notNull())
        .addColumn('billing_request_quantity', 'integer')
        .addColumn('duration_ms', 'integer')
        .addColumn('cost_minor', 'integer')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('jobs_project_created').on('jobs').columns(['project_id', 'created_at']).execute();
      await db.schema.createIndex('jobs_action_created').on('jobs').columns(['action_id', 'created_at']).execute();
      await db.schema
        .createTable('action_ratings')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('action_id', 'text', (column) => column.notNull())
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('rating', 'integer', (column) => column.notNull())
        .addColumn('comment', 'text')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .addUniqueConstraint('action_ratings_one_per_user', ['action_id', 'user_id'])
        .execute();
      await db.schema.createIndex('action_ratings_user').on('action_ratings').column('user_id').execute();
      await db.schema
        .createTable('artifacts')
        .addColumn('key', 'text', (column) => column.primaryKey())
        .addColumn('job_id', 'text', (column) => column.notNull())
        .addColumn('content_type', 'text', (column) => column.notNull())
        .addColumn('bytes', 'integer', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('artifacts_expiry').on('artifacts').column('expires_at').execute();
    },
  },
};
