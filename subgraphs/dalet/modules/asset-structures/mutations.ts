/**
 * addItemsToGroups, removeItemsFromGroups, and the create and remove mutations of CG- and subtitles-to-video
 * associations, with the rights the doc names: Insert and Remove on the category of the asset changed (the
 * group, the video), View on the category of the asset it takes in (the item, the CG or subtitles asset).
 * Each group (each association) is done in one transaction; a failure answers what was done before it.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Kysely } from 'kysely';
import { daletCaller, type DaletCaller, type DaletContext, type DaletServices } from '../../common/context.ts';
import { byId, invalidInput, preconditionViolation } from '../../common/errors.ts';
import { given, toId } from '../../common/ids.ts';
import { answerPartially } from '../../common/partial-errors.ts';
import type { TimeCodeValue } from '../../schema/timecode.ts';
import { groupChannelFor } from '../../store/site/group-channels.ts';
import type { DaletDatabase, GroupItemRow, VideoAssociationRow } from '../../store/tables.ts';
import { assetNotice, notifyAssets } from '../assets/asset-notifications.ts';
import { existingAsset, type StructureAsset } from './asset-access.ts';
import { associationsByIds, deleteAssociation, upsertAssociation, type AssociationKind } from './associations.ts';
import { countGroupItems, insertGroupItems, MAX_GROUP_ITEMS, removeGroupItems, type NewGroupItem } from './group-items.ts';
import { toSegment, type SegmentInput } from './segments.ts';
import { ASSOCIATION_KINDS, studioChannelNamed } from './studio-channels.ts';

interface AssetSegmentInput extends SegmentInput {
  assetId: unknown;
  position?: number | null;
}

interface ItemsToGroupInput {
  groupId: unknown;
  assetSegments: (AssetSegmentInput | null)[];
}

interface AssociationInput {
  videoAssetId: unknown;
  cgAssetId?: unknown;
  subtitlesAssetId?: unknown;
  studioChannelName: string;
  tcIn?: TimeCodeValue | null;
  tcOut?: TimeCodeValue | null;
}

/** A required list of the input, nulls dropped, at most MAX_FILTER_VALUES long. */
const listed = <T>(values: readonly (T | null)[] | null | undefined, name: string): T[] => given(values, name) ?? [];

async function requireGroup(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  groupId: unknown,
  operation: 'UPDATE' | 'DELETE',
): Promise<StructureAsset> {
  const group = await existingAsset(db, caller, groupId, ['insert', 'remove'], operation);
  if (group.kind !== 'GroupAsset') throw preconditionViolation(byId(group.id), 'ASSET', 'MUST_BE_A_GROUP_ASSET_TYPE');
  return group;
}

async function checkedItem(db: Kysely<DaletDatabase>, caller: DaletCaller, input: AssetSegmentInput): Promise<NewGroupItem> {
  const asset = await existingAsset(db, caller, input.assetId, ['view'], 'READ');
  const channel = groupChannelFor(asset.kind);
  if (!channel) throw preconditionViolation(byId(asset.id), 'ASSET', 'MUST_MATCH_ANY_GROUP_CHANNEL');
  const position = input.position ?? null;
  if (position !== null && position < 0) throw invalidInput('position', position, 'NEGATIVE', 'Must not be negative');
  return { assetId: asset.id, channel: channel.number, position, segment: toSegment(input, asset.durationMs) };
}

async function addItemsToGroup(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  input: ItemsToGroupInput,
  changed: StructureAsset[],
): Promise<GroupItemRow[]> {
  const group = await requireGroup(db, caller, input.groupId, 'UPDATE');
  const segments = listed(input.assetSegments, 'assetSegments');
  const items: NewGroupItem[] = [];
  for (const segment of segments) items.push(await checkedItem(db, caller, segment));
  if ((await countGroupItems(db, group.id)) + items.length > MAX_GROUP_ITEMS)
    throw invalidInput('assetSegments', `${items.length} items`, 'TOO_LONG', `A group holds at most ${MAX_GROUP_ITEMS} items`);
  const rows = await db.transaction().execute((trx) => insertGroupItems(trx, group.id, items));
  changed.push(group);
  return rows;
}

async function createAssociation(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  kind: AssociationKind,
  input: AssociationInput,
  changed: StructureAsset[],
): Promise<VideoAssociationRow> {
  const { assetField, precondition } = ASSOCIATION_KINDS[kind];
  const video = await existingAsset(db, caller, input.videoAssetId, ['insert', 'remove'], 'UPDATE');
  if (video.kind !== 'VideoAsset') throw preconditionViolation(byId(video.id), 'ASSET', 'MUST_BE_A_VIDEO_ASSET_TYPE');
  const associated = await existingAsset(db, caller, input[assetField], ['view'], 'READ');
  if (associated.kind !== ASSOCIATION_KINDS[kind].assetKind) throw preconditionViolation(byId(associated.id), 'ASSET', precondition);
  const channel = await studioChannelNamed(db, input.studioChannelName, associated);
  const tcInMs = input.tcIn?.milliseconds ?? 0;
  const tcOutMs = input.tcOut?.milliseconds ?? 0;
  if (input.tcOut && tcOutMs < tcInMs) throw invalidInput('tcOut', tcOutMs, 'INVALID_VALUE', 'Must not be before tcIn');
  for (const [name, ms] of [
    ['tcIn', tcInMs],
    ['tcOut', tcOutMs],
  ] as const)
    if (video.durationMs !== null && ms > video.durationMs)
      throw invalidInput(name, ms, 'INVALID_VALUE', `Must be within the video's duration (${video.durationMs} ms)`);
  const standard = input.tcIn?.standard ?? input.tcOut?.standard ?? 'PAL';
  const row = await db.transaction().execute((trx) =>
    upsertAssociation(trx, kind, {
      videoAssetId: video.id,
      associatedAssetId: associated.id,
      studioChannelId: channel.id,
      tcInMs,
      tcOutMs,
      standard,
    }),
  );
  changed.push(video);
  return row;
}

