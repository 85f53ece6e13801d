/**
 * What an asset refers to in the site configuration (migration 002 and 003's rows): its asset type and its
 * status, checked when written, read back per request in batches.
 */
import type { Kysely } from 'kysely';
import { createBatchLoader } from '../../../kit/batch-loader.ts';
import type { DaletContext } from '../../common/context.ts';
import {
  invalidInput,
  preconditionViolation,
  resourceDoesNotExist,
  unsupportedResource,
  type ResourceSelector,
} from '../../common/errors.ts';
import type { DaletDatabase } from '../../store/tables.ts';
import { readConfiguration } from '../configuration/resolvers.ts';
import { ASSET_TYPE_KINDS, type AssetTypeKind, type NamedType } from './asset-kinds.ts';

type ConfigObject = Record<string, any>;

export interface AssetTypeRef {
  kind: AssetTypeKind;
  id: string;
  object: ConfigObject;
}

export interface AssetTypeFilter {
  ids?: readonly (string | null)[] | null;
  names?: readonly (string | null)[] | null;
  objectTypes?: readonly (string | null)[] | null;
  mediaTypes?: readonly (string | null)[] | null;
}

export interface AssetTypeInput {
  id?: string | null;
  name?: string | null;
}

export interface AssetStatusInput {
  id?: string | null;
  name?: string | null;
  abbreviation?: string | null;
}

const KEY_SEPARATOR = '\u0000';

const loadConfigurationObject = createBatchLoader<ConfigObject, DaletContext>(async (keys, { db }) => {
  const pairs = keys.map((key) => key.split(KEY_SEPARATOR) as [string, string]);
  const rows = await db
    .selectFrom('configuration_objects')
    .select(['kind', 'id', 'data'])
    .where((eb) => eb.or(pairs.map(([kind, id]) => eb.and([eb('kind', '=', kind), eb('id', '=', id)]))))
    .execute();
  return new Map(rows.map((row) => [`${row.kind}${KEY_SEPARATOR}${row.id}`, JSON.parse(row.data) as ConfigObject]));
});

/** One configuration object, loaded with the others the request needs in one query. */
export function configurationObject(context: DaletContext, kind: string, id: string): Promise<ConfigObject | null> {
  return loadConfigurationObject(`${kind}${KEY_SEPARATOR}${id}`, context);
}

async function allAssetTypes(db: Kysely<DaletDatabase>): Promise<AssetTypeRef[]> {
  const byKind = await Promise.all(
    ASSET_TYPE_KINDS.map(async (kind) => (await readConfiguration(db, kind)).map((object) => ({ kind, id: String(object.id), object }))),
  );
  return byKind.flat();
}

const listMatches = (wanted: readonly (string | null)[] | null | undefined, actual: unknown) =>
  !wanted?.length || wanted.some((value) => value !== null && String(value) === String(actual));

/** The asset types an AssetTypeFilterInput selects (every field ANDed), or undefined when it selects by nothing. */
export async function assetTypesMatching(db: Kysely<DaletDatabase>, filter: AssetTypeFilter | null | undefined) {
  if (!filter || ![filter.ids, filter.names, filter.objectTypes, filter.mediaTypes].some((list) => list?.length)) return undefined;
  return (await allAssetTypes(db)).filter(
    ({ object }) =>
      listMatches(filter.ids, object.id) &&
      listMatches(filter.names, object.name) &&
      listMatches(filter.objectTypes, object.objectType) &&
      listMatches(filter.mediaTypes, object.mediaType),
  );
}

function selectorOf(input: Record<string, string | null | undefined>, fields: readonly string[]): ResourceSelector {
  const field = fields.find((name) => input[name] !== null && input[name] !== undefined)!;
  return { type: field === 'id' ? 'ID' : field === 'abbreviation' ? 'ABBREVIATION' : 'NAME', value: String(input[field]) };
}

function requireSomeField(name: string, input: Record<string, string | null | undefined> | null | undefined, fields: readonly string[]) {
  if (!input || fields.every((field) => input[field] === null || input[field] === undefined))
    throw invalidInput(name, '', 'MISSING_VALUE', `One of ${fields.join(', ')} must be supplied`);
  return input;
}

const sameAs = (input: Record<string, string | null | undefined>, object: ConfigObject, fields: readonly string[]) =>
  fields.every((field) => input[field] === null || input[field] === undefined || String(input[field]) === String(object[field]));

/**
 * The type an AssetTypeInput names among `named.configKind` (every given field must match). A type of another
 * kind violates the named precondition; a type whose assets cannot be created is UnsupportedResource.
 */
export async function namedAssetType(
  db: Kysely<DaletDatabase>,
  input: AssetTypeInput | null | undefined,
  named: NamedType,
): Promise<AssetTypeRef> {
  const given = requireSomeField(named.field, input as Record<string, string | null | undefined>, ['id', 'name']);
  const matching = (await allAssetTypes(db)).filter(({ object }) => sameAs(given, object, ['id', 'name']));
  const selector = selectorOf(given, ['id', 'name']);
  const found = matching.find((type) => type.kind === named.configKind);
  if (!found) {
    if (matching.length) throw preconditionViolation(selector, 'ASSET_TYPE', named.precondition);
    throw resourceDoesNotExist(selector, 'ASSET_TYPE');
  }
  if (found.object.assetCanBeCreated === false) throw unsupportedResource(selector, 'ASSET_TYPE');
  return found;
}

export async function simpleAssetType(db: Kysely<DaletDatabase>, id: string): Promise<AssetTypeRef> {
  const object = (await readConfiguration(db, 'simpleAssetTypes')).find((type) => String(type.id) === id);
  if (!object) throw resourceDoesNotExist({ type: 'ID', value: id }, 'ASSET_TYPE');
  return { kind: 'simpleAssetTypes', id, object };
}

/** The status an AssetStatusInput names (every given field must match); "New" when none is given. */
export async function assetStatus(
  db: Kysely<DaletDatabase>,
  name: string,
  input: AssetStatusInput | null | undefined,
): Promise<ConfigObject> {
  const given =
    input === null || input === undefined
      ? { name: 'New' }
      : requireSomeField(name, input as Record<string, string | null | undefined>, ['id', 'name', 'abbreviation']);
  const fields = ['id', 'name', 'abbreviation'];
  const found = (await readConfiguration(db, 'assetStatuses')).find((status) => sameAs(given, status, fields));
  if (!found) throw resourceDoesNotExist(selectorOf(given, fields), 'ASSET_STATUS');
  return found;
}
