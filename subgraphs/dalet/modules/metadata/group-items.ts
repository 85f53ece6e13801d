/**
 * Group item metadata: updateGroupItemsMetadata (Insert and Remove on the group asset's category; the item
 * named by its id as Galaxy shows it, "1:1:1"; a null value clears the field) and `GroupItem.metadata`,
 * which answers each field asked for, or every field the item holds when none is asked for.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { daletCaller, type DaletContext, type DaletServices } from '../../common/context.ts';
import { byId, invalidInput, preconditionViolation, resourceDoesNotExist } from '../../common/errors.ts';
import { given } from '../../common/ids.ts';
import { answerPartially } from '../../common/partial-errors.ts';
import { pageOfList, type PaginationInput } from '../../common/pagination.ts';
import type { GroupItemRow } from '../../store/tables.ts';
import { GROUP_ITEM_FIELDS, groupItemMetadataOutput, readGroupItemValue } from './group-item-values.ts';
import { notifyMetadataChanges, touchOwner } from './mutations.ts';
import { requireAsset } from '../assets/asset-store.ts';
import { WRITE_RIGHTS } from './object-access.ts';
import { metadataNotice } from './subscriptions.ts';

interface UpdateGroupItemsMetadataInput {
  groupAssetId: unknown;
  itemsMetadata: readonly ({ itemId: string; metadata: readonly ({ field: string; value?: string | null } | null)[] } | null)[];
}

async function updateGroupItemsMetadata(context: DaletContext, services: DaletServices, input: UpdateGroupItemsMetadataInput) {
  const caller = await daletCaller(context);
  const items = given(input.itemsMetadata, 'itemsMetadata') ?? [];
  if (!items.length) throw invalidInput('itemsMetadata', '', 'MISSING_VALUE', 'At least one item must be supplied');
  const groupAsset = await context.db.transaction().execute(async (trx) => {
    const asset = await requireAsset(trx, caller, input.groupAssetId, WRITE_RIGHTS, 'UPDATE');
    if (asset.asset_kind !== 'GroupAsset') throw preconditionViolation(byId(asset.id), 'ASSET', 'MUST_BE_A_GROUP_ASSET_TYPE');
    for (const item of items) {
      const row = await trx
        .selectFrom('group_items')
        .select('id')
        .where('group_asset_id', '=', asset.id)
        .where('item_id', '=', item.itemId)
        .executeTakeFirst();
      if (!row) throw resourceDoesNotExist(byId(item.itemId), 'GROUP_ITEM');
      for (const { field, value } of given(item.metadata, 'metadata') ?? []) {
        const stored = value === null || value === undefined ? undefined : readGroupItemValue(field, value);
        await trx.deleteFrom('group_item_metadata').where('group_item_id', '=', row.id).where('field', '=', field).execute();
        if (stored !== undefined)
          await trx.insertInto('group_item_metadata').values({ group_item_id: row.id, field, value: stored }).execute();
      }
    }
    return { ...asset, ...(await touchOwner(trx, caller, { column: 'asset_id', id: asset.id })), __typename: 'GroupAsset' };
  });
  await notifyMetadataChanges(context, services, [
    metadataNotice({ column: 'asset_id', id: groupAsset.id }, [], groupAsset.primary_category_id),
  ]);
  return { groupAsset };
}

interface GroupItemMetadataArgs {
  input?: { where?: { fields?: readonly (string | null)[] | null } | null; select?: PaginationInput | null } | null;
}

/** `GroupItem.metadata`: reached through a group asset the caller may View. */
export async function groupItemMetadata(item: GroupItemRow, { input }: GroupItemMetadataArgs, context: DaletContext) {
  const rows = await context.db.selectFrom('group_item_metadata').select(['field', 'value']).where('group_item_id', '=', item.id).execute();
  const held = new Map(rows.map((row) => [row.field, row.value]));
  const asked = given(input?.where?.fields ?? null, 'fields');
  const fields = asked ?? Object.keys(GROUP_ITEM_FIELDS).filter((field) => held.has(field));
  const page = pageOfList(
    fields.map((field) => groupItemMetadataOutput(field, held.get(field))),
    input?.select,
  );
  return { totalCount: page.totalCount, pageInfo: page.pageInfo, metadata: page.items };
}

export function groupItemMutationResolvers(services: DaletServices) {
  return {
    updateGroupItemsMetadata: (
      _root: unknown,
      { input }: { input: UpdateGroupItemsMetadataInput },
      context: DaletContext,
      info: GraphQLResolveInfo,
    ) =>
      answerPartially<{ groupAsset: unknown }>(services.partialErrors, context, info, { groupAsset: null }, () =>
        updateGroupItemsMetadata(context, services, input),
      ),
  };
}
