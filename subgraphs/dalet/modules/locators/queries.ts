/** `locators`, the `locators` subquery of every asset type, and the Locator type: only what the caller may View. */
import { daletCaller, type DaletContext } from '../../common/context.ts';
import { pageOf, type PaginationInput } from '../../common/pagination.ts';
import type { AssetRow, LocatorRow } from '../../store/tables.ts';
import { visibleAsset } from '../assets/asset-store.ts';
import { metadataPage, type MetadataSubqueryArgs } from '../metadata/queries.ts';
import { filterLocators, locatorTypes, type LocatorFilter } from './locator-store.ts';

interface ListArgs {
  input?: { where?: LocatorFilter | null; select?: PaginationInput | null } | null;
}

export async function locatorsPage(
  context: DaletContext,
  where: LocatorFilter | null | undefined,
  select: PaginationInput | null | undefined,
) {
  const caller = await daletCaller(context);
  const page = await pageOf<LocatorRow>(await filterLocators(context, caller, where), select, 'locators.id');
  return { totalCount: page.totalCount, pageInfo: page.pageInfo, locators: page.items };
}

/** The subquery: the asset is one the caller may View already, so its locators are. */
export const assetLocators = (asset: AssetRow, { input }: ListArgs, context: DaletContext) =>
  locatorsPage(context, { ...input?.where, assetIds: [asset.id] }, input?.select);

export const locatorQueryResolvers = {
  Query: {
    locators: (_root: unknown, { input }: ListArgs, context: DaletContext) => locatorsPage(context, input?.where, input?.select),
  },
  LocatorIfc: { __resolveType: () => 'Locator' },
  Locator: {
    id: (locator: LocatorRow) => String(locator.id),
    objectType: () => 'LOCATOR',
    lastModifiedBy: (locator: LocatorRow) => locator.last_modified_by,
    lastModifiedAt: (locator: LocatorRow) => locator.last_modified_at,
    timecodeIn: (locator: LocatorRow) => locator.timecode_in,
    timecodeOut: (locator: LocatorRow) => locator.timecode_out,
    async type(locator: LocatorRow, _args: unknown, context: DaletContext) {
      return (await locatorTypes(context)).find((type) => type.id === locator.type_id) ?? null;
    },
    parentObject: (locator: LocatorRow, _args: unknown, context: DaletContext) => visibleAsset(context, locator.asset_id),
    metadata: (locator: LocatorRow, args: MetadataSubqueryArgs, context: DaletContext) =>
      metadataPage(context, { column: 'locator_id', id: locator.id }, args),
  },
};
