/**
 * What a bundle asset lists (bundle_items). `createTrackStackAssets` puts each track stack it creates in its
 * bundle; media and TX versions are listed in a bundle by Galaxy's Bundle Editor, which the doc gives no
 * operation for, so here they come only from the store (README.md).
 */
import type { Kysely, Transaction } from 'kysely';
import type { DaletDatabase } from '../../store/tables.ts';

/** Lists `assetId` in the bundle; listing it again changes nothing. */
export async function addToBundle(
  db: Kysely<DaletDatabase> | Transaction<DaletDatabase>,
  bundleAssetId: number,
  assetId: number,
): Promise<void> {
  await db
    .insertInto('bundle_items')
    .values({ bundle_asset_id: bundleAssetId, asset_id: assetId, created_at: new Date().toISOString() })
    .onConflict((conflict) => conflict.columns(['bundle_asset_id', 'asset_id']).doNothing())
    .execute();
}
