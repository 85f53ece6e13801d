/**
 * The items of group assets (group_items): adding segments at a position, removing items by their ids, and
 * reading them in order. Item ids are "<channel>:1:<number>" ("1:1:1"), numbered per group and channel from
 * one past the highest held, so an id names one item for as long as the group holds it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DaletDatabase, GroupItemRow } from '../../store/tables.ts';
import type { Segment } from './segments.ts';

/** The most items one group holds: far above a rundown's, and a bound on what one read loads. */
export const MAX_GROUP_ITEMS = 5000;

export interface NewGroupItem {
  assetId: number;
  channel: number;
  /** 0-based; past the end (or not given) is the end. */
  position: number | null;
  segment: Segment;
}

function nextNumber(itemIds: string[], channel: number): number {
  const numbers = itemIds
    .map((itemId) => itemId.split(':'))
    .filter(([itemChannel]) => Number(itemChannel) === channel)
    .map((parts) => Number(parts[2]));
  return Math.max(0, ...numbers) + 1;
}

/** Inserts `items` in order into the group, each at its position (shifting those after it); answers the rows. */
export async function insertGroupItems(
  trx: Transaction<DaletDatabase>,
  groupAssetId: number,
  items: NewGroupItem[],
): Promise<GroupItemRow[]> {
  const held = await trx.selectFrom('group_items').select('item_id').where('group_asset_id', '=', groupAssetId).execute();
  const itemIds = held.map((row) => row.item_id);
  const inserted: GroupItemRow[] = [];
  for (const item of items) {
    const count = itemIds.length;
    const position = item.position === null || item.position > count ? count : item.position;
    await trx
      .updateTable('group_items')
      .set((eb) => ({ position: eb('position', '+', 1) }))
      .where('group_asset_id', '=', groupAssetId)
      .where('position', '>=', position)
      .execute();
    const itemId = `${item.channel}:1:${nextNumber(itemIds, item.channel)}`;
    itemIds.push(itemId);
    const row = await trx
      .insertInto('group_items')
      .values({
        group_asset_id: groupAssetId,
        item_id: itemId,
        channel: item.channel,
        position,
        asset_id: item.assetId,
        tc_in_ms: item.segment.tcInMs,
        tc_in_relative_to_end: Number(item.segment.tcInRelativeToEnd),
        tc_out_ms: item.segment.tcOutMs,
        tc_out_relative_to_start: Number(item.segment.tcOutRelativeToStart),
        standard: item.segment.standard,
        created_at: new Date().toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    inserted.push(row);
  }
  return inserted;
}

/** Removes the items of `itemIds` the group holds and closes the gaps in positions; answers the ids removed. */
export async function removeGroupItems(trx: Transaction<DaletDatabase>, groupAssetId: number, itemIds: string[]): Promise<string[]> {
  if (!itemIds.length) return [];
  const removed = await trx
    .deleteFrom('group_items')
    .where('group_asset_id', '=', groupAssetId)
    .where('item_id', 'in', itemIds)
    .returning('item_id')
    .execute();
  const gone = new Set(removed.map((row) => row.item_id));
  // An item's metadata goes with it (group_item_metadata references the item, on delete cascade).
  if (gone.size) await renumberPositions(trx, groupAssetId);
  return [...new Set(itemIds)].filter((itemId) => gone.has(itemId));
}

async function renumberPositions(trx: Transaction<DaletDatabase>, groupAssetId: number): Promise<void> {
  const rows = await trx
    .selectFrom('group_items')
    .select(['id', 'position'])
    .where('group_asset_id', '=', groupAssetId)
    .orderBy('position')
    .execute();
  for (const [position, row] of rows.entries())
    if (row.position !== position) await trx.updateTable('group_items').set({ position }).where('id', '=', row.id).execute();
}

export function countGroupItems(db: Kysely<DaletDatabase>, groupAssetId: number): Promise<number> {
  return db
    .selectFrom('group_items')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('group_asset_id', '=', groupAssetId)
    .executeTakeFirst()
    .then((counted) => Number(counted?.count ?? 0));
}

/** The group's items in order, only those of `itemIds` when given. */
export function groupItemsInOrder(db: Kysely<DaletDatabase>, groupAssetId: number, itemIds?: string[]): Promise<GroupItemRow[]> {
  let query = db.selectFrom('group_items').selectAll().where('group_asset_id', '=', groupAssetId);
  if (itemIds) query = query.where('item_id', 'in', itemIds.length ? itemIds : ['']);
  return query.orderBy('position').execute();
}
