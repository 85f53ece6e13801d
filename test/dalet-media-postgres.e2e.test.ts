/**
 * Media infos and their notifications on PostgreSQL (DATABASE_URL): migration 006, the unique media info a
 * format and unit, the View filter through the asset, keyset pages, the asset's cascade, and a mediaInfos
 * subscription fed by a mutation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAsset } from './helpers/dalet-assets.ts';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';
import { daletSubscriber, until, untilEvent, type DaletSubscriber } from './helpers/dalet-subscriptions.ts';
import { startPostgres, type PostgresServer } from './helpers/postgres.ts';

describe('dalet media on PostgreSQL', () => {
  let postgres: PostgresServer;
  let platform: DaletPlatform;
  let subscriber: DaletSubscriber;
  beforeAll(async () => {
    postgres = await startPostgres();
    platform = await startDaletPlatform({ DATABASE_URL: await postgres.createDatabase() });
    subscriber = daletSubscriber(platform.gatewayUrl);
  }, 60_000);
  afterAll(async () => {
    await subscriber?.close();
    await platform?.stop();
    await postgres?.stop();
  });

  const create = (assetId: string, formatId: string) =>
    platform.as(
      platform.adminToken,
      `mutation { createFileMediaInfo(input: { formatId: "${formatId}", storageUnitId: "401", assetId: "${assetId}", mediaProcessStatus: NEAR_ONLINE, duration: "00:00:05.000 PAL" }) {
        mediaInfo { id ... on VideoMediaInfo { duration } } } }`,
    );

  it('creates, pages, filters by View, refuses a second one of a format and unit, and notifies', async () => {
    const outsider = await platform.newUser('pg_media_outsider');
    const shared = await createTestAsset(platform, 'PG shared', 'CATEGORIES/To review');
    const hidden = await createTestAsset(platform, 'PG hidden', 'CATEGORIES/Private/test_admin 1');
    const received = subscriber.subscribe(
      outsider.token,
      `subscription { mediaInfos(input: { notificationTypes: [CREATED, DELETED], assetIds: [${shared}, ${hidden}] }) {
        notifications { contents { type } mediaInfo { __typename id } } } }`,
    );
    const about = () => received.notifications('mediaInfos');
    const formats = ['302', '301', '311', '312'];
    const made: string[] = [];
    await untilEvent(
      () => about().length > 0,
      async () => {
        const { body } = await create(shared, formats[made.length]!);
        made.push(body.data.createFileMediaInfo.mediaInfo.id);
      },
      'the mediaInfos subscription',
    );
    expect((await create(shared, '302')).body.errors?.[0]?.extensions).toMatchObject({ precondition: 'MEDIA_ALREADY_EXISTS' });
    const { body } = await create(hidden, '302');
    expect(body.data.createFileMediaInfo.mediaInfo.duration).toBe('00:00:05.000 PAL');
    const hiddenMedia: string = body.data.createFileMediaInfo.mediaInfo.id;

    const page = await platform.ok(
      outsider.token,
      `{ mediaInfo(input: { where: { assetIds: [${shared}, ${hidden}] }, select: { first: 1 } }) { totalCount pageInfo { hasNextPage endCursor } mediaInfo { id } } }`,
    );
    expect(page.mediaInfo).toMatchObject({
      totalCount: made.length,
      pageInfo: { hasNextPage: made.length > 1 },
      mediaInfo: [{ id: made[0] }],
    });

    await platform.ok(platform.adminToken, `mutation { deleteAssets(input: { assetsWith: { ids: [${shared}] } }) { deletedAssetIds } }`);
    const left = await platform.ok(platform.adminToken, `{ mediaInfo(input: { where: { assetIds: [${shared}] } }) { totalCount } }`);
    expect(left.mediaInfo.totalCount).toBe(0);
    await platform.ok(
      platform.adminToken,
      `mutation { deleteMediaInfo(input: { mediaInfoWith: { assetMediaInfoWith: [{ assetId: "${hidden}" }] } }) { deletedMediaInfoId } }`,
    );
    await until(() => about().some((notification) => notification.mediaInfo.id === hiddenMedia), 'DELETED of the hidden one');
    const types = about().map((notification) => `${notification.contents[0].type} ${notification.mediaInfo.__typename}`);
    expect(types.filter((type) => type.startsWith('CREATED')).length).toBeGreaterThan(0);
    expect(types.at(-1)).toBe('DELETED DeletedMediaInfo');
    // The hidden asset's media info was shown to the outsider only by its deletion.
    const createdIds = about()
      .filter((notification) => notification.contents[0].type === 'CREATED')
      .map((notification) => notification.mediaInfo.id);
    expect(createdIds.every((id) => made.includes(id))).toBe(true);
    expect(about().filter((notification) => notification.mediaInfo.id === hiddenMedia)).toEqual([
      { contents: [{ type: 'DELETED' }], mediaInfo: { __typename: 'DeletedMediaInfo', id: hiddenMedia } },
    ]);
  });
});
