/**
 * Metadata values in the store: each row one value of one data field of one owner (an asset, a category, a
 * locator or a table metadata row), multi-value fields ordered by position. Reads are batched per request
 * (a page of 1,000 assets asking for their metadata costs one query); writes replace a field's values.
 */
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';
import type { DaletContext } from '../../common/context.ts';
import { MAX_BATCH_SIZE } from '../../../kit/batch-loader.ts';
import type { DaletDatabase } from '../../store/tables.ts';

export type OwnerColumn = 'asset_id' | 'category_id' | 'locator_id' | 'table_row_id';

export interface MetadataOwner {
  column: OwnerColumn;
  id: number;
}

/** An owner's values by field id, in position order. */
export type FieldValues = Map<string, string[]>;

const ownerKey = (owner: MetadataOwner) => `${owner.column}:${owner.id}`;

async function loadValues(db: Kysely<DaletDatabase>, keys: readonly string[]): Promise<FieldValues[]> {
  const byColumn = new Map<OwnerColumn, number[]>();
  for (const key of keys) {
    const [column, id] = key.split(':') as [OwnerColumn, string];
    byColumn.set(column, [...(byColumn.get(column) ?? []), Number(id)]);
  }
  const found = new Map<string, FieldValues>(keys.map((key) => [key, new Map()]));
  for (const [column, ids] of byColumn) {
    const rows = await db
      .selectFrom('metadata_values')
      .select([column, 'field_id', 'value'])
      .where(column, 'in', ids)
      .orderBy(column)
      .orderBy('field_id')
      .orderBy('position')
      .execute();
    for (const row of rows) {
      const values = found.get(`${column}:${row[column]}`)!;
      values.set(row.field_id, [...(values.get(row.field_id) ?? []), row.value]);
    }
  }
  return keys.map((key) => found.get(key)!);
}

const loaders = new WeakMap<object, DataLoader<string, FieldValues>>();

/** The values `owner` holds, batched with every other owner asked for in the same tick of the request. */
export function metadataOf(context: DaletContext, owner: MetadataOwner): Promise<FieldValues> {
  let loader = loaders.get(context);
  if (!loader) {
    loader = new DataLoader((keys) => loadValues(context.db, keys), { maxBatchSize: MAX_BATCH_SIZE });
    loaders.set(context, loader);
  }
  return loader.load(ownerKey(owner));
}

/** After a write: what this request reads next comes from the store again. */
export function forgetMetadata(context: DaletContext): void {
  loaders.delete(context);
}

/** Replaces the values of one field of one owner (none left when `values` is empty). */
export async function writeFieldValues(
  db: Kysely<DaletDatabase>,
  owner: MetadataOwner,
  fieldId: string,
  values: readonly string[],
): Promise<void> {
  await db.deleteFrom('metadata_values').where(owner.column, '=', owner.id).where('field_id', '=', fieldId).execute();
  if (!values.length) return;
  await db
    .insertInto('metadata_values')
    .values(
      values.map((value, position) => ({
        asset_id: null,
        category_id: null,
        locator_id: null,
        table_row_id: null,
        [owner.column]: owner.id,
        field_id: fieldId,
        position,
        value,
      })),
    )
    .execute();
}

/** The values of one field of one owner, read now (inside a mutation's transaction, not through the batch). */
export async function currentFieldValues(db: Kysely<DaletDatabase>, owner: MetadataOwner, fieldId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('metadata_values')
    .select('value')
    .where(owner.column, '=', owner.id)
    .where('field_id', '=', fieldId)
    .orderBy('position')
    .execute();
  return rows.map((row) => row.value);
}
