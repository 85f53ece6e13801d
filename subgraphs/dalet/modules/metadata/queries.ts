/**
 * The `metadata` subquery of assets, categories and locators, and the metadata filters of `assets`. A filter
 * naming fields answers each of those fields, an empty value when the object holds none; no filter answers
 * every field the object holds, in the site's field order.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { DaletContext } from '../../common/context.ts';
import { given } from '../../common/ids.ts';
import { pageOfList, type PaginationInput } from '../../common/pagination.ts';
import { findDataField, selectedFields, siteFields, type DataFieldInput, type DataFieldsFilter } from './data-fields.ts';
import { metadataOf, type MetadataOwner } from './metadata-store.ts';
import { metadataOutput, readMetadataValue } from './values.ts';

export interface MetadataSubqueryArgs {
  input?: { where?: { fields?: DataFieldsFilter | null } | null; select?: PaginationInput | null } | null;
}

export async function metadataPage(context: DaletContext, owner: MetadataOwner, { input }: MetadataSubqueryArgs) {
  const site = await siteFields(context);
  const values = await metadataOf(context, owner);
  const fields = selectedFields(site, input?.where?.fields) ?? site.fields.filter((field) => values.has(field.id));
  const page = pageOfList(
    fields.map((field) => metadataOutput(field, values.get(field.id) ?? [])),
    input?.select,
  );
  return { totalCount: page.totalCount, pageInfo: page.pageInfo, metadata: page.items };
}

export interface MetadataInput {
  field: DataFieldInput;
  value?: readonly (string | null)[] | null;
}

export type MetadataSearchMode = 'ALL_MATCH' | 'AT_LEAST_ONE_MATCH';

/**
 * The metadata filter of `assets` as a condition on the column holding the asset's id, or undefined when
 * none is given. Each MetadataInput matches the assets holding one of its values for its field (any value
 * when it gives none); ALL_MATCH wants every input matched, AT_LEAST_ONE_MATCH (the default) one of them.
 * Values are read as their field's type, so `PT10S` finds what was set as `P0:0:10.000S`.
 */
export async function assetMetadataCondition(
  context: DaletContext,
  metadata: readonly MetadataInput[] | null | undefined,
  mode: MetadataSearchMode | null | undefined,
  assetIdColumn: string,
): Promise<((eb: ExpressionBuilder<any, any>) => Expression<SqlBool>) | undefined> {
  const inputs = given(metadata ?? null, 'metadata');
  if (!inputs) return undefined;
  const site = await siteFields(context);
  const matches = inputs.map((input) => {
    const field = findDataField(site, input.field);
    const values = (given(input.value ?? null, 'value') ?? []).map((value) => readMetadataValue(field, value));
    let owners = context.db
      .selectFrom('metadata_values')
      .select('metadata_values.asset_id')
      .where('metadata_values.field_id', '=', field.id)
      .where('metadata_values.asset_id', 'is not', null);
    if (values.length) owners = owners.where('metadata_values.value', 'in', values);
    return owners;
  });
  return (eb: ExpressionBuilder<any, any>) => {
    const conditions = matches.map((owners) => eb(assetIdColumn, 'in', owners));
    return mode === 'ALL_MATCH' ? eb.and(conditions) : eb.or(conditions);
  };
}
