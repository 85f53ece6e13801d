/**
 * `assets`, `Category.assets`, and the fields every asset implementation shares (AssetIfc's), with the
 * duration and clip fields of the kinds that have them. Everything an asset refers to is read only as far as
 * the caller may View it.
 */
import { byKey, createBatchLoader } from '../../../kit/batch-loader.ts';
import { daletCaller, type DaletContext } from '../../common/context.ts';
import { pageOf, type PaginationInput } from '../../common/pagination.ts';
import type { TimeCodeValue } from '../../schema/timecode.ts';
import type { AssetRow, CategoryRow, DaletUserRow } from '../../store/tables.ts';
import { filterCategories, visibleCategory, type CategoryFilter } from '../categories/queries.ts';
import { configurationObject } from './asset-configuration.ts';
import { ASSET_KINDS, type AssetKind } from './asset-kinds.ts';
import { assetsPage, visibleAsset, type AssetFilter } from './asset-store.ts';

interface ListArgs<Filter> {
  input?: { where?: Filter | null; select?: PaginationInput | null } | null;
}

const loadUser = createBatchLoader<DaletUserRow, DaletContext>(async (ids, { db }) =>
  byKey(await db.selectFrom('users').selectAll().where('id', 'in', ids.map(Number)).execute(), (row) => String(row.id)),
);

// Any Dalet user may read users (README.md), so the creator and last modifier are shown to whoever sees the asset.
const userById = (id: number | null, context: DaletContext) => (id === null ? null : loadUser(String(id), context));

const date = (text: string | null) => (text === null ? null : new Date(text));

const timeCode = (milliseconds: number | null, standard: string | null): TimeCodeValue | null =>
  milliseconds === null ? null : { milliseconds, standard: standard ?? 'PAL' };

/** The categories the asset is in: its primary one and those it is linked to, as far as the caller may View them. */
async function assetCategories(asset: AssetRow, { input }: ListArgs<CategoryFilter>, context: DaletContext) {
  const { db } = context;
  const caller = await daletCaller(context);
  const query = filterCategories(db, caller, input?.where).where((eb) =>
    eb.or([
      eb('categories.id', '=', asset.primary_category_id),
      eb('categories.id', 'in', db.selectFrom('asset_category_links').select('category_id').where('asset_id', '=', asset.id)),
    ]),
  );
  const page = await pageOf<CategoryRow>(query, input?.select, 'categories.id');
  return { totalCount: page.totalCount, pageInfo: page.pageInfo, categories: page.items };
}

/** AssetIfc's fields, the same for every implementation. */
const assetFields = {
  id: (asset: AssetRow) => String(asset.id),
  objectType: () => 'ASSET',
  itemCode: (asset: AssetRow) => asset.item_code,
  assetType: (asset: AssetRow, _args: unknown, context: DaletContext) =>
    configurationObject(context, asset.asset_type_kind, asset.asset_type_id),
  status: (asset: AssetRow, _args: unknown, context: DaletContext) => configurationObject(context, 'assetStatuses', asset.status_id),
  categories: assetCategories,
  primaryCategory: (asset: AssetRow, _args: unknown, context: DaletContext) => visibleCategory(context, asset.primary_category_id),
  // AssetUsage's subqueries are computed from the asset's row (modules/asset-structures).
  usage: (asset: AssetRow) => asset,
  createdAt: (asset: AssetRow) => date(asset.created_at),
  createdBy: (asset: AssetRow, _args: unknown, context: DaletContext) => userById(asset.created_by_user_id, context),
  lastModifiedAt: (asset: AssetRow) => date(asset.last_modified_at),
  lastModifiedBy: (asset: AssetRow, _args: unknown, context: DaletContext) => userById(asset.last_modified_by_user_id, context),
  recordDate: (asset: AssetRow) => date(asset.record_date),
  startDate: (asset: AssetRow) => date(asset.start_date),
  endDate: (asset: AssetRow) => date(asset.end_date),
  killDate: (asset: AssetRow) => date(asset.kill_date),
  keepDate: (asset: AssetRow) => date(asset.keep_date),
};

const durationField = { duration: (asset: AssetRow) => asset.duration_seconds };

const OWN_FIELDS: Partial<Record<AssetKind, Record<string, unknown>>> = {
  AudioAsset: durationField,
  ImageAsset: durationField,
  StoryAsset: durationField,
  TxVersionAsset: durationField,
  VideoAsset: durationField,
  ClipAsset: {
    parentAsset: (asset: AssetRow, _args: unknown, context: DaletContext) => visibleAsset(context, asset.parent_asset_id),
    timecodeIn: (asset: AssetRow) => timeCode(asset.timecode_in_ms, asset.timecode_standard),
    timecodeOut: (asset: AssetRow) => timeCode(asset.timecode_out_ms, asset.timecode_standard),
  },
};

export const assetQueryResolvers = {
  Query: {
    assets: (_root: unknown, { input }: ListArgs<AssetFilter>, context: DaletContext) => assetsPage(context, input?.where, input?.select),
  },
  Category: {
    // Reached only through a category the caller may View; each asset still needs View on its primary category.
    assets: (category: CategoryRow, { input }: ListArgs<Omit<AssetFilter, 'categoriesWith'>>, context: DaletContext) =>
      assetsPage(context, input?.where, input?.select, { inCategoryId: category.id }),
  },
  AssetIfc: { __resolveType: (asset: AssetRow) => asset.asset_kind },
  ...Object.fromEntries(ASSET_KINDS.map((kind) => [kind, { ...assetFields, ...OWN_FIELDS[kind] }])),
};
