import { PostgresAdapter, type Kysely, type Migration } from 'kysely';
import { ASSOCIATION_STUDIO_CHANNELS } from '../site/studios.ts';

/** Numbered ids as the doc shows them: SQLite's integer primary key is its row id, Postgres needs serial. */
function idType(db: Kysely<any>): 'serial' | 'integer' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'serial' : 'integer';
}

/**
 * What assets hold of other assets: the items of groups (with their segments), the members of bundles, and
 * the CG and subtitles assets associated to video assets on a studio channel. Every link goes when either
 * asset is deleted. Also the two studio channels the doc's association examples name ("CG", "Subtitle").
 */
export const assetStructures: Migration = {
  async up(db: Kysely<any>) {
    const id = idType(db);
    await db.schema
      .createTable('group_items')
      .addColumn('id', id, (column) => column.primaryKey())
      .addColumn('group_asset_id', 'integer', (column) => column.notNull().references('assets.id').onDelete('cascade'))
      // The id Galaxy shows, "<channel>:<track>:<number>" ("1:1:1"): unique in its group, never reused while the group holds it.
      .addColumn('item_id', 'text', (column) => column.notNull())
      .addColumn('channel', 'integer', (column) => column.notNull())
      .addColumn('position', 'integer', (column) => column.notNull())
      .addColumn('asset_id', 'integer', (column) => column.notNull().references('assets.id').onDelete('cascade'))
      .addColumn('tc_in_ms', 'integer', (column) => column.notNull())
      .addColumn('tc_in_relative_to_end', 'integer', (column) => column.notNull())
      .addColumn('tc_out_ms', 'integer')
      .addColumn('tc_out_relative_to_start', 'integer', (column) => column.notNull())
      .addColumn('standard', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addUniqueConstraint('group_items_item', ['group_asset_id', 'item_id'])
      .execute();
    await db.schema.createIndex('group_items_asset').on('group_items').column('asset_id').execute();
    await db.schema.createIndex('group_items_position').on('group_items').columns(['group_asset_id', 'position']).execute();
    await db.schema
      .createTable('bundle_items')
      .addColumn('id', id, (column) => column.primaryKey())
      .addColumn('bundle_asset_id', 'integer', (column) => column.notNull().references('assets.id').onDelete('cascade'))
      .addColumn('asset_id', 'integer', (column) => column.notNull().references('assets.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addUniqueConstraint('bundle_items_member', ['bundle_asset_id', 'asset_id'])
      .execute();
    await db.schema.createIndex('bundle_items_asset').on('bundle_items').column('asset_id').execute();
    await db.schema
      .createTable('video_associations')
      .addColumn('id', id, (column) => column.primaryKey())
      // CG or SUBTITLES: the two kinds share one numbering, each answered by its own operations.
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('video_asset_id', 'integer', (column) => column.notNull().references('assets.id').onDelete('cascade'))
      .addColumn('associated_asset_id', 'integer', (column) => column.notNull().references('assets.id').onDelete('cascade'))
      .addColumn('studio_channel_id', 'text', (column) => column.notNull())
      .addColumn('tc_in_ms', 'integer', (column) => column.notNull())
      .addColumn('tc_out_ms', 'integer', (column) => column.notNull())
      .addColumn('standard', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      // The doc: an association with the tcIn of an existing one on the same channel overwrites it.
      .addUniqueConstraint('video_associations_slot', ['kind', 'video_asset_id', 'studio_channel_id', 'tc_in_ms'])
      .execute();
    await db.schema.createIndex('video_associations_asset').on('video_associations').column('associated_asset_id').execute();
    await db
      .insertInto('configuration_objects')
      .values(
        ASSOCIATION_STUDIO_CHANNELS.map((channel) => ({
          kind: 'studioChannels',
          id: channel.id,
          name: channel.name,
          data: JSON.stringify(channel),
        })),
      )
      .execute();
  },
};
