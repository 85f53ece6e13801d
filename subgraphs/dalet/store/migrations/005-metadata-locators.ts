import { PostgresAdapter, type Kysely, type Migration } from 'kysely';
import { METADATA_EXAMPLES_SITE } from '../site/metadata-examples.ts';

function idType(db: Kysely<any>): 'serial' | 'integer' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'serial' : 'integer';
}

/**
 * Metadata values, table metadata rows, locators and group item metadata. Each value row belongs to exactly
 * one owner (an asset, a category, a locator or a table row) by a foreign key that cascades, so deleting the
 * owner deletes its metadata on SQLite and Postgres alike.
 */
export const metadataLocators: Migration = {
  async up(db: Kysely<any>) {
    const id = idType(db);
    await db.schema
      .createTable('locators')
      .addColumn('id', id, (column) => column.primaryKey())
      .addColumn('asset_id', 'integer', (column) => column.notNull().references('assets.id').onDelete('cascade'))
      .addColumn('type_id', 'text', (column) => column.notNull())
      .addColumn('timecode_in', 'text', (column) => column.notNull())
      .addColumn('timecode_out', 'text')
      .addColumn('in_ms', 'integer', (column) => column.notNull())
      .addColumn('out_ms', 'integer')
      .addColumn('last_modified_by', 'text', (column) => column.notNull())
      .addColumn('last_modified_at', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('locators_asset').on('locators').columns(['asset_id', 'type_id']).execute();
    await db.schema
      .createTable('table_metadata_rows')
      .addColumn('id', id, (column) => column.primaryKey())
      .addColumn('asset_id', 'integer', (column) => column.notNull().references('assets.id').onDelete('cascade'))
      .addColumn('table_name', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('table_metadata_rows_asset').on('table_metadata_rows').column('asset_id').execute();
    await db.schema
      .createTable('metadata_values')
      .addColumn('id', id, (column) => column.primaryKey())
      .addColumn('asset_id', 'integer', (column) => column.references('assets.id').onDelete('cascade'))
      .addColumn('category_id', 'integer', (column) => column.references('categories.id').onDelete('cascade'))
      .addColumn('locator_id', 'integer', (column) => column.references('locators.id').onDelete('cascade'))
      .addColumn('table_row_id', 'integer', (column) => column.references('table_metadata_rows.id').onDelete('cascade'))
      .addColumn('field_id', 'text', (column) => column.notNull())
      .addColumn('position', 'integer', (column) => column.notNull())
      .addColumn('value', 'text', (column) => column.notNull())
      .execute();
    for (const owner of ['asset_id', 'category_id', 'locator_id', 'table_row_id'])
      await db.schema.createIndex(`metadata_values_${owner}`).on('metadata_values').columns([owner, 'field_id']).execute();
    // The metadata filters of `assets` look values up by field and value.
    await db.schema.createIndex('metadata_values_field_value').on('metadata_values').columns(['field_id', 'value']).execute();
    await db.schema
      .createTable('group_item_metadata')
      .addColumn('group_item_id', 'integer', (column) => column.notNull().references('group_items.id').onDelete('cascade'))
      .addColumn('field', 'text', (column) => column.notNull())
      .addColumn('value', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('group_item_metadata_pk', ['group_item_id', 'field'])
      .execute();
    const rows = Object.entries(METADATA_EXAMPLES_SITE).flatMap(([kind, objects]) =>
      objects.map((object) => ({ kind, id: String(object.id ?? object.name), name: String(object.name), data: JSON.stringify(object) })),
    );
    await db.insertInto('configuration_objects').values(rows).execute();
  },
};
