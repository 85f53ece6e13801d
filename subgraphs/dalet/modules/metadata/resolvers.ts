/**
 * The Metadata section: `metadata` on every asset type, on Category and (in locators/) on Locator;
 * ObjectMetadata values as the objects they name; updateObjectsMetadata and the table metadata rows.
 */
import type { SubgraphModule } from '../../../kit/define-subgraph.ts';
import { daletCaller, type DaletContext, type DaletServices } from '../../common/context.ts';
import type { AssetRow, CategoryRow } from '../../store/tables.ts';
import { ASSET_KINDS } from '../assets/asset-kinds.ts';
import { loadVisibleAssets } from '../assets/asset-store.ts';
import { assetLocators } from '../locators/queries.ts';

import { groupItemMetadata, groupItemMutationResolvers } from './group-items.ts';
import { metadataMutationResolvers } from './mutations.ts';
import { metadataPage, type MetadataSubqueryArgs } from './queries.ts';
import { metadataSubscriptionResolvers } from './subscriptions.ts';
import { tableRowMutationResolvers } from './table-rows.ts';

/** The assets an ObjectMetadata names that the caller may View, in the order the value holds them. */
async function visibleObjects(metadata: { value?: string[] }, _args: unknown, context: DaletContext) {
  const assets = await loadVisibleAssets(context.db, await daletCaller(context), (metadata.value ?? []).map(Number));
  return assets.map((asset) => ({ ...asset, __typename: asset.asset_kind }));
}

const assetSubqueries = {
  metadata: (asset: AssetRow, args: MetadataSubqueryArgs, context: DaletContext) =>
    metadataPage(context, { column: 'asset_id', id: asset.id }, args),
  locators: assetLocators,
};

export const metadataModule: SubgraphModule<DaletServices> = {
  schema: [new URL('./schema.graphql', import.meta.url), new URL('./subscription.graphql', import.meta.url)],
  resolvers: (services) => ({
    Mutation: { ...metadataMutationResolvers(services), ...tableRowMutationResolvers(services), ...groupItemMutationResolvers(services) },
    GroupItem: { metadata: groupItemMetadata },
    Category: {
      metadata: (category: CategoryRow, args: MetadataSubqueryArgs, context: DaletContext) =>
        metadataPage(context, { column: 'category_id', id: category.id }, args),
    },
    ObjectMetadata: { value: visibleObjects },
    ...metadataSubscriptionResolvers(services),
    ...Object.fromEntries(ASSET_KINDS.map((kind) => [kind, assetSubqueries])),
  }),
};
