/**
 * Locators through the gateway: createLocators with time codes checked against the type and the asset,
 * `locators` and `AssetIfc.locators` with every filter, the Locator's fields, updating a locator through
 * updateObjectsMetadata, deleteLocators (a silent no-op without rights), and the rights each needs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStructuresPlatform, type StructuresPlatform } from './helpers/dalet-structures.ts';

let world: StructuresPlatform;
beforeAll(async () => {
  world = await startStructuresPlatform();
}, 60_000);
afterAll(async () => world?.platform.stop());

const as = (token: string, query: string, variables?: Record<string, unknown>) => world.platform.as(token, query, variables);
const ok = (token: string, query: string, variables?: Record<string, unknown>) => world.platform.ok(token, query, variables);

const CREATE = `mutation ($input: CreateLocatorsInput!) { createLocators(input: $input) { locators { id objectType timecodeIn timecodeOut lastModifiedBy
  type { name subtype family { name } } parentObject { id } } } }`;
const create = (token: string, assetId: string, locators: Record<string, unknown>) =>
  as(token, CREATE, { input: { assetLocators: [{ assetId, locators }] } });
const createdId = async (assetId: string, locators: Record<string, unknown>) => {
  const { body } = await create(world.editor.token, assetId, locators);
  expect(body.errors).toBeUndefined();
  return body.data.createLocators.locators[0].id as string;
};
const LIST = `query ($where: LocatorFilterInput) { locators(input: { where: $where }) { totalCount locators { id } } }`;
const listed = async (token: string, where: Record<string, unknown>) =>
  ((await ok(token, LIST, { where })).locators.locators as { id: string }[]).map((locator) => locator.id);

describe('createLocators', () => {
  it("creates points and ranges of the site's types on an asset, written one way", async () => {
    const video = await world.create(world.editor.token, 'Video');
    const { body } = await as(world.editor.token, CREATE, {
      input: {
        assetLocators: [
          { assetId: video, locators: { typeName: 'NLP-NER', timecodeIn: '0' } },
          {
            assetId: video,
            locators: {
              typeName: 'Segment',
              timecodeIn: '0:0:1.000',
              timecodeOut: '00:00:02:12',
              metadata: [{ field: { name: 'Locator Comment' }, value: 'Intro' }],
            },
          },
        ],
      },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.createLocators.locators).toEqual([
      {
        id: expect.any(String),
        objectType: 'LOCATOR',
        timecodeIn: '00:00:00.000 PAL',
        timecodeOut: null,
        lastModifiedBy: 'editor',
        type: { name: 'NLP-NER', subtype: 'SINGLE', family: { name: 'NLP' } },
        parentObject: { id: video },
      },
      expect.objectContaining({
        timecodeIn: '00:00:01.000 PAL',
        timecodeOut: '00:00:02.480 PAL',
        type: expect.objectContaining({ name: 'Segment' }),
      }),
    ]);
  });

  it("checks time codes against the type and the clip's media, and the type against the site", async () => {
    const video = await world.create(world.editor.token, 'Video');
    const clip = await world.create(world.editor.token, 'Clip', { parentAssetId: video, tcIn: '00:00:05.000', tcOut: '00:00:10.000' });
    expect(
      (await create(world.editor.token, clip, { typeName: 'Segment', timecodeIn: '0:0:6.000', timecodeOut: '0:0:9.000' })).body.errors,
    ).toBeUndefined();
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [
        { typeName: 'Segment', timecodeIn: '0:0:6.000', timecodeOut: '0:0:11.000' },
        { name: 'timecodeOut', reason: 'INVALID_VALUE' },
      ],
      [
        { typeName: 'Break', timecodeIn: '0:0:4.000' },
        { name: 'timecodeIn', reason: 'INVALID_VALUE' },
      ],
      [
        { typeName: 'Segment', timecodeIn: '0:0:6.000' },
        { name: 'timecodeOut', reason: 'MISSING_VALUE' },
      ],
      [
        { typeName: 'Segment', timecodeIn: '0:0:8.000', timecodeOut: '0:0:7.000' },
        { name: 'timecodeOut', reason: 'INVALID_VALUE' },
      ],
      [
        { typeName: 'Break', timecodeIn: '0:0:6.000', timecodeOut: '0:0:7.000' },
        { name: 'timecodeOut', reason: 'INVALID_VALUE' },
      ],
    ];
    for (const [locator, refusal] of cases) {
      const { body } = await create(world.editor.token, clip, locator);
      expect(body.data.createLocators.locators).toEqual([]);
      expect(body.errors![0]).toMatchObject({ path: ['createLocators'], extensions: { errorCode: 'InvalidInput', ...refusal } });
    }
    const unknown = await create(world.editor.token, clip, { typeName: 'No Such Type', timecodeIn: '0:0:6.000' });
    expect(unknown.body.errors![0]!.extensions).toMatchObject({
      errorCode: 'ResourceDoesNotExist',
      resourceType: 'LOCATOR_TYPE',
      resourceSelector: 'No Such Type',
    });
  });

  it("needs Insert on the asset's category", async () => {
    const video = await world.create(world.editor.token, 'Video');
    const { body } = await create(world.outsider.token, video, { typeName: 'NLP-NER', timecodeIn: '0' });
    expect(body.data.createLocators.locators).toEqual([]);
    expect(body.errors![0]!.extensions).toMatchObject({
      errorCode: 'NoAccessRightsException',
      operationType: 'CREATE',
      resourceType: 'ASSET',
      resourceSelector: video,
    });
  });
});

describe('locators and AssetIfc.locators', () => {
  it('filter by ids, assets, type and family names and overlapping ranges, all ANDed, only where the caller may View', async () => {
    const video = await world.create(world.editor.token, 'Video');
    const other = await world.create(world.editor.token, 'Video');
    const hiddenAsset = await world.create(world.editor.token, 'Video', { categoryId: world.editorPrivate });
    const early = await createdId(video, { typeName: 'Segment', timecodeIn: '0:0:1.000', timecodeOut: '0:0:3.000' });
    const late = await createdId(video, { typeName: 'Segment', timecodeIn: '0:0:10.000', timecodeOut: '0:0:12.000' });
    const point = await createdId(video, { typeName: 'Break', timecodeIn: '0:0:2.000' });
    const elsewhere = await createdId(other, { typeName: 'Segment', timecodeIn: '0:0:1.000', timecodeOut: '0:0:2.000' });
    const hidden = await createdId(hiddenAsset, { typeName: 'Segment', timecodeIn: '0:0:1.000', timecodeOut: '0:0:2.000' });

    const token = world.outsider.token;
    expect(await listed(token, { assetIds: [video] })).toEqual([early, late, point]);
    expect(await listed(token, { assetIds: [video, other], typeNames: ['Segment'] })).toEqual([early, late, elsewhere]);
    expect(await listed(token, { assetIds: [video], familyNames: ['Segments'], ranges: [{ from: '0:0:2.500', to: '0:0:9.000' }] })).toEqual(
      [early],
    );
    expect(
      await listed(token, {
        assetIds: [video],
        ranges: [
          { from: '0:0:2.000', to: '0:0:2.000' },
          { from: '0:0:11.000', to: '0:0:20.000' },
        ],
      }),
    ).toEqual([early, late, point]);
    expect(await listed(token, { ids: [late, hidden] })).toEqual([late]);
    expect(await listed(world.editor.token, { ids: [late, hidden] })).toEqual([late, hidden]);
    expect(await listed(token, { assetIds: [video], typeNames: ['No Such Type'] })).toEqual([]);

    const nested = await ok(
      token,
      `query ($id: ID) { assets(input: { where: { ids: [$id] } }) { assets { locators(input: { where: { typeNames: ["Segment"] }, select: { first: 1 } }) {
        totalCount pageInfo { hasNextPage } locators { id } } } } }`,
      { id: video },
    );
    expect(nested.assets.assets[0].locators).toEqual({ totalCount: 2, pageInfo: { hasNextPage: true }, locators: [{ id: early }] });
  });

  it('a locator is updated through updateObjectsMetadata, and answers its metadata', async () => {
    const video = await world.create(world.editor.token, 'Video');
    const locator = await createdId(video, { typeName: 'Note', timecodeIn: '0:0:1.000', timecodeOut: '0:0:2.000' });
    const update = (token: string) =>
      as(
        token,
        `mutation ($id: ID!) { updateObjectsMetadata(input: { actionType: SET, objectsMetadata: [{ objectId: $id, objectType: LOCATOR,
        metadata: [{ field: { name: "Locator Comment" }, value: "Checked" }] }] }) { updatedObjects { id objectType ... on Locator { lastModifiedBy } } } }`,
        { id: locator },
      );
    const { body } = await update(world.editor.token);
    expect(body.errors).toBeUndefined();
    expect(body.data.updateObjectsMetadata.updatedObjects).toEqual([{ id: locator, objectType: 'LOCATOR', lastModifiedBy: 'editor' }]);
    const read = await ok(
      world.outsider.token,
      `query ($id: ID) { locators(input: { where: { ids: [$id] } }) { locators { ... on Locator { metadata { metadata { field { name } ... on TextMetadata { value } } } } } } }`,
      { id: locator },
    );
    expect(read.locators.locators[0].metadata.metadata).toEqual([{ field: { name: 'Locator Comment' }, value: ['Checked'] }]);
    const denied = await update(world.outsider.token);
    expect(denied.body.errors![0]!.extensions).toMatchObject({
      errorCode: 'NoAccessRightsException',
      resourceType: 'LOCATOR',
      resourceSelector: locator,
    });
  });
});

describe('deleteLocators', () => {
  const DELETE = `mutation ($where: LocatorFilterInput!) { deleteLocators(input: { locatorsWith: $where }) { deletedLocatorIds } }`;

  it('deletes what matches and the caller may change; the rest silently stays', async () => {
    const video = await world.create(world.editor.token, 'Video');
    const first = await createdId(video, { typeName: 'NLP-NER', timecodeIn: '0' });
    const second = await createdId(video, { typeName: 'NLP-NER', timecodeIn: '0' });
    const segment = await createdId(video, { typeName: 'Segment', timecodeIn: '0:0:1.000', timecodeOut: '0:0:2.000' });
    expect(await as(world.outsider.token, DELETE, { where: { assetIds: [video] } })).toMatchObject({
      body: { data: { deleteLocators: { deletedLocatorIds: [] } } },
    });
    expect(
      (await ok(world.editor.token, DELETE, { where: { assetIds: [video], typeNames: ['NLP-NER'] } })).deleteLocators.deletedLocatorIds,
    ).toEqual([first, second]);
    expect(await listed(world.editor.token, { assetIds: [video] })).toEqual([segment]);
    expect((await ok(world.editor.token, DELETE, { where: { ids: [first, '0'] } })).deleteLocators.deletedLocatorIds).toEqual([]);
  });

  it('wants ids or assetIds', async () => {
    const { body } = await as(world.editor.token, DELETE, { where: { typeNames: ['NLP-NER'] } });
    expect(body.data).toEqual({ deleteLocators: { deletedLocatorIds: [] } });
    expect(body.errors![0]!.extensions).toMatchObject({ errorCode: 'InvalidInput', reason: 'MISSING_VALUE', name: 'locatorsWith' });
  });

  it('a locator goes with its asset', async () => {
    const video = await world.create(world.editor.token, 'Video');
    const locator = await createdId(video, { typeName: 'NLP-NER', timecodeIn: '0' });
    await ok(world.editor.token, `mutation { deleteAssets(input: { assetsWith: { ids: [${video}] } }) { deletedAssetIds } }`);
    expect(await listed(world.editor.token, { ids: [locator] })).toEqual([]);
  });
});
