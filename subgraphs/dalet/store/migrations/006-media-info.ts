import { PostgresAdapter, type Kysely, type Migration } from 'kysely';

function idType(db: Kysely<any>): 'serial' | 'integer' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'serial' : 'integer';
}

/** Media infos: one media object of an asset, a file of a configured format in a configured storage unit. */
export const mediaInfo: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('media_infos')
      .addColumn('id', idType(db), (column) => column.primaryKey())
      .addColumn('asset_id', 'integer', (column) => column.notNull().references('assets.id').onDelete('cascade'))
      .addColumn('format_id', 'text', (column) => column.notNull())
      .addColumn('storage_unit_id', 'text', (column) => column.notNull())
      .addColumn('media_kind', 'text', (column) => column.notNull())
      .addColumn('base_filename', 'text', (column) => column.notNull())
      .addColumn('media_process_status', 'text', (column) => column.notNull())
      .addColumn('duration_ms', 'integer', (column) => column.notNull())
      .addColumn('tc_in_ms', 'integer', (column) => column.notNull())
      .addColumn('timecode_standard', 'text', (column) => column.notNull())
      .addColumn('version', 'integer', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('last_modified_at', 'text', (column) => column.notNull())
      .addUniqueConstraint('media_infos_asset_format_storage', ['asset_id', 'format_id', 'storage_unit_id'])
      .execute();
    await db.schema.createIndex('media_infos_format').on('media_infos').column('format_id').execute();
  },
};
