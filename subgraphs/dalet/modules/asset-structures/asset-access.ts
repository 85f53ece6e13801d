/**
 * The assets module's store as the structures see it: an asset by id (ResourceDoesNotExist otherwise), the
 * caller's rights on it (its primary category's), and pages of the assets a caller may View among a set of
 * ids (the members of a bundle, the groups holding an asset...), filtered like `assets`.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { daletCaller, type DaletCaller, type DaletContext } from '../../common/context.ts';
import { byId, noAccessRights, resourceDoesNotExist, type OperationType } from '../../common/errors.ts';
import { given, toId, toIds } from '../../common/ids.ts';
import { pageOf, type PaginationInput } from '../../common/pagination.ts';
import type { AssetRow, DaletDatabase } from '../../store/tables.ts';
import { filterCategories, type CategoryFilter } from '../categories/queries.ts';
import { categoriesWithRight, rightsOn, type Rights } from '../categories/rights.ts';
import { readConfiguration } from '../configuration/resolvers.ts';

/** SingleTypeAssetsFilterInput, and AssetFilterInput's fields that the structures read. */
export interface AssetFilter {
  ids?: unknown[] | null;
  itemCodes?: (string | null)[] | null;
  categoriesWith?: CategoryFilter | null;
}

/** The assets matching `where` (every field ANDed) in a category the caller may View. */
function filterAssets(db: Kysely<DaletDatabase>, caller: DaletCaller, where: AssetFilter | null | undefined) {
  let query = db.selectFrom('assets');
  const ids = toIds(where?.ids, 'ids');
  const itemCodes = given(where?.itemCodes, 'itemCodes');
  if (ids) query = query.where('assets.id', 'in', ids.length ? ids : [-1]);
  if (itemCodes) query = query.where('assets.item_code', 'in', itemCodes);
  if (where?.categoriesWith)
    query = query.where('assets.primary_category_id', 'in', filterCategories(db, caller, where.categoriesWith).select('categories.id'));
  if (!caller.isAdministrator) query = query.where('assets.primary_category_id', 'in', categoriesWithRight(db, caller));
  return query;
}

/** What a structure resolver gets as its parent: an asset row. */
export type AssetRef = AssetRow;

/** What the structure mutations check of an asset. */
export interface StructureAsset {
  id: number;
  /** The AssetIfc implementation: VideoAsset, GroupAsset... */
  kind: string;
  assetTypeId: string;
  primaryCategoryId: number;
  /** The media's duration; null when not known (no media yet). */
  durationMs: number | null;
}

export async function existingAsset(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  id: unknown,
  needed: (keyof Rights)[],
  operation: OperationType,
): Promise<StructureAsset> {
  const assetId = toId(id);
  const row =
    assetId === undefined
      ? undefined
      : await db
          .selectFrom('assets')
          .select(['id', 'asset_kind', 'asset_type_id', 'primary_category_id', 'duration_seconds'])
          .where('id', '=', assetId)
          .executeTakeFirst();
  if (!row) throw resourceDoesNotExist(byId(String(id ?? '')), 'ASSET');
  const rights = await rightsOn(db, caller, row.primary_category_id);
  if (!rights.view) throw resourceDoesNotExist(byId(row.id), 'ASSET');
  if (!needed.every((right) => rights[right])) throw noAccessRights(caller.userId, operation, 'ASSET', byId(row.id));
  return {
    id: row.id,
    kind: row.asset_kind,
    assetTypeId: row.asset_type_id,
    primaryCategoryId: row.primary_category_id,
    durationMs: row.duration_seconds === null ? null : Math.round(row.duration_seconds * 1000),
  };
}

/** The ids of the assets matching `where` the caller may View, as a subquery for `where('...', 'in', ...)`. */
export async function visibleAssetIds(context: DaletContext, where: AssetFilter | null | undefined) {
  return filterAssets(context.db, await daletCaller(context), where).select('assets.id');
}

/** One asset by id if the caller may View it, else null. */
export async function visibleAsset(context: DaletContext, id: number | null): Promise<AssetRow | null> {
  if (id === null) return null;
  const caller = await daletCaller(context);
  return (await filterAssets(context.db, caller, { ids: [id] }).selectAll('assets').executeTakeFirst()) ?? null;
}

interface Among {
  /** The ids to choose from, as a one-column subquery. */
  among: SelectQueryBuilder<DaletDatabase, any, any>;
  /** Only assets of these kinds, or all but these. */
  only?: string[];
  except?: string[];
}

/** A page (`AssetsOutput`) of the assets among `among` that match `where` and the caller may View. */
export async function visibleAssetsPage(
  context: DaletContext,
  where: AssetFilter | null | undefined,
  select: PaginationInput | null | undefined,
  { among, only, except }: Among,
) {
  const caller = await daletCaller(context);
  let query = filterAssets(context.db, caller, where).where('assets.id', 'in', among);
  if (only) query = query.where('assets.asset_kind', 'in', only);
  if (except) query = query.where('assets.asset_kind', 'not in', except);
  const page = await pageOf<AssetRow>(query, select, 'assets.id');
  return { totalCount: page.totalCount, pageInfo: page.pageInfo, assets: page.items };
}

/** The assets whose OBJECT metadata (a data field of value type OBJECT) names `assetId`. */
export async function assetsReferencing(db: Kysely<DaletDatabase>, assetId: number) {
  const objectFields = (await readConfiguration(db, 'dataFields')).filter((field) => field.valueType === 'OBJECT').map((field) => String(field.id));
  return db
    .selectFrom('metadata_values')
    .select('metadata_values.asset_id')
    .where('metadata_values.field_id', 'in', objectFields.length ? objectFields : [''])
    .where('metadata_values.value', '=', String(assetId));
}

/** The clips cut from `assetId`. */
export function clipsOf(db: Kysely<DaletDatabase>, assetId: number) {
  return db.selectFrom('assets as clips').select('clips.id').where('clips.parent_asset_id', '=', assetId);
}