async function removeAssociation(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  kind: AssociationKind,
  id: unknown,
  changed: StructureAsset[],
): Promise<number> {
  const associationId = toId(id);
  const [association] = associationId === undefined ? [] : await associationsByIds(db, kind, [associationId]);
  if (!association) throw ASSOCIATION_KINDS[kind].doesNotExist(String(id ?? ''));
  const video = await existingAsset(db, caller, association.video_asset_id, ['insert', 'remove'], 'UPDATE');
  await deleteAssociation(db, association.id);
  changed.push(video);
  return association.id;
}

/** MODIFIED, once per asset changed (the group, the video), for the `assets` subscription; also after a partial answer. */
function notifyModified(services: DaletServices, context: DaletContext, changed: StructureAsset[]): Promise<void> {
  const distinct = [...new Map(changed.map((asset) => [asset.id, asset.row])).values()];
  return notifyAssets(
    services,
    context,
    distinct.map((row) => assetNotice('MODIFIED', row)),
  );
}

/** Runs a mutation as answerPartially does, then publishes what it changed, whether it failed midway or not. */
async function changing<T>(
  services: DaletServices,
  context: DaletContext,
  info: GraphQLResolveInfo,
  fallback: T,
  run: (changed: StructureAsset[]) => Promise<T>,
): Promise<T> {
  const changed: StructureAsset[] = [];
  try {
    return await answerPartially(services.partialErrors, context, info, fallback, () => run(changed));
  } finally {
    await notifyModified(services, context, changed);
  }
}

export function structureMutationResolvers(services: DaletServices) {
  const createAssociations =
    (kind: AssociationKind) =>
    async (
      _root: unknown,
      { input }: { input: { associations: (AssociationInput | null)[] } },
      context: DaletContext,
      info: GraphQLResolveInfo,
    ) => {
      const caller = await daletCaller(context);
      const associations: VideoAssociationRow[] = [];
      return changing(services, context, info, { associations }, async (changed) => {
        for (const association of listed(input.associations, 'associations'))
          associations.push(await createAssociation(context.db, caller, kind, association, changed));
        return { associations };
      });
    };
  const removeAssociations =
    (kind: AssociationKind) =>
    async (_root: unknown, { input }: { input: { associationIds: unknown[] } }, context: DaletContext, info: GraphQLResolveInfo) => {
      const caller = await daletCaller(context);
      const deletedAssociationIds: string[] = [];
      return changing(services, context, info, { deletedAssociationIds }, async (changed) => {
        for (const id of listed(input.associationIds, 'associationIds'))
          deletedAssociationIds.push(String(await removeAssociation(context.db, caller, kind, id, changed)));
        return { deletedAssociationIds };
      });
    };
  return {
    Mutation: {
      async addItemsToGroups(
        _root: unknown,
        { input }: { input: { itemsToGroups: (ItemsToGroupInput | null)[] } },
        context: DaletContext,
        info: GraphQLResolveInfo,
      ) {
        const caller = await daletCaller(context);
        const groupItems: GroupItemRow[] = [];
        return changing(services, context, info, { groupItems }, async (changed) => {
          for (const itemsToGroup of listed(input.itemsToGroups, 'itemsToGroups'))
            groupItems.push(...(await addItemsToGroup(context.db, caller, itemsToGroup, changed)));
          return { groupItems };
        });
      },
      async removeItemsFromGroups(
        _root: unknown,
        { input }: { input: { groupItemsWith: { groupAndIds: ({ groupId: unknown; groupItemIds: unknown[] } | null)[] } } },
        context: DaletContext,
        info: GraphQLResolveInfo,
      ) {
        const caller = await daletCaller(context);
        const removedItemIdsByGroupId: { groupId: string; groupItemIds: string[] }[] = [];
        return changing(services, context, info, { removedItemIdsByGroupId }, async (changed) => {
          for (const { groupId, groupItemIds } of listed(input.groupItemsWith.groupAndIds, 'groupAndIds')) {
            const group = await requireGroup(context.db, caller, groupId, 'DELETE');
            const itemIds = listed(groupItemIds, 'groupItemIds').map(String);
            const removed = await context.db.transaction().execute((trx) => removeGroupItems(trx, group.id, itemIds));
            if (removed.length) changed.push(group);
            removedItemIdsByGroupId.push({ groupId: String(group.id), groupItemIds: removed });
          }
          return { removedItemIdsByGroupId };
        });
      },
      createCGToVideoAssociations: createAssociations('CG'),
      createSubtitlesToVideoAssociations: createAssociations('SUBTITLES'),
      removeCGToVideoAssociations: removeAssociations('CG'),
      removeSubtitlesToVideoAssociations: removeAssociations('SUBTITLES'),
    },
  };
}
