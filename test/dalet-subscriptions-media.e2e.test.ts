/**
 * The mediaInfos subscription through the gateway over WebSocket: the doc's example as printed (ids the test
 * made), its assetIds and formatIds filters, the View right on the asset, and DELETED for everyone as a
 * DeletedMediaInfo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';
import { createTestAsset } from './helpers/dalet-assets.ts';
import { daletSubscriber, until, untilEvent, type DaletSubscriber } from './helpers/dalet-subscriptions.ts';

let platform: DaletPlatform;
let subscriber: DaletSubscriber;
let outsider: { id: string; token: string };
beforeAll(async () => {
  platform = await startDaletPlatform();
  subscriber = daletSubscriber(platform.gatewayUrl);
  outsider = await platform.newUser('media_sub_outsider');
}, 60_000);
afterAll(async () => {
  await subscriber?.close();
  await platform?.stop();
});

const createMedia = async (assetId: string, formatId: string): Promise<string> =>
  (
    await platform.ok(
      platform.adminToken,
      `mutation { createFileMediaInfo(input: { formatId: "${formatId}", storageUnitId: "401", assetId: "${assetId}" }) { mediaInfo { id } } }`,
    )
  ).createFileMediaInfo.mediaInfo.id;
let renames = 0;
const rename = (id: string) =>
  platform.ok(
    platform.adminToken,
    `mutation { updateFileMediaInfo(input: { mediaInfoWith: { ids: [${id}] }, baseFilename: "take ${++renames}" }) { mediaInfo { id } } }`,
  );
const remove = (id: string) =>
  platform.ok(platform.adminToken, `mutation { deleteMediaInfo(input: { mediaInfoWith: { ids: [${id}] } }) { deletedMediaInfoId } }`);

describe('mediaInfos', () => {
  it("the doc's example: the media infos of one format in one asset, whatever happens to them", async () => {
    const asset = await createTestAsset(platform, 'Watched clip', 'CATEGORIES/To review');
    const other = await createTestAsset(platform, 'Other clip', 'CATEGORIES/To review');
    const watched = await createMedia(asset, '302');
    const received = subscriber.subscribe(
      platform.adminToken,
      `subscription {
  mediaInfos(
    input: { notificationTypes: [ALL], assetIds: [${asset}], formatIds: [302] }
  ) {
    notifications {
      contents {
        receivedAt
        rawNotification
        type
      }
      mediaInfo {
        id
      }
    }
  }
}`,
    );
    const about = () => received.notifications('mediaInfos');
    await untilEvent(
      () => about().length > 0,
      () => rename(watched),
      'the mediaInfos subscription',
    );
    await createMedia(asset, '311');
    await createMedia(other, '302');
    await remove(watched);
    await until(() => about().some((notification) => notification.contents[0].type === 'DELETED'), 'DELETED');
    expect(about().every((notification) => notification.mediaInfo.id === watched)).toBe(true);
    expect(new Set(about().map((notification) => notification.contents[0].type))).toEqual(new Set(['MODIFIED', 'DELETED']));
    expect(JSON.parse(about().at(-1).contents[0].rawNotification)).toMatchObject({
      topic: 'mediaInfos',
      type: 'DELETED',
      id: Number(watched),
      assetId: Number(asset),
      formatId: '302',
    });
  });

  it('with View on the asset only; DELETED reaches everyone, as a DeletedMediaInfo', async () => {
    const shared = await createMedia(await createTestAsset(platform, 'Shared clip', 'CATEGORIES/To review'), '302');
    const hiddenAsset = await createTestAsset(platform, 'Hidden clip', 'CATEGORIES/Private/test_admin 1');
    const received = subscriber.subscribe(
      outsider.token,
      `subscription { mediaInfos(input: { notificationTypes: [CREATED, MODIFIED, DELETED] }) {
        notifications { contents { type initiatedByUser { login } } mediaInfo { __typename id format { id } } } } }`,
    );
    const about = () => received.notifications('mediaInfos');
    await untilEvent(
      () => about().length > 0,
      () => rename(shared),
      'the mediaInfos subscription',
    );
    const hidden = await createMedia(hiddenAsset, '311');
    await rename(hidden);
    await remove(hidden);
    await until(() => about().some((notification) => notification.contents[0].type === 'DELETED'), 'DELETED');
    const aboutHidden = about().filter((notification) => notification.mediaInfo.id === hidden);
    expect(aboutHidden).toEqual([
      {
        contents: [{ type: 'DELETED', initiatedByUser: { login: 'test_admin' } }],
        mediaInfo: { __typename: 'DeletedMediaInfo', id: hidden, format: { id: '311' } },
      },
    ]);
  });
});
