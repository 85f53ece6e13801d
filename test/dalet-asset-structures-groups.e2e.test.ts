/**
 * Groups through the gateway: addItemsToGroups (positions, item ids, channels, the rights on the group and on
 * each item), removeItemsFromGroups, GroupAsset.items and the GroupItem fields, and groupsUsage from the
 * items; with the rights held through EDITORS, missing, and an item's asset hidden from the reader.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaletDatabase } from '../subgraphs/dalet/store/tables.ts';
import { startStructuresPlatform, type StructuresPlatform } from './helpers/dalet-structures.ts';

let env: StructuresPlatform;
beforeAll(async () => (env = await startStructuresPlatform()), 60_000);
afterAll(async () => env?.platform.stop());

const ADD = `mutation ($input: AddItemsToGroupsInput!) {
  addItemsToGroups(input: $input) { groupItems { id parentGroupAsset { id } asset { id } } }
}`;
const REMOVE = `mutation ($input: RemoveItemsFromGroupsInput!) {
  removeItemsFromGroups(input: $input) { removedItemIdsByGroupId { groupId groupItemIds } }
}`;
const ITEMS = `query ($ids: [ID]) { assets(input: { where: { ids: $ids } }) { assets { id ... on GroupAsset {
  items { totalCount items { id asset { id } parentGroupAsset { id } } } } } } }`;
const GROUPS_USAGE = `query ($ids: [ID]) { assets(input: { where: { ids: $ids } }) { assets { id
  usage { groupsUsage { totalCount assets { id } } } } } }`;

const add = (token: string, groupId: string, assetSegments: Record<string, unknown>[]) =>
  env.platform.as(token, ADD, { input: { itemsToGroups: [{ groupId, assetSegments }] } });
const itemsOf = async (token: string, groupId: string) => (await env.platform.ok(token, ITEMS, { ids: [groupId] })).assets.assets[0].items;
const errorOf = (body: { errors?: { extensions?: Record<string, any> }[] }) => body.errors?.[0]?.extensions;

describe('addItemsToGroups and GroupAsset.items', () => {
  it('adds items in order, numbers them per channel, puts a position inside the group', async () => {
    const { editor, create } = env;
    const group = await create(editor.token, 'Group');
    const [video, audio, clipParent] = [
      await create(editor.token, 'Video'),
      await create(editor.token, 'Audio'),
      await create(editor.token, 'Video'),
    ];
    const { body } = await add(editor.token, group, [{ assetId: video }, { assetId: audio }, { assetId: clipParent, position: 0 }]);
    expect(body.errors).toBeUndefined();
    expect(body.data.addItemsToGroups.groupItems).toEqual([
      { id: '1:1:1', parentGroupAsset: { id: group }, asset: { id: video } },
      { id: '2:1:1', parentGroupAsset: { id: group }, asset: { id: audio } },
      { id: '1:1:2', parentGroupAsset: { id: group }, asset: { id: clipParent } },
    ]);
    const items = await itemsOf(editor.token, group);
    expect(items.totalCount).toBe(3);
    expect(items.items.map((item: { id: string }) => item.id)).toEqual(['1:1:2', '1:1:1', '2:1:1']);
  });

  it('pages items and filters them by id', async () => {
    const { editor, create } = env;
    const group = await create(editor.token, 'Group');
    const videos = [await create(editor.token, 'Video'), await create(editor.token, 'Video'), await create(editor.token, 'Video')];
    await add(
      editor.token,
      group,
      videos.map((assetId) => ({ assetId })),
    );
    const page = `query ($ids: [ID], $after: String) { assets(input: { where: { ids: $ids } }) { assets { ... on GroupAsset {
      items(input: { select: { first: 2, after: $after } }) { totalCount pageInfo { endCursor hasNextPage } items { id } } } } } }`;
    const first = (await env.platform.ok(editor.token, page, { ids: [group] })).assets.assets[0].items;
    expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true }, items: [{ id: '1:1:1' }, { id: '1:1:2' }] });
    const second = (await env.platform.ok(editor.token, page, { ids: [group], after: first.pageInfo.endCursor })).assets.assets[0].items;
    expect(second).toMatchObject({ pageInfo: { hasNextPage: false }, items: [{ id: '1:1:3' }] });
    const filtered = `query ($ids: [ID]) { assets(input: { where: { ids: $ids } }) { assets { ... on GroupAsset {
      items(input: { where: { groupItemIds: ["1:1:3", "9:9:9"] } }) { totalCount items { id asset { id } } } } } } }`;
    expect((await env.platform.ok(editor.token, filtered, { ids: [group] })).assets.assets[0].items).toEqual({
      totalCount: 1,
      items: [{ id: '1:1:3', asset: { id: videos[2] } }],
    });
  });

  it('refuses a group that is not one, an item no channel takes, and a tcOut before tcIn', async () => {
    const { editor, create } = env;
    const [group, video, bundle] = [
      await create(editor.token, 'Group'),
      await create(editor.token, 'Video'),
      await create(editor.token, 'Bundle'),
    ];
    const notGroup = await add(editor.token, video, [{ assetId: video }]);
    expect(notGroup.body.data).toEqual({ addItemsToGroups: { groupItems: [] } });
    expect(errorOf(notGroup.body)).toMatchObject({
      errorCode: 'ResourcePreconditionViolation',
      precondition: 'MUST_BE_A_GROUP_ASSET_TYPE',
      resourceSelector: video,
    });
    for (const assetId of [bundle, group]) {
      const { body } = await add(editor.token, group, [{ assetId }]);
      expect(errorOf(body)).toMatchObject({
        precondition: 'MUST_MATCH_ANY_GROUP_CHANNEL',
        resourceType: 'ASSET',
        resourceSelector: assetId,
      });
    }
    const backwards = await add(editor.token, group, [{ assetId: video, tcIn: '00:02:00', tcOut: '00:01:00', tcOutRelativeToStart: true }]);
    expect(errorOf(backwards.body)).toMatchObject({ errorCode: 'InvalidInput', name: 'tcOut', reason: 'INVALID_VALUE' });
    const missing = await add(editor.token, group, [{ assetId: '999999' }]);
    expect(errorOf(missing.body)).toMatchObject({ errorCode: 'ResourceDoesNotExist', resourceType: 'ASSET', resourceSelector: '999999' });
    expect((await itemsOf(editor.token, group)).totalCount).toBe(0);
  });

  it('refuses a tcOut past the end of the media once its duration is known, takes a tcIn past it', async () => {
    const { editor, create } = env;
    const [group, video] = [await create(editor.token, 'Group'), await create(editor.token, 'Video')];
    // Media analysis (createFileMediaInfo) sets the duration; here the store does, as for any analysed media.
    const db = env.platform.subgraphs.dalet!.store.db as Kysely<DaletDatabase>;
    await db.updateTable('assets').set({ duration_seconds: 600 }).where('id', '=', Number(video)).execute();
    const tooLong = await add(editor.token, group, [{ assetId: video, tcIn: '00:08:00', tcOut: '00:03:00' }]);
    expect(errorOf(tooLong.body)).toMatchObject({ errorCode: 'InvalidInput', name: 'tcOut', reason: 'INVALID_VALUE' });
    const { body } = await add(editor.token, group, [
      { assetId: video, tcIn: '00:20:00' },
      { assetId: video, tcIn: '00:08:00', tcOut: '00:02:00' },
    ]);
    expect(body.errors).toBeUndefined();
    const rows = await db
      .selectFrom('group_items')
      .select(['item_id', 'tc_in_ms', 'tc_out_ms'])
      .where('group_asset_id', '=', Number(group))
      .orderBy('position')
      .execute();
    expect(rows).toEqual([
      { item_id: '1:1:1', tc_in_ms: 1_200_000, tc_out_ms: null },
      { item_id: '1:1:2', tc_in_ms: 480_000, tc_out_ms: 120_000 },
    ]);
  });

  it('needs Insert and Remove on the group, View on the item', async () => {
    const { editor, outsider, editorPrivate, create } = env;
    const group = await create(editor.token, 'Group');
    const video = await create(editor.token, 'Video');
    const { body } = await add(outsider.token, group, [{ assetId: video }]);
    expect(body.data).toEqual({ addItemsToGroups: { groupItems: [] } });
    expect(errorOf(body)).toMatchObject({
      errorCode: 'NoAccessRightsException',
      operationType: 'UPDATE',
      resourceType: 'ASSET',
      resourceSelector: group,
      userId: Number(outsider.id),
    });
    const adminGroup = await create(env.platform.adminToken, 'Group');
    const hidden = await create(editor.token, 'Video', { categoryId: editorPrivate });
    const adminAdds = await add(env.platform.adminToken, adminGroup, [{ assetId: hidden }]);
    expect(adminAdds.body.errors).toBeUndefined();
    // The outsider sees the group (To review) but not the editor's private video: the item's asset is null.
    const items = await itemsOf(outsider.token, adminGroup);
    expect(items.items).toEqual([{ id: '1:1:1', asset: null, parentGroupAsset: { id: adminGroup } }]);
    const usage = await env.platform.ok(outsider.token, GROUPS_USAGE, { ids: [hidden] });
    expect(usage.assets.assets).toEqual([]);
  });
});

describe('removeItemsFromGroups and groupsUsage', () => {
  it('removes the items named, answers those removed, closes the gap', async () => {
    const { editor, create } = env;
    const group = await create(editor.token, 'Group');
    const [first, second, third] = [
      await create(editor.token, 'Video'),
      await create(editor.token, 'Video'),
      await create(editor.token, 'Video'),
    ];
    await add(editor.token, group, [{ assetId: first }, { assetId: second }, { assetId: third }]);
    const usedBefore = await env.platform.ok(editor.token, GROUPS_USAGE, { ids: [second] });
    expect(usedBefore.assets.assets[0].usage.groupsUsage).toEqual({ totalCount: 1, assets: [{ id: group }] });
    const { body } = await env.platform.as(editor.token, REMOVE, {
      input: { groupItemsWith: { groupAndIds: [{ groupId: group, groupItemIds: ['1:1:2', '1:1:7'] }] } },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.removeItemsFromGroups.removedItemIdsByGroupId).toEqual([{ groupId: group, groupItemIds: ['1:1:2'] }]);
    expect((await itemsOf(editor.token, group)).items.map((item: { asset: { id: string } }) => item.asset.id)).toEqual([first, third]);
    const usedAfter = await env.platform.ok(editor.token, GROUPS_USAGE, { ids: [second] });
    expect(usedAfter.assets.assets[0].usage.groupsUsage).toEqual({ totalCount: 0, assets: [] });
    // Numbered one past the highest number held on the channel.
    const again = await add(editor.token, group, [{ assetId: second, position: 1 }]);
    expect(again.body.data.addItemsToGroups.groupItems[0].id).toBe('1:1:4');
  });

  it('needs Insert and Remove on the group', async () => {
    const { editor, outsider, create } = env;
    const group = await create(editor.token, 'Group');
    await add(editor.token, group, [{ assetId: await create(editor.token, 'Video') }]);
    const { body } = await env.platform.as(outsider.token, REMOVE, {
      input: { groupItemsWith: { groupAndIds: [{ groupId: group, groupItemIds: ['1:1:1'] }] } },
    });
    expect(body.data).toEqual({ removeItemsFromGroups: { removedItemIdsByGroupId: [] } });
    expect(errorOf(body)).toMatchObject({ errorCode: 'NoAccessRightsException', operationType: 'DELETE', resourceSelector: group });
    expect((await itemsOf(editor.token, group)).totalCount).toBe(1);
  });
});
