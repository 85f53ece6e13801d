/**
 * Assets for the Dalet tests of other sections (media, subscriptions): a video asset in the category of
 * the given full name, written to the dalet store as the assets module stores them.
 */
import type { Kysely } from 'kysely';
import type { DaletDatabase } from '../../subgraphs/dalet/store/tables.ts';
import type { DaletPlatform } from './dalet-platform.ts';

export async function createTestAsset(platform: DaletPlatform, name: string, categoryFullName: string): Promise<string> {
  const db = platform.subgraphs.dalet!.store.db as Kysely<DaletDatabase>;
  const category = await db.selectFrom('categories').select('id').where('full_name', '=', categoryFullName).executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  const asset = await db
    .insertInto('assets')
    .values({
      asset_kind: 'VideoAsset',
      name,
      item_code: name.toUpperCase().replace(/\W+/g, '-'),
      asset_type_kind: 'simpleAssetTypes',
      asset_type_id: '1',
      status_id: '1',
      primary_category_id: category.id,
      created_at: now,
      last_modified_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(asset.id);
}
