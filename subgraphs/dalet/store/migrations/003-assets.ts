import { PostgresAdapter, type Kysely, type Migration } from 'kysely';
import { ASSET_EXAMPLE_DATA_FIELDS } from '../site/asset-examples.ts';
import { SIMPLE_ASSET_TYPES } from '../site/asset-types.ts';

function idType(db: Kysely<any>): 'serial' | 'integer' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'serial' : 'integer';
}

/**
 * Assets, one row each whatever their implementation (`asset_kind`: VideoAsset, ClipAsset...), and their
 * links to categories other than the primary one (a running order's links carry the asset's sequence);
 * the site's simple asset types (Video, Audio, Clip, Group...), which no configuration query lists; and the
 * data fields the doc's Assets examples name.
 */
export const assets: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('assets')
      .addColumn('id', idType(db), (column) => column.primaryKey())
      .addColumn('asset_kind', 'text', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('item_code', 'text', (column) => column.notNull())
      .addColumn('asset_type_kind', 'text', (column) => column.notNull())
      .addColumn('asset_type_id', 'text', (column) => column.notNull())
      .addColumn('status_id', 'text', (column) => column.notNull())
      .addColumn('status_comment', 'text')
      .addColumn('primary_category_id', 'integer', (column) => column.notNull().references('categories.id'))
      .addColumn('parent_asset_id', 'integer', (column) => column.references('assets.id').onDelete('set null'))
      .addColumn('timecode_in_ms', 'integer')
      .addColumn('timecode_out_ms', 'integer')
      .addColumn('timecode_standard', 'text')
      .addColumn('duration_seconds', 'real')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('created_by_user_id', 'integer', (column) => column.references('users.id').onDelete('set null'))
      .addColumn('last_modified_at', 'text', (column) => column.notNull())
      .addColumn('last_modified_by_user_id', 'integer', (column) => column.references('users.id').onDelete('set null'))
      .addColumn('record_date', 'text')
      .addColumn('start_date', 'text')
      .addColumn('end_date', 'text')
      .addColumn('kill_date', 'text')
      .addColumn('keep_date', 'text')
      .execute();
    await db.schema.createIndex('assets_primary_category').on('assets').column('primary_category_id').execute();
    await db.schema.createIndex('assets_item_code').on('assets').column('item_code').execute();
    await db.schema.createIndex('assets_parent').on('assets').column('parent_asset_id').execute();
    await db.schema
      .createTable('asset_category_links')
      .addColumn('asset_id', 'integer', (column) => column.notNull().references('assets.id').onDelete('cascade'))
      .addColumn('category_id', 'integer', (column) => column.notNull().references('categories.id').onDelete('cascade'))
      .addColumn('sequence', 'integer')
      .addColumn('linked_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('asset_category_links_pk', ['asset_id', 'category_id'])
      .execute();
    await db.schema.createIndex('asset_category_links_category').on('asset_category_links').column('category_id').execute();
    await db
      .insertInto('configuration_objects')
      .values([
        ...SIMPLE_ASSET_TYPES.map((type) => ({ kind: 'simpleAssetTypes', id: type.id, name: type.name, data: JSON.stringify(type) })),
        ...ASSET_EXAMPLE_DATA_FIELDS.map((field) => ({ kind: 'dataFields', id: field.id, name: field.name, data: JSON.stringify(field) })),
      ])
      .execute();
  },
};
