import type { Kysely, Migration } from 'kysely';
import { SITE } from '../site/index.ts';

export const siteConfiguration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('configuration_objects')
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('id', 'text', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('data', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('configuration_objects_pk', ['kind', 'id'])
      .execute();
    const rows = Object.entries(SITE).flatMap(([kind, objects]) =>
      // Kinds without ids in the doc (data field types, table types) are keyed by name.
      objects.map((object) => ({ kind, id: String(object.id ?? object.name), name: String(object.name), data: JSON.stringify(object) })),
    );
    await db.insertInto('configuration_objects').values(rows).execute();
  },
};
