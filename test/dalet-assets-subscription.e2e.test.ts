/**
 * The assets subscription through the gateway over WebSocket: the doc's example as printed, each asset
 * mutation's notification (CREATED, MODIFIED, LINKED_TO_CATEGORY, REMOVED_FROM_CATEGORY, DELETED), the
 * `assetsWith` filter, and the subscriber's View right on the primary category (DELETED reaching everyone).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';
import { daletSubscriber, until, untilEvent, type DaletSubscriber } from './helpers/dalet-subscriptions.ts';

let platform: DaletPlatform;
let subscriber: DaletSubscriber;
let editor: { id: string; token: string };
let outsider: { id: string; token: string };
let toReview: string;
let archive: string;
let privateFolder: string;
beforeAll(async () => {
  platform = await startDaletPlatform();
  subscriber = daletSubscriber(platform.gatewayUrl);
  editor = await platform.newUser('sub_asset_editor');
  outsider = await platform.newUser('sub_asset_outsider');
  await platform.ok(
    platform.adminToken,
    `mutation { addUsersToUserGroups(input: { users: { ids: [${editor.id}] }, userGroups: { names: ["EDITORS"] } }) { addedAssociations { users { id } } } }`,
  );
  const found = await platform.ok(
    editor.token,
    `{ categories(input: { where: { fullNames: ["CATEGORIES/To review", "CATEGORIES/Archive"] } }) { categories { id name } }
       users(input: { where: { ids: [${editor.id}] } }) { users { privateCategory { id } } } }`,
  );
  [toReview, archive] = ['To review', 'Archive'].map(
    (name) => found.categories.categories.find((category: any) => category.name === name).id,
  );
  privateFolder = found.users.users[0].privateCategory.id;
}, 60_000);
afterAll(async () => {
  await subscriber?.close();
  await platform?.stop();
});

const createAsset = async (mutation: string, name: string, categoryId = toReview): Promise<string> =>
  (
    await platform.ok(
      editor.token,
      `mutation { ${mutation}(input: { assets: { assetName: "${name}", categoryId: ${categoryId} } }) { assets { id } } }`,
    )
  )[mutation].assets[0].id;

const ALL_SELECTION =
  'notifications { contents { receivedAt rawNotification type initiatedByUser { login } initiatedByApplication relatedCategory { id } } asset { id name } }';

describe('assets', () => {
  it("the doc's example: every notification about video assets, and none about audio", async () => {
    const received = subscriber.subscribe(
      editor.token,
      `subscription {
  assets(
    input: {
      notificationTypes: [ALL]
      assetsWith: { assetTypesWith: { mediaTypes: [VIDEO] } }
    }
  ) {
    notifications {
      contents {
        receivedAt
        rawNotification
        type
      }
    }
  }
}`,
    );
    const got = () => received.notifications('assets');
    await untilEvent(
      () => got().length > 0,
      () => createAsset('createVideoAssets', 'Warm-up'),
      'the assets subscription',
    );
    const before = got().length;
    const audio = await createAsset('createAudioAssets', 'Not video');
    const video = await createAsset('createVideoAssets', 'Video');
    await until(() => got().length > before, 'the CREATED notification');
    const raw = got()
      .slice(before)
      .map((notification) => JSON.parse(notification.contents[0].rawNotification));
    expect(raw).toEqual([expect.objectContaining({ topic: 'assets', type: 'CREATED', id: Number(video) })]);
    expect(raw.some((notice) => notice.id === Number(audio))).toBe(false);
    expect(received.errors).toEqual([]);
  });

  it('each mutation its notification, with who made it and the category linked', async () => {
    const id = await createAsset('createImageAssets', 'Watched');
    const received = subscriber.subscribe(
      editor.token,
      `subscription { assets(input: { notificationTypes: [ALL], assetsWith: { ids: [${id}] } }) { ${ALL_SELECTION} } }`,
    );
    const got = () => received.notifications('assets');
    const rename = (name: string) =>
      platform.ok(editor.token, `mutation { updateAssets(input: { assets: { id: ${id}, name: "${name}" } }) { assets { id } } }`);
    await untilEvent(
      () => got().length > 0,
      () => rename('Warm-up'),
      'the assets subscription',
    );
    let seen = got().length;
    const next = async (change: () => Promise<unknown>, what: string) => {
      await change();
      await until(() => got().length > seen, what);
      const notification = got().at(-1);
      seen = got().length;
      return notification;
    };
    expect(await next(() => rename('Renamed'), 'MODIFIED')).toMatchObject({
      contents: [
        { type: 'MODIFIED', initiatedByUser: { login: 'sub_asset_editor' }, initiatedByApplication: 'WebService3', relatedCategory: null },
      ],
      asset: { id, name: 'Renamed' },
    });
    const link = `assetsWith: { ids: [${id}] }, linkedCategoriesWith: { ids: [${archive}] }`;
    expect(
      await next(() => platform.ok(editor.token, `mutation { linkAssetsToCategories(input: { ${link} }) { assets { id } } }`), 'LINKED'),
    ).toMatchObject({
      contents: [{ type: 'LINKED_TO_CATEGORY', relatedCategory: { id: archive } }],
    });
    expect(
      await next(
        () => platform.ok(editor.token, `mutation { removeLinksFromCategories(input: { ${link} }) { assets { id } } }`),
        'REMOVED',
      ),
    ).toMatchObject({
      contents: [{ type: 'REMOVED_FROM_CATEGORY', relatedCategory: { id: archive } }],
    });
    expect(
      await next(
        () => platform.ok(editor.token, `mutation { deleteAssets(input: { assetsWith: { ids: [${id}] } }) { deletedAssetIds } }`),
        'DELETED',
      ),
    ).toMatchObject({
      contents: [{ type: 'DELETED' }],
      asset: { id, name: 'Renamed' },
    });
  });

  it('a subscriber sees only the assets of categories they may View, but every DELETED', async () => {
    const received = subscriber.subscribe(
      outsider.token,
      `subscription { assets(input: { notificationTypes: [CREATED, DELETED] }) { ${ALL_SELECTION} } }`,
    );
    const got = () => received.notifications('assets');
    await untilEvent(
      () => got().length > 0,
      () => createAsset('createVideoAssets', 'Public warm-up'),
      'the assets subscription',
    );
    const hidden = await createAsset('createVideoAssets', 'Hidden', privateFolder);
    const shown = await createAsset('createVideoAssets', 'Shown');
    await until(() => got().some((notification) => notification.asset.id === shown), 'the visible CREATED');
    expect(got().some((notification) => notification.asset?.id === hidden)).toBe(false);
    await platform.ok(editor.token, `mutation { deleteAssets(input: { assetsWith: { ids: [${hidden}] } }) { deletedAssetIds } }`);
    await until(() => got().some((notification) => notification.contents[0].type === 'DELETED'), 'the DELETED of the hidden asset');
    expect(JSON.parse(got().at(-1).contents[0].rawNotification)).toMatchObject({ type: 'DELETED', id: Number(hidden) });
  });
});
