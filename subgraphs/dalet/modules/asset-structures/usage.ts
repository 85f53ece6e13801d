/**
 * `AssetUsage`: how other assets use this one, computed from the links the store holds. Groups from their
 * items, bundles from what they list, clips from their parent asset, assets referencing it from their
 * metadata. No operation of the doc puts an asset in an EDL, a pattern or a story, so those three answer
 * empty pages (README.md). Each list keeps only the assets the caller may View.
 */
import { daletCaller, type DaletContext } from '../../common/context.ts';
import type { PaginationInput } from '../../common/pagination.ts';
import { assetsReferencing, clipsOf, visibleAssetsPage, type AssetFilter, type AssetRef } from './asset-access.ts';

interface UsageArgs {
  input?: { where?: AssetFilter | null; select?: PaginationInput | null } | null;
}

const EMPTY_PAGE = { totalCount: 0, pageInfo: { endCursor: null, hasNextPage: false }, assets: [] };

const nothingHolds = async (_asset: AssetRef, _args: UsageArgs, context: DaletContext) => {
  await daletCaller(context);
  return EMPTY_PAGE;
};

export const usageResolvers = {
  AssetUsage: {
    async groupsUsage(asset: AssetRef, { input }: UsageArgs, context: DaletContext) {
      const groups = context.db.selectFrom('group_items').select('group_items.group_asset_id').where('group_items.asset_id', '=', asset.id);
      return visibleAssetsPage(context, input?.where, input?.select, { among: groups, only: ['GroupAsset'] });
    },
    async bundlesUsage(asset: AssetRef, { input }: UsageArgs, context: DaletContext) {
      const bundles = context.db
        .selectFrom('bundle_items')
        .select('bundle_items.bundle_asset_id')
        .where('bundle_items.asset_id', '=', asset.id);
      return visibleAssetsPage(context, input?.where, input?.select, { among: bundles, only: ['BundleAsset'] });
    },
    async clipsUsage(asset: AssetRef, { input }: UsageArgs, context: DaletContext) {
      return visibleAssetsPage(context, input?.where, input?.select, { among: clipsOf(context.db, asset.id), only: ['ClipAsset'] });
    },
    async assetMetadataUsage(asset: AssetRef, { input }: UsageArgs, context: DaletContext) {
      return visibleAssetsPage(context, input?.where, input?.select, { among: await assetsReferencing(context.db, asset.id) });
    },
    edlsUsage: nothingHolds,
    patternsUsage: nothingHolds,
    storiesUsage: nothingHolds,
  },
};
