import type { Kysely, Migration } from 'kysely';

/** One billable amount, e.g. the cost of a finished job, in US dollars. */
export interface ChargeRow {
  id: string;
  project_id: string;
  amount: number;
  description: string;
  created_at: string;
}

export interface BillingDatabase {
  charges: ChargeRow;
}

export const migrations: Record<string, Migration> = {
  '001_charges': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('charges')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) => column.notNull())
        .addColumn('amount', 'real', (column) => column.notNull())
        .addColumn('description', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('charges_project_created').on('charges').columns(['project_id', 'created_at']).execute();
    },
  },
};
