/**
 * The subqueries of what assets hold: `GroupAsset.items` and the GroupItem fields, the three BundleAsset
 * lists, the two VideoAsset association lists and their fields. Every asset answered is one the caller may
 * View (its primary category); one hidden is left out of a list and `null` in a field.
 */
import { daletCaller, type DaletContext } from '../../common/context.ts';
import { given } from '../../common/ids.ts';
import { pageOf, pageOfList, type PaginationInput } from '../../common/pagination.ts';
import type { GroupItemRow, VideoAssociationRow } from '../../store/tables.ts';
import { visibleAsset, visibleAssetIds, visibleAssetsPage, type AssetFilter, type AssetRef } from './asset-access.ts';
import type { AssetKind } from '../assets/asset-kinds.ts';
import type { AssociationKind } from './associations.ts';
import { groupItemsInOrder } from './group-items.ts';
import { studioChannelById } from './studio-channels.ts';

interface ListArgs<Where> {
  input?: { where?: Where | null; select?: PaginationInput | null } | null;
}

/** What a bundle lists besides its track stacks and TX versions is its media. */
const NOT_MEDIA: AssetKind[] = ['TrackStackAsset', 'TxVersionAsset'];

const bundleList =
  (kinds: { only?: AssetKind[]; except?: AssetKind[] }) =>
  async (bundle: AssetRef, { input }: ListArgs<AssetFilter>, context: DaletContext) => {
    const members = context.db
      .selectFrom('bundle_items')
      .select('bundle_items.asset_id')
      .where('bundle_items.bundle_asset_id', '=', bundle.id);
    return visibleAssetsPage(context, input?.where, input?.select, { among: members, ...kinds });
  };

const associationList =
  (kind: AssociationKind, listField: string) =>
  async (video: AssetRef, { input }: ListArgs<AssetFilter>, context: DaletContext) => {
    const query = context.db
      .selectFrom('video_associations')
      .where('video_associations.kind', '=', kind)
      .where('video_associations.video_asset_id', '=', video.id)
      .where('video_associations.associated_asset_id', 'in', await visibleAssetIds(context, input?.where));
    const page = await pageOf<VideoAssociationRow>(query, input?.select, 'video_associations.id');
    return { totalCount: page.totalCount, pageInfo: page.pageInfo, [listField]: page.items };
  };

const associationFields = (assetField: string) => ({
  id: (association: VideoAssociationRow) => String(association.id),
  studioChannel: (association: VideoAssociationRow, _args: unknown, { db }: DaletContext) =>
    studioChannelById(db, association.studio_channel_id),
  videoAsset: (association: VideoAssociationRow, _args: unknown, context: DaletContext) =>
    visibleAsset(context, association.video_asset_id),
  [assetField]: (association: VideoAssociationRow, _args: unknown, context: DaletContext) =>
    visibleAsset(context, association.associated_asset_id),
  tcIn: (association: VideoAssociationRow) => ({ milliseconds: association.tc_in_ms, standard: association.standard }),
  tcOut: (association: VideoAssociationRow) => ({ milliseconds: association.tc_out_ms, standard: association.standard }),
});

export const structureQueryResolvers = {
  GroupAsset: {
    // Reached through a group the caller may View: its items are listed, each item's asset only if visible.
    async items(group: AssetRef, { input }: ListArgs<{ groupItemIds?: unknown[] | null }>, context: DaletContext) {
      await daletCaller(context);
      const itemIds = given(input?.where?.groupItemIds, 'groupItemIds')?.map(String);
      const page = pageOfList(await groupItemsInOrder(context.db, group.id, itemIds), input?.select);
      return { totalCount: page.totalCount, pageInfo: page.pageInfo, items: page.items };
    },
  },
  GroupItem: {
    id: (item: GroupItemRow) => item.item_id,
    parentGroupAsset: (item: GroupItemRow, _args: unknown, context: DaletContext) => visibleAsset(context, item.group_asset_id),
    asset: (item: GroupItemRow, _args: unknown, context: DaletContext) => visibleAsset(context, item.asset_id),
  },
  BundleAsset: {
    mediaAssets: bundleList({ except: NOT_MEDIA }),
    trackStackAssets: bundleList({ only: ['TrackStackAsset'] }),
    versionAssets: bundleList({ only: ['TxVersionAsset'] }),
  },
  VideoAsset: {
    cgToVideoAssociations: associationList('CG', 'cgToVideoAssociations'),
    subtitlesToVideoAssociations: associationList('SUBTITLES', 'subtitlesToVideoAssociations'),
  },
  CGToVideoAssociation: associationFields('cgAsset'),
  SubtitlesToVideoAssociation: associationFields('subtitlesAsset'),
};
