/**
 * Table metadata: rows of a DataFieldTableType on an asset, each column one of the table's data fields.
 * Adding and updating rows ignore invalid columns (the row is written without them), as the doc says;
 * deleting rows that do not exist or that the caller may not change is a silent no-op. Every one needs
 * Insert and Remove on the asset's category.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Kysely } from 'kysely';
import { daletCaller, type DaletContext, type DaletServices } from '../../common/context.ts';
import { byId, invalidInput, preconditionViolation, resourceDoesNotExist } from '../../common/errors.ts';
import { given, toId, toIds } from '../../common/ids.ts';
import { answerPartially } from '../../common/partial-errors.ts';
import type { AssetRow, DaletDatabase } from '../../store/tables.ts';
import { categoriesWithRight } from '../categories/rights.ts';
import { findDataField, findTableType, siteFields, type DataFieldInput, type SiteFields, type TableTypeConfig } from './data-fields.ts';
import { forgetMetadata, writeFieldValues } from './metadata-store.ts';
import { notifyMetadataChanges, touchOwner } from './mutations.ts';
import { metadataNotice } from './subscriptions.ts';
import type { Notice } from '../../common/notifications.ts';
import { requireAsset } from '../assets/asset-store.ts';
import { WRITE_RIGHTS } from './object-access.ts';
import type { MetadataInput } from './queries.ts';
import { applyMetadataAction, readMetadataValue } from './values.ts';

/** The table a NewTableMetadataRowInput names; a data field that is no table is a precondition violation. */
function tableNamed(site: SiteFields, fields: readonly (DataFieldInput | null)[] | null | undefined): TableTypeConfig {
  const named = given(fields ?? null, 'field') ?? [];
  if (named.length !== 1)
    throw invalidInput('field', `${named.length} fields`, 'INVALID_VALUE', 'Exactly one table data field must be supplied');
  const field = named[0]!;
  try {
    return findTableType(site, field);
  } catch (notATable) {
    const dataField = site.fields.find((candidate) => candidate.name === field.name || candidate.id === String(field.id ?? ''));
    if (dataField) throw preconditionViolation(byId(dataField.id), 'DATA_FIELD', 'DATA_FIELD_MUST_BE_TABLE');
    throw notATable;
  }
}

/** The columns that are valid for `table`, read as their fields' types; the others are left out. */
function validColumns(table: TableTypeConfig, columns: readonly (MetadataInput | null)[] | null | undefined) {
  const site = { fields: table.dataFields, byId: new Map(), tables: [] };
  return (given(columns ?? null, 'columns') ?? []).flatMap((column) => {
    try {
      const field = findDataField(site, column.field);
      const values = (given(column.value ?? null, 'value') ?? []).map((value) => readMetadataValue(field, value));
      return [{ field, values: applyMetadataAction(field, 'SET', [], values) }];
    } catch {
      return [];
    }
  });
}

/** Writes the columns of one row; the ids of their fields. */
async function writeColumns(db: Kysely<DaletDatabase>, rowId: number, columns: ReturnType<typeof validColumns>): Promise<string[]> {
  for (const { field, values } of columns) await writeFieldValues(db, { column: 'table_row_id', id: rowId }, field.id, values);
  return columns.map(({ field }) => field.id);
}

const asAssetIfc = (asset: AssetRow, changed: Record<string, unknown>) => ({ ...asset, ...changed, __typename: asset.asset_kind });

interface AddRowsInput {
  assetIds: readonly unknown[];
  tableMetadata: readonly ({ field: readonly (DataFieldInput | null)[]; columns?: readonly (MetadataInput | null)[] | null } | null)[];
}

async function addRows(context: DaletContext, info: GraphQLResolveInfo, services: DaletServices, site: SiteFields, input: AddRowsInput) {
  const caller = await daletCaller(context);
  const tables = (given(input.tableMetadata, 'tableMetadata') ?? []).map((row) => ({
    table: tableNamed(site, row.field),
    columns: row.columns,
  }));
  const updatedAssets: Record<string, unknown>[] = [];
  const notices: Notice[] = [];
  for (const assetId of given(input.assetIds, 'assetIds') ?? []) {
    await answerPartially(services.partialErrors, context, info, undefined, async () => {
      updatedAssets.push(
        await context.db.transaction().execute(async (trx) => {
          const asset = await requireAsset(trx, caller, assetId, WRITE_RIGHTS, 'UPDATE');
          const fieldIds: string[] = [];
          for (const { table, columns } of tables) {
            const row = await trx
              .insertInto('table_metadata_rows')
              .values({ asset_id: asset.id, table_name: table.name, created_at: new Date().toISOString() })
              .returning('id')
              .executeTakeFirstOrThrow();
            fieldIds.push(...(await writeColumns(trx, row.id, validColumns(table, columns))));
          }
          notices.push(metadataNotice({ column: 'asset_id', id: asset.id }, fieldIds, asset.primary_category_id));
          return asAssetIfc(asset, await touchOwner(trx, caller, { column: 'asset_id', id: asset.id }));
        }),
      );
    });
  }
  await notifyMetadataChanges(context, services, notices);
  return { updatedAssets };
}

