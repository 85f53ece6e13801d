/**
 * The assets module's store (`../assets/asset-store.ts`) as the structures use it: an asset by id with the
 * rights an operation needs on it, and pages of the assets a caller may View among a set of ids (the
 * members of a bundle, the groups holding an asset...), filtered like `assets`.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { daletCaller, type DaletCaller, type DaletContext } from '../../common/context.ts';
import type { OperationType } from '../../common/errors.ts';
import { pageOf, type PaginationInput } from '../../common/pagination.ts';
import type { AssetRow, DaletDatabase } from '../../store/tables.ts';
import { filterAssets, requireAsset, visibleAsset, type AssetFilter, type RightsNeeded } from '../assets/asset-store.ts';
import type { AssetKind } from '../assets/asset-kinds.ts';
import { readConfiguration } from '../configuration/resolvers.ts';

export { visibleAsset, type AssetFilter };

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
  row: AssetRow;
}

/**
 * The asset `id` names, with `needed` rights on its primary category: ResourceDoesNotExist when there is none
 * or the caller may not View it, NoAccessRightsException when a right is missing.
 */
export async function existingAsset(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  id: unknown,
  needed: RightsNeeded,
  operation: OperationType,
): Promise<StructureAsset> {
  const row = await requireAsset(db, caller, id, needed, operation);
  return {
    id: row.id,
    kind: row.asset_kind,
    assetTypeId: row.asset_type_id,
    primaryCategoryId: row.primary_category_id,
    durationMs: row.duration_seconds === null ? null : Math.round(row.duration_seconds * 1000),
    row,
  };
}

/** The ids of the assets matching `where` the caller may View, as a subquery for `where('...', 'in', ...)`. */
export async function visibleAssetIds(context: DaletContext, where: AssetFilter | null | undefined) {
  return (await filterAssets(context, await daletCaller(context), where)).select('assets.id');
}

interface Among {
  /** The ids to choose from, as a one-column subquery. */
  among: SelectQueryBuilder<DaletDatabase, any, any>;
  /** Only assets of these kinds, or all but these. */
  only?: readonly AssetKind[];
  except?: readonly AssetKind[];
}

/** A page (`AssetsOutput`) of the assets among `among` that match `where` and the caller may View. */
export async function visibleAssetsPage(
  context: DaletContext,
  where: AssetFilter | null | undefined,
  select: PaginationInput | null | undefined,
  { among, only, except }: Among,
) {
  const caller = await daletCaller(context);
  let query = (await filterAssets(context, caller, where, { kinds: only })).where('assets.id', 'in', among);
  if (except) query = query.where('assets.asset_kind', 'not in', [...except]);
  const page = await pageOf<AssetRow>(query, select, 'assets.id');
  return { totalCount: page.totalCount, pageInfo: page.pageInfo, assets: page.items };
}

/** The assets whose OBJECT metadata (a data field of value type OBJECT) names `assetId`. */
export async function assetsReferencing(db: Kysely<DaletDatabase>, assetId: number) {
  const objectFields = (await readConfiguration(db, 'dataFields'))
    .filter((field) => field.valueType === 'OBJECT')
    .map((field) => String(field.id));
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
