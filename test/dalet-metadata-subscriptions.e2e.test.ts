/**
 * The metadata and locators subscriptions through the gateway over WebSocket: each receives the notices of
 * the mutations that cause them (updateObjectsMetadata, table rows, group items; createLocators, updating a
 * locator, deleteLocators), filtered by notification types, by `objectsWith`/`dataFieldsWith` and
 * `locatorsWith`, and by the subscriber's View right (DELETED reaching everyone). The doc's two examples run
 * as printed, with ids the test created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METADATA_SUBSCRIPTION_EXAMPLES } from './fixtures/dalet-metadata-examples.ts';
import { startStructuresPlatform, type StructuresPlatform } from './helpers/dalet-structures.ts';
import { daletSubscriber, until, untilEvent, type DaletSubscriber } from './helpers/dalet-subscriptions.ts';

let world: StructuresPlatform;
let subscriber: DaletSubscriber;
beforeAll(async () => {
  world = await startStructuresPlatform();
  subscriber = daletSubscriber(world.platform.gatewayUrl);
}, 60_000);
afterAll(async () => {
  await subscriber?.close();
  await world?.platform.stop();
});

const ok = (query: string) => world.platform.ok(world.editor.token, query);
const setMetadata = (objectType: string, objectId: string, field: string, value: string) =>
  ok(`mutation { updateObjectsMetadata(input: { actionType: SET, objectsMetadata: [{ objectId: ${objectId}, objectType: ${objectType},
    metadata: [{ field: { name: "${field}" }, value: "${value}" }] }] }) { updatedObjects { id } } }`);
const createLocator = async (assetId: string, typeName = 'NLP-NER') =>
  (
    await ok(
      `mutation { createLocators(input: { assetLocators: [{ assetId: ${assetId}, locators: { typeName: "${typeName}", timecodeIn: "0" } }] }) { locators { id } } }`,
    )
  ).createLocators.locators[0].id as string;

describe('metadata', () => {
  it('the doc\'s example: notices of "Title Kill Date" on assets, with who made them; no others', async () => {
    const video = await world.create(world.editor.token, 'Video');
    const received = subscriber.subscribe(world.platform.adminToken, METADATA_SUBSCRIPTION_EXAMPLES.metadata);
    let date = 0;
    await untilEvent(
      () => received.notifications('metadata').length > 0,
      () => setMetadata('ASSET', video, 'Title Kill Date', `2030-01-0${(date++ % 9) + 1}T00:00:00Z`),
      'the metadata notification',
    );
    const [notification] = received.notifications('metadata');
    expect(notification.contents[0]).toMatchObject({ receivedAt: expect.stringMatching(/Z$/), initiatedByUser: { login: 'editor' } });
    expect(JSON.parse(notification.contents[0].rawNotification)).toMatchObject({
      type: 'MODIFIED',
      id: Number(video),
      objectType: 'ASSET',
    });
    const before = received.notifications('metadata').length;
    await setMetadata('ASSET', video, 'Title Author', 'Someone');
    await setMetadata('ASSET', video, 'Title Kill Date', '2031-01-01T00:00:00Z');
    await until(() => received.notifications('metadata').length > before, 'the second notification');
    expect(received.notifications('metadata').slice(before)).toHaveLength(1);
  });

  it('objectsWith selects by type and id, contents answer the values now, and a subscriber sees only what they may View', async () => {
    const hidden = await world.create(world.editor.token, 'Video', { categoryId: world.editorPrivate });
    const seen = await world.create(world.editor.token, 'Video');
    const query = `subscription { metadata(input: { notificationTypes: [MODIFIED], objectsWith: [{ type: ASSET }] }) { notifications {
      contents { type metadata { field { name } ... on TextMetadata { value } } } object { id objectType } } } }`;
    const outsider = subscriber.subscribe(world.outsider.token, query);
    const category = subscriber.subscribe(
      world.platform.adminToken,
      `subscription { metadata(input: { notificationTypes: [ALL], objectsWith: [{ type: CATEGORY, ids: ${world.toReview} }] }) {
      notifications { object { id } } } }`,
    );
    await untilEvent(
      () => outsider.notifications('metadata').length > 0,
      () => setMetadata('ASSET', seen, 'Title Author', 'Seen'),
      'the outsider notice',
    );
    await setMetadata('ASSET', hidden, 'Title Author', 'Hidden');
    await untilEvent(
      () => category.notifications('metadata').length > 0,
      () => setMetadata('CATEGORY', world.toReview, 'Category Description', 'Review'),
      'the category notice',
    );
    await setMetadata('ASSET', seen, 'Title Author', 'Seen again');
    await until(
      () => outsider.notifications('metadata').some((notice) => notice.contents[0].metadata[0].value[0] === 'Seen again'),
      'the last notice',
    );
    const objects = outsider.notifications('metadata').map((notice) => notice.object);
    expect(objects.every((object) => object.id === seen && object.objectType === 'ASSET')).toBe(true);
    expect(outsider.notifications('metadata')[0].contents[0]).toMatchObject({
      type: 'MODIFIED',
      metadata: [{ field: { name: 'Title Author' } }],
    });
    expect(category.notifications('metadata').map((notice) => notice.object.id)).toEqual([world.toReview]);
  });
});

describe('assets', () => {
  it('an asset whose metadata changes is MODIFIED for the assets subscription', async () => {
    const video = await world.create(world.editor.token, 'Video');
    const received = subscriber.subscribe(
      world.outsider.token,
      `subscription { assets(input: { notificationTypes: [MODIFIED], assetsWith: { ids: [${video}] } }) { notifications { contents { type } asset { id } } } }`,
    );
    let round = 0;
    await untilEvent(
      () => received.notifications('assets').length > 0,
      () => setMetadata('ASSET', video, 'Title Author', `Round ${round++}`),
      'the asset notice',
    );
    expect(received.notifications('assets')[0]).toEqual({ contents: [{ type: 'MODIFIED' }], asset: { id: video } });
  });
});

describe('locators', () => {
  it("the doc's example: every notice about NLP-NER locators of one asset", async () => {
    const video = await world.create(world.editor.token, 'Video');
    const other = await world.create(world.editor.token, 'Video');
    const received = subscriber.subscribe(world.platform.adminToken, METADATA_SUBSCRIPTION_EXAMPLES.locators.replace('17392', video));
    await untilEvent(
      () => received.notifications('locators').length > 0,
      () => createLocator(video),
      'the locator notification',
    );
    await createLocator(other);
    await createLocator(video, 'Break');
    const last = await createLocator(video);
    await ok(`mutation { updateObjectsMetadata(input: { actionType: SET, objectsMetadata: [{ objectId: ${last}, objectType: LOCATOR,
      metadata: [{ field: { name: "LOCATOR_Comment" }, value: "ok" }] }] }) { updatedObjects { id } } }`);
    await ok(`mutation { deleteLocators(input: { locatorsWith: { ids: [${last}] } }) { deletedLocatorIds } }`);
    await until(() => received.notifications('locators').some((notice) => notice.contents[0].type === 'DELETED'), 'the DELETED notice');
    const types = received.notifications('locators').map((notice) => notice.contents[0].type);
    expect(types.slice(-3)).toEqual(['CREATED', 'MODIFIED', 'DELETED']);
    expect(types.filter((type) => type !== 'CREATED')).toEqual(['MODIFIED', 'DELETED']);
    for (const notice of received.notifications('locators'))
      expect(JSON.parse(notice.contents[0].rawNotification)).toMatchObject({ assetId: Number(video), typeName: 'NLP-NER' });
  });

  it('a subscriber gets the locators of assets they may View, and DELETED ones whatever they may View', async () => {
    const hiddenAsset = await world.create(world.editor.token, 'Video', { categoryId: world.editorPrivate });
    const seenAsset = await world.create(world.editor.token, 'Video');
    const received = subscriber.subscribe(
      world.outsider.token,
      `subscription { locators(input: { notificationTypes: [ALL] }) { notifications { contents { type asset { id } } locators { id } } } }`,
    );
    await untilEvent(
      () => received.notifications('locators').length > 0,
      () => createLocator(seenAsset),
      'the visible notice',
    );
    const hidden = await createLocator(hiddenAsset);
    await ok(`mutation { deleteLocators(input: { locatorsWith: { ids: [${hidden}] } }) { deletedLocatorIds } }`);
    await until(() => received.notifications('locators').some((notice) => notice.contents[0].type === 'DELETED'), 'the DELETED notice');
    const notices = received.notifications('locators');
    expect(notices.filter((notice) => notice.locators.id === hidden)).toEqual([
      { contents: [{ type: 'DELETED', asset: null }], locators: { id: hidden } },
    ]);
    expect(
      notices.filter((notice) => notice.contents[0].type === 'CREATED').every((notice) => notice.contents[0].asset.id === seenAsset),
    ).toBe(true);
  });
});
