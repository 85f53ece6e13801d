/**
 * The site's data fields and table types, read once per request from the configuration, and found the way
 * inputs name them: a DataFieldInput's id, tagName and name, every one given having to match.
 */
import type { DaletContext } from '../../common/context.ts';
import { invalidInput, resourceDoesNotExist, type ResourceSelector } from '../../common/errors.ts';
import { readConfiguration } from '../configuration/resolvers.ts';
import type { DataFieldConfig } from './values.ts';

export interface DataFieldInput {
  id?: string | number | null;
  tagName?: string | null;
  name?: string | null;
}

export interface DataFieldsFilter {
  ids?: readonly (string | number | null)[] | null;
  tagNames?: readonly (string | null)[] | null;
  names?: readonly (string | null)[] | null;
}

export interface TableTypeConfig {
  name: string;
  dataFields: DataFieldConfig[];
}

export interface SiteFields {
  fields: DataFieldConfig[];
  byId: Map<string, DataFieldConfig>;
  tables: TableTypeConfig[];
}

const SITE_FIELDS = Symbol('dalet site fields');

/** The data fields and table types, kept on the request's context: a metadata subquery on a page of assets reads them once. */
export function siteFields(context: DaletContext): Promise<SiteFields> {
  const cached = context as DaletContext & { [SITE_FIELDS]?: Promise<SiteFields> };
  return (cached[SITE_FIELDS] ??= (async () => {
    const fields = (await readConfiguration(context.db, 'dataFields')) as DataFieldConfig[];
    const tables = (await readConfiguration(context.db, 'dataFieldTableTypes')) as TableTypeConfig[];
    return { fields, byId: new Map(fields.map((field) => [field.id, field])), tables };
  })());
}

function selectorOf(input: DataFieldInput): ResourceSelector {
  if (input.id !== null && input.id !== undefined) return { type: 'ID', value: String(input.id) };
  if (input.tagName) return { type: 'TAG_NAME', value: input.tagName };
  return { type: 'NAME', value: input.name ?? '' };
}

function named<T extends { id?: string; tagName?: string; name: string }>(
  candidates: readonly T[],
  input: DataFieldInput | null | undefined,
): T {
  if (!input || (input.id == null && !input.tagName && !input.name))
    throw invalidInput('field', null, 'MISSING_VALUE', 'One of id, tagName or name must be supplied');
  const found = candidates.find(
    (candidate) =>
      (input.id == null || candidate.id === String(input.id)) &&
      (!input.tagName || candidate.tagName === input.tagName) &&
      (!input.name || candidate.name === input.name),
  );
  if (!found) throw resourceDoesNotExist(selectorOf(input), 'DATA_FIELD');
  return found;
}

/** The data field a DataFieldInput names; ResourceDoesNotExist when none, InvalidInput when it names nothing. */
export const findDataField = (site: SiteFields, input: DataFieldInput | null | undefined) => named(site.fields, input);

/** The table type (DataFieldTableType) a DataFieldInput names: table types have names only, so its name (or tag or id) is the table's name. */
export function findTableType(site: SiteFields, input: DataFieldInput | null | undefined): TableTypeConfig {
  const name = input?.name ?? input?.tagName ?? (input?.id == null ? undefined : String(input.id));
  return named(
    site.tables.map((table) => ({ ...table, id: table.name, tagName: table.name })),
    name ? { name } : null,
  );
}

/** The fields a DataFieldsFilterInput selects (every list ANDed, each matching any of its values); undefined when it selects by nothing. */
export function selectedFields(site: SiteFields, where: DataFieldsFilter | null | undefined): DataFieldConfig[] | undefined {
  const ids = where?.ids?.filter((id) => id !== null).map(String);
  const tagNames = where?.tagNames?.filter((tag) => tag !== null);
  const names = where?.names?.filter((name) => name !== null);
  if (!ids?.length && !tagNames?.length && !names?.length) return undefined;
  return site.fields.filter(
    (field) =>
      (!ids?.length || ids.includes(field.id)) &&
      (!tagNames?.length || tagNames.includes(field.tagName)) &&
      (!names?.length || names.includes(field.name)),
  );
}
