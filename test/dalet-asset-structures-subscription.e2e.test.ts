/**
 * The assets subscription through the gateway over WebSocket, for what the structures change: a group's
 * items added or removed, a video's CG or subtitles associations made or removed, each MODIFIED on the
 * asset changed, seen only by subscribers who may View it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daletSubscriber, until, untilEvent, type DaletSubscriber } from './helpers/dalet-subscriptions.ts';
import { startStructuresPlatform, type StructuresPlatform } from './helpers/dalet-structures.ts';

let env: StructuresPlatform;
let subscriber: DaletSubscriber;
beforeAll(async () => {
  env = await startStructuresPlatform();
  subscriber = daletSubscriber(env.platform.gatewayUrl);
}, 60_000);
afterAll(async () => {
  await subscriber?.close();
  await env?.platform.stop();
});

const SELECTION = 'notifications { contents { type initiatedByUser { login } } asset { id } }';
const watch = (token: string, ids: string[]) =>
  subscriber.subscribe(
    token,
    `subscription ($ids: [ID]) { assets(input: { notificationTypes: [MODIFIED], assetsWith: { ids: $ids } }) { ${SELECTION} } }`,
    {
      ids,
    },
  );
const addItem = (token: string, groupId: string, assetId: string) =>
  env.platform.ok(token, 'mutation ($input: AddItemsToGroupsInput!) { addItemsToGroups(input: $input) { groupItems { id } } }', {
    input: { itemsToGroups: [{ groupId, assetSegments: [{ assetId }] }] },
  });

describe('assets subscription, for the structures', () => {
  it('MODIFIED on the group for items added and removed, on the video for its associations', async () => {
    const { editor, create, platform } = env;
    const [group, video, cg] = [
      await create(editor.token, 'Group'),
      await create(editor.token, 'Video'),
      await create(editor.token, 'CG', { cgType: { id: '1078' } }),
    ];
    const received = watch(editor.token, [group, video]);
    const got = () => received.notifications('assets');
    await untilEvent(
      () => got().length > 0,
      () => addItem(editor.token, group, video),
      'the assets subscription',
    );
    expect(got()[0]).toEqual({ contents: [{ type: 'MODIFIED', initiatedByUser: { login: 'editor' } }], asset: { id: group } });
    let seen = got().length;
    const next = async (change: () => Promise<unknown>, what: string) => {
      await change();
      await until(() => got().length > seen, what);
      const arrived = got().slice(seen);
      seen = got().length;
      return arrived.map((notification) => notification.asset.id);
    };
    const associate = () =>
      platform.ok(
        editor.token,
        'mutation ($input: CreateCGToVideoAssociationsInput!) { createCGToVideoAssociations(input: $input) { associations { id } } }',
        { input: { associations: [{ videoAssetId: video, cgAssetId: cg, studioChannelName: 'CG' }] } },
      );
    expect(await next(associate, 'the association')).toEqual([video]);
    const remove = () =>
      platform.ok(
        editor.token,
        'mutation ($input: RemoveItemsFromGroupsInput!) { removeItemsFromGroups(input: $input) { removedItemIdsByGroupId { groupItemIds } } }',
        { input: { groupItemsWith: { groupAndIds: [{ groupId: group, groupItemIds: ['1:1:1'] }] } } },
      );
    expect(await next(remove, 'the removal')).toEqual([group]);
    expect(received.errors).toEqual([]);
  });

  it('a group the subscriber may not View stays out', async () => {
    const { editor, outsider, editorPrivate, create } = env;
    const [shown, hidden, video] = [
      await create(editor.token, 'Group'),
      await create(editor.token, 'Group', { categoryId: editorPrivate }),
      await create(editor.token, 'Video'),
    ];
    const received = watch(outsider.token, [shown, hidden]);
    const got = () => received.notifications('assets');
    await untilEvent(
      () => got().length > 0,
      async () => {
        await addItem(editor.token, hidden, video);
        await addItem(editor.token, shown, video);
      },
      'the notification about the group shown',
    );
    expect(new Set(got().map((notification) => notification.asset.id))).toEqual(new Set([shown]));
  });
});
