/**
 * The assets as the other sections use them: filtered as AssetFilterInput says, and only those the caller
 * may View (View on the asset's primary category, as the doc says for every read). An asset the caller may
 * not View is one that does not exist for them; one they may View without the right an operation needs is
 * NoAccessRightsException naming it.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { byKey, createBatchLoader } from '../../../kit/batch-loader.ts';
import type { DaletCaller, DaletContext } from '../../common/context.ts';
import { daletCaller } from '../../common/context.ts';
import { byId, noAccessRights, resourceDoesNotExist, type OperationType } from '../../common/errors.ts';
import { given, toId, toIds } from '../../common/ids.ts';
import { pageOf, type PaginationInput } from '../../common/pagination.ts';
import type { AssetRow, DaletDatabase } from '../../store/tables.ts';
import { filterCategories, type CategoryFilter } from '../categories/queries.ts';
import { categoriesWithRight, rightsOn, type Rights } from '../categories/rights.ts';
import { assetMetadataCondition, type MetadataInput, type MetadataSearchMode } from '../metadata/queries.ts';
import { assetTypesMatching, type AssetTypeFilter } from './asset-configuration.ts';
import type { AssetKind } from './asset-kinds.ts';

export type { AssetRow };

export interface AssetFilter {
  ids?: readonly unknown[] | null;
  itemCodes?: readonly (string | null)[] | null;
  assetTypesWith?: AssetTypeFilter | null;
  metadata?: readonly MetadataInput[] | null;
  metadataSearchMode?: MetadataSearchMode | null;
  /** The assets' primary categories. */
  categoriesWith?: CategoryFilter | null;
}

export type AssetQuery = SelectQueryBuilder<DaletDatabase, 'assets', {}>;

/** Where else the assets must be: of these kinds, or in (primary or linked) this category. */
export interface AssetScope {
  kinds?: readonly AssetKind[];
  inCategoryId?: number;
}

/** The assets `where` selects (every field ANDed) among those the caller may View. */
export async function filterAssets(
  context: DaletContext,
  caller: DaletCaller,
  where: AssetFilter | null | undefined,
  scope: AssetScope = {},
): Promise<AssetQuery> {
  const { db } = context;
  let query: AssetQuery = db.selectFrom('assets');
  const ids = toIds(where?.ids, 'ids');
  const itemCodes = given(where?.itemCodes, 'itemCodes');
  if (ids) query = query.where('assets.id', 'in', ids.length ? ids : [-1]);
  if (itemCodes) query = query.where('assets.item_code', 'in', itemCodes);
  const types = await assetTypesMatching(db, where?.assetTypesWith);
  if (types)
    query = query.where((eb) =>
      types.length
        ? eb.or(types.map((type) => eb.and([eb('assets.asset_type_kind', '=', type.kind), eb('assets.asset_type_id', '=', type.id)])))
        : eb.val(false),
    );
  if (where?.categoriesWith)
    query = query.where('assets.primary_category_id', 'in', filterCategories(db, caller, where.categoriesWith).select('categories.id'));
  const metadata = await assetMetadataCondition(context, where?.metadata, where?.metadataSearchMode, 'assets.id');
  if (metadata) query = query.where(metadata);
  if (scope.kinds) query = query.where('assets.asset_kind', 'in', scope.kinds.length ? [...scope.kinds] : ['']);
  const inCategoryId = scope.inCategoryId;
  if (inCategoryId !== undefined)
    query = query.where((eb) =>
      eb.or([
        eb('assets.primary_category_id', '=', inCategoryId),
        eb('assets.id', 'in', db.selectFrom('asset_category_links').select('asset_id').where('category_id', '=', inCategoryId)),
      ]),
    );
  if (!caller.isAdministrator) query = query.where('assets.primary_category_id', 'in', categoriesWithRight(db, caller));
  return query;
}

/** One page of the assets `where` selects, as every AssetsOutput answers it. */
export async function assetsPage(
  context: DaletContext,
  where: AssetFilter | null | undefined,
  select: PaginationInput | null | undefined,
  scope: AssetScope = {},
) {
  const caller = await daletCaller(context);
  const page = await pageOf<AssetRow>(await filterAssets(context, caller, where, scope), select, 'assets.id');
  return { totalCount: page.totalCount, pageInfo: page.pageInfo, assets: page.items };
}

/** The assets of `ids` the caller may View, in the order of `ids` (the others left out). */
export async function loadVisibleAssets(db: Kysely<DaletDatabase>, caller: DaletCaller, ids: readonly number[]): Promise<AssetRow[]> {
  if (!ids.length) return [];
  let query = db
    .selectFrom('assets')
    .selectAll()
    .where('id', 'in', [...ids]);
  if (!caller.isAdministrator) query = query.where('primary_category_id', 'in', categoriesWithRight(db, caller));
  const found = byKey(await query.execute(), (row) => String(row.id));
  return ids.flatMap((id) => found.get(String(id)) ?? []);
}

const loadVisibleAsset = createBatchLoader<AssetRow, DaletContext>(async (keys, context) =>
  byKey(await loadVisibleAssets(context.db, await daletCaller(context), keys.map(Number)), (row) => String(row.id)),
);

/** One asset by id if the caller may View it, loaded with the others the request asks for in one query. */
export function visibleAsset(context: DaletContext, id: number | null | undefined): Promise<AssetRow | null> {
  return id === null || id === undefined ? Promise.resolve(null) : loadVisibleAsset(String(id), context);
}

export type RightsNeeded = readonly (keyof Rights)[];

/**
 * The asset `id` names, with `needed` rights on its primary category; ResourceDoesNotExist when there is no
 * such asset or the caller may not View it, NoAccessRightsException (naming it) when a right is missing.
 */
export async function requireAsset(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  id: unknown,
  needed: RightsNeeded,
  operation: OperationType,
): Promise<AssetRow> {
  const assetId = toId(id);
  const asset = assetId === undefined ? undefined : await db.selectFrom('assets').selectAll().where('id', '=', assetId).executeTakeFirst();
  if (!asset) throw resourceDoesNotExist(byId(String(id ?? '')), 'ASSET');
  const rights = await rightsOn(db, caller, asset.primary_category_id);
  if (!rights.view) throw resourceDoesNotExist(byId(asset.id), 'ASSET');
  if (!needed.every((right) => rights[right])) throw noAccessRights(caller.userId, operation, 'ASSET', byId(asset.id));
  return asset;
}