interface UpdateRowsInput {
  tableMetadata: readonly ({ rowId: unknown; columns: readonly (MetadataInput | null)[] } | null)[];
}

async function updateRows(
  context: DaletContext,
  info: GraphQLResolveInfo,
  services: DaletServices,
  site: SiteFields,
  input: UpdateRowsInput,
) {
  const caller = await daletCaller(context);
  let updatedAssets: Record<string, unknown> | null = null;
  const notices: Notice[] = [];
  for (const change of given(input.tableMetadata, 'tableMetadata') ?? []) {
    await answerPartially(services.partialErrors, context, info, undefined, async () => {
      updatedAssets = await context.db.transaction().execute(async (trx) => {
        const rowId = toId(change.rowId);
        const row =
          rowId === undefined
            ? undefined
            : await trx.selectFrom('table_metadata_rows').selectAll().where('id', '=', rowId).executeTakeFirst();
        if (!row) throw resourceDoesNotExist(byId(String(change.rowId ?? '')), 'TABLE_DATA_FIELD_ROW');
        const asset = await requireAsset(trx, caller, row.asset_id, WRITE_RIGHTS, 'UPDATE');
        const table = findTableType(site, { name: row.table_name });
        const fieldIds = await writeColumns(trx, row.id, validColumns(table, change.columns));
        notices.push(metadataNotice({ column: 'asset_id', id: asset.id }, fieldIds, asset.primary_category_id));
        return asAssetIfc(asset, await touchOwner(trx, caller, { column: 'asset_id', id: asset.id }));
      });
    });
  }
  await notifyMetadataChanges(context, services, notices);
  return { updatedAssets };
}

async function deleteRows(context: DaletContext, services: DaletServices, input: { tableMetadataWith: { rowIds: readonly unknown[] } }) {
  const caller = await daletCaller(context);
  const rowIds = toIds(input.tableMetadataWith.rowIds, 'rowIds') ?? [];
  if (!rowIds.length) return { deletedRowIds: [] };
  let deletable = context.db
    .selectFrom('table_metadata_rows')
    .innerJoin('assets', 'assets.id', 'table_metadata_rows.asset_id')
    .select(['table_metadata_rows.id', 'table_metadata_rows.asset_id', 'assets.primary_category_id'])
    .where('table_metadata_rows.id', 'in', rowIds);
  if (!caller.isAdministrator)
    deletable = deletable
      .where('assets.primary_category_id', 'in', categoriesWithRight(context.db, caller, 'can_insert'))
      .where('assets.primary_category_id', 'in', categoriesWithRight(context.db, caller, 'can_remove'));
  const rows = await deletable.orderBy('table_metadata_rows.id').execute();
  const ids = rows.map((row) => row.id);
  if (ids.length) await context.db.deleteFrom('table_metadata_rows').where('id', 'in', ids).execute();
  const assets = new Map(rows.map((row) => [row.asset_id, row.primary_category_id]));
  await notifyMetadataChanges(
    context,
    services,
    [...assets].map(([assetId, categoryId]) => metadataNotice({ column: 'asset_id', id: assetId }, [], categoryId)),
  );
  return { deletedRowIds: ids.map(String) };
}

type Args<T> = { input: T };

export function tableRowMutationResolvers(services: DaletServices) {
  const withSite =
    <T, Out>(
      fallback: Out,
      run: (context: DaletContext, info: GraphQLResolveInfo, services: DaletServices, site: SiteFields, input: T) => Promise<Out>,
    ) =>
    (_root: unknown, { input }: Args<T>, context: DaletContext, info: GraphQLResolveInfo) =>
      answerPartially(services.partialErrors, context, info, fallback, async () => {
        const answer = await run(context, info, services, await siteFields(context), input);
        forgetMetadata(context);
        return answer;
      });
  return {
    addRowsToAssetsTableMetadata: withSite<AddRowsInput, { updatedAssets: unknown[] }>({ updatedAssets: [] }, addRows),
    updateRowsOfAssetsTableMetadata: withSite<UpdateRowsInput, { updatedAssets: unknown }>({ updatedAssets: null }, updateRows),
    deleteRowsFromAssetsTableMetadata: (
      _root: unknown,
      { input }: Args<{ tableMetadataWith: { rowIds: readonly unknown[] } }>,
      context: DaletContext,
    ) => deleteRows(context, services, input),
  };
}
