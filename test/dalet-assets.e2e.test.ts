/**
 * Assets created and read through the gateway: the 12 create mutations with their types and statuses
 * checked against the site configuration, the `assets` query's filters and pages, and an asset's fields,
 * for a user with Insert on the category (EDITORS on To review), one without, and the administrator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';

let platform: DaletPlatform;
let editor: { id: string; token: string };
let outsider: { id: string; token: string };
let toReview: string;
let archive: string;
beforeAll(async () => {
  platform = await startDaletPlatform();
  editor = await platform.newUser('asset_editor');
  outsider = await platform.newUser('asset_outsider');
  await platform.ok(
    platform.adminToken,
    `mutation { addUsersToUserGroups(input: { users: { ids: [${editor.id}] }, userGroups: { names: ["EDITORS"] } }) { addedAssociations { users { id } } } }`,
  );
  const categories = await platform.ok(
    platform.adminToken,
    '{ categories(input: { where: { fullNames: ["CATEGORIES/To review", "CATEGORIES/Archive"] } }) { categories { id fullName } } }',
  );
  const idOf = (fullName: string) => categories.categories.categories.find((category: any) => category.fullName === fullName).id;
  toReview = idOf('CATEGORIES/To review');
  archive = idOf('CATEGORIES/Archive');
}, 60_000);
afterAll(async () => platform?.stop());

const errorOf = (body: { errors?: { extensions?: Record<string, any> }[] }) => body.errors?.[0]?.extensions;

async function create(token: string, mutation: string, inputType: string, assets: Record<string, unknown>[]) {
  return platform.as(token, `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { assets { id __typename name } } }`, {
    input: { assets },
  });
}

const ASSET_FIELDS = `id __typename objectType name itemCode assetType { __typename id name mediaType } status { name }
  primaryCategory { id } createdBy { login } lastModifiedBy { login } createdAt lastModifiedAt startDate endDate killDate keepDate
  categories { totalCount categories { id } }`;

describe('the create mutations (Insert on the category)', () => {
  const cases: [string, string, Record<string, unknown>, string, string][] = [
    ['createVideoAssets', 'CreateVideoAssetsInput', {}, 'VideoAsset', 'Video'],
    ['createAudioAssets', 'CreateAudioAssetsInput', {}, 'AudioAsset', 'Audio'],
    ['createImageAssets', 'CreateImageAssetsInput', {}, 'ImageAsset', 'Image'],
    ['createGroupAssets', 'CreateGroupAssetsInput', {}, 'GroupAsset', 'Group'],
    ['createBundleAssets', 'CreateBundleAssetsInput', {}, 'BundleAsset', 'Bundle'],
    ['createTxVersionAssets', 'CreateTxVersionAssetsInput', {}, 'TxVersionAsset', 'TX Version'],
    ['createCGAssets', 'CreateCGAssetsInput', { cgType: { id: '1078' } }, 'CGAsset', 'Lower Third'],
    ['createExtendedAssets', 'CreateExtendedAssetsInput', { extendedType: { name: 'Archive File' } }, 'ExtendedAsset', 'Archive File'],
    ['createStoryAssets', 'CreateStoryAssetsInput', { storyTemplate: { id: '1001' } }, 'StoryAsset', 'News Story'],
    ['createSubtitlesAssets', 'CreateSubtitlesAssetsInput', { subtitlesType: { id: '1095' } }, 'SubtitlesAsset', 'Subtitle'],
  ];
  it.each(cases)('%s (%s)', async (mutation, inputType, typeInput, typename, typeName) => {
    const { body } = await create(editor.token, mutation, inputType, [
      { assetName: `${typename} one`, categoryId: toReview, ...typeInput },
    ]);
    expect(body.errors).toBeUndefined();
    const [created] = body.data[mutation].assets;
    expect(created).toMatchObject({ __typename: typename, name: `${typename} one` });
    const read = await platform.ok(editor.token, `{ assets(input: { where: { ids: [${created.id}] } }) { assets { ${ASSET_FIELDS} } } }`);
    expect(read.assets.assets[0]).toMatchObject({
      __typename: typename,
      objectType: 'ASSET',
      // Site policy: no item code given, the id is one.
      itemCode: created.id,
      assetType: { name: typeName },
      status: { name: 'New' },
      primaryCategory: { id: toReview },
      createdBy: { login: 'asset_editor' },
      lastModifiedBy: { login: 'asset_editor' },
      categories: { totalCount: 1, categories: [{ id: toReview }] },
    });
    const { startDate, killDate, keepDate } = read.assets.assets[0];
    // To review keeps the default offsets: killed 365 days on, kept 0 days.
    expect(Date.parse(killDate) - Date.parse(startDate)).toBe(365 * 86_400_000);
    expect(keepDate).toBe(startDate);
  });

  it('a clip of a video between two time codes, and a track stack in a bundle (in its category)', async () => {
    const video = (
      await create(editor.token, 'createVideoAssets', 'CreateVideoAssetsInput', [{ assetName: 'Source', categoryId: toReview }])
    ).body.data.createVideoAssets.assets[0];
    const clip = await platform.ok(
      editor.token,
      `mutation { createClipAssets(input: { assets: { assetName: "Cut", categoryId: ${toReview}, parentAssetId: ${video.id}, tcIn: "00:05", tcOut: "00:00:10.000 PAL" } }) {
        assets { id ... on ClipAsset { parentAsset { id } timecodeIn timecodeOut assetType { name } } } } }`,
    );
    expect(clip.createClipAssets.assets[0]).toMatchObject({
      parentAsset: { id: video.id },
      timecodeIn: '00:00:05.000 PAL',
      timecodeOut: '00:00:10.000 PAL',
      assetType: { name: 'Clip' },
    });
    const bundle = (
      await create(editor.token, 'createBundleAssets', 'CreateBundleAssetsInput', [{ assetName: 'Bundle', categoryId: toReview }])
    ).body.data.createBundleAssets.assets[0];
    const stack = await platform.ok(
      editor.token,
      `mutation { createTrackStackAssets(input: { assets: { bundleAssetId: ${bundle.id}, assetName: "Stereo", template: { name: "Stereo Programme" } } }) {
        assets { id __typename primaryCategory { id } assetType { __typename name } } } }`,
    );
    expect(stack.createTrackStackAssets.assets[0]).toMatchObject({
      __typename: 'TrackStackAsset',
      primaryCategory: { id: toReview },
      assetType: { __typename: 'TrackStackTemplate', name: 'Stereo Programme' },
    });
  });

  it('refuses a clip whose times are reversed, or whose parent has no time line', async () => {
    const image = (
      await create(editor.token, 'createImageAssets', 'CreateImageAssetsInput', [{ assetName: 'Still', categoryId: toReview }])
    ).body.data.createImageAssets.assets[0];
    const clipOf = (parentId: string, tcIn: string, tcOut: string) =>
      platform.as(
        editor.token,
        `mutation { createClipAssets(input: { assets: { assetName: "Cut", categoryId: ${toReview}, parentAssetId: ${parentId}, tcIn: "${tcIn}", tcOut: "${tcOut}" } }) { assets { id } } }`,
      );
    const notTimed = (await clipOf(image.id, '00:00', '00:10')).body;
    expect(notTimed.data).toEqual({ createClipAssets: { assets: [] } });
    expect(errorOf(notTimed)).toMatchObject({ errorCode: 'ResourcePreconditionViolation', precondition: 'MUST_BE_A_VIDEO_ASSET_TYPE' });
    const video = (await create(editor.token, 'createVideoAssets', 'CreateVideoAssetsInput', [{ assetName: 'Src', categoryId: toReview }]))
      .body.data.createVideoAssets.assets[0];
    expect(errorOf((await clipOf(video.id, '00:10', '00:05')).body)).toMatchObject({ errorCode: 'InvalidInput', name: 'tcOut' });
  });

  it('the status and item code given, and the metadata written as its data field says', async () => {
    const { body } = await create(editor.token, 'createAudioAssets', 'CreateAudioAssetsInput', [
      {
        assetName: 'Sound',
        categoryId: toReview,
        itemCode: 'ITEMCODE',
        status: { name: 'Approved' },
        metadata: [{ field: { name: 'Keywords' }, value: ['API3'] }],
      },
    ]);
    expect(body.errors).toBeUndefined();
    const read = await platform.ok(
      editor.token,
      `{ assets(input: { where: { ids: [${body.data.createAudioAssets.assets[0].id}] } }) { assets { itemCode status { name abbreviation } metadata { metadata { field { name } ... on TextMetadata { value } } } } } }`,
    );
    expect(read.assets.assets[0]).toMatchObject({
      itemCode: 'ITEMCODE',
      status: { name: 'Approved', abbreviation: 'APP' },
      metadata: { metadata: [{ field: { name: 'Keywords' }, value: ['API3'] }] },
    });
  });

  it('the doc errors: no Insert right (no resource named), a category that does not exist, an empty name', async () => {
    const refused = (
      await create(outsider.token, 'createAudioAssets', 'CreateAudioAssetsInput', [{ assetName: 'AudioAsset', categoryId: toReview }])
    ).body;
    expect(refused.data).toEqual({ createAudioAssets: { assets: [] } });
    expect(errorOf(refused)).toMatchObject({
      errorCode: 'NoAccessRightsException',
      operationType: 'CREATE',
      resourceType: 'ASSET',
      resourceSelector: null,
      userId: Number(outsider.id),
    });
    const missing = (
      await create(editor.token, 'createAudioAssets', 'CreateAudioAssetsInput', [{ assetName: 'AudioAsset', categoryId: '1000' }])
    ).body;
    expect(missing.errors?.[0]).toMatchObject({
      message: 'Resource with [Id: 1000, Type: Category] does not exist',
      path: ['createAudioAssets'],
      extensions: { errorCode: 'ResourceDoesNotExist', resourceSelectorType: 'ID', resourceSelector: '1000', resourceType: 'CATEGORY' },
    });
    const empty = (await create(editor.token, 'createAudioAssets', 'CreateAudioAssetsInput', [{ assetName: '', categoryId: toReview }]))
      .body;
    expect(empty.errors?.[0]?.message).toBe(
      'Input name [name] with value [] is invalid with [Missing Value] reason. Error details: Must not be empty',
    );
  });

  it('types and statuses checked against the configuration', async () => {
    const cg = (cgType: Record<string, string>) =>
      create(editor.token, 'createCGAssets', 'CreateCGAssetsInput', [{ assetName: 'CG', categoryId: toReview, cgType }]);
    // 1090 is an extended asset type, not a CG type; 1080 (Logo Bug) cannot be created; 4242 is nothing.
    expect(errorOf((await cg({ id: '1090' })).body)).toMatchObject({
      errorCode: 'ResourcePreconditionViolation',
      precondition: 'MUST_BE_A_CG_ASSET_TYPE',
    });
    expect(errorOf((await cg({ id: '1080' })).body)).toMatchObject({
      errorCode: 'UnsupportedResource',
      resourceType: 'ASSET_TYPE',
      resourceSelector: '1080',
    });
    expect(errorOf((await cg({ id: '4242' })).body)).toMatchObject({ errorCode: 'ResourceDoesNotExist', resourceType: 'ASSET_TYPE' });
    const status = await create(editor.token, 'createVideoAssets', 'CreateVideoAssetsInput', [
      { assetName: 'V', categoryId: toReview, status: { name: 'Lost' } },
    ]);
    expect(errorOf(status.body)).toMatchObject({
      errorCode: 'ResourceDoesNotExist',
      resourceType: 'ASSET_STATUS',
      resourceSelectorType: 'NAME',
      resourceSelector: 'Lost',
    });
  });

  it('a list is created asset by asset: the failures beside those made', async () => {
    const { body } = await create(editor.token, 'createImageAssets', 'CreateImageAssetsInput', [
      { assetName: 'Made', categoryId: toReview },
      { assetName: 'Refused', categoryId: '999999' },
    ]);
    expect(body.data.createImageAssets.assets).toEqual([{ id: expect.any(String), __typename: 'ImageAsset', name: 'Made' }]);
    expect(body.errors).toHaveLength(1);
  });
});

describe('the assets query (View on the primary category)', () => {
  let ids: string[];
  beforeAll(async () => {
    const made = await platform.ok(
      platform.adminToken,
      `mutation { v: createVideoAssets(input: { assets: [
          { assetName: "Filter A", categoryId: ${archive}, itemCode: "FILTER-A" },
          { assetName: "Filter B", categoryId: ${archive}, itemCode: "FILTER-B" } ] }) { assets { id } }
        a: createAudioAssets(input: { assets: { assetName: "Filter C", categoryId: ${archive}, itemCode: "FILTER-C" } }) { assets { id } } }`,
    );
    ids = [...made.v.assets, ...made.a.assets].map((asset: { id: string }) => asset.id);
  });

  const names = async (token: string, where: string, select = '') =>
    (
      await platform.ok(
        token,
        `{ assets(input: { where: { ${where} } ${select} }) { totalCount pageInfo { endCursor hasNextPage } assets { name } } }`,
      )
    ).assets;

  it('filters by ids, item codes, asset types and primary categories, every field ANDed', async () => {
    expect((await names(platform.adminToken, `itemCodes: ["FILTER-A", "FILTER-C"]`)).assets).toEqual([
      { name: 'Filter A' },
      { name: 'Filter C' },
    ]);
    expect((await names(platform.adminToken, `ids: [${ids}], assetTypesWith: { mediaTypes: [AUDIO] }`)).assets).toEqual([
      { name: 'Filter C' },
    ]);
    expect((await names(platform.adminToken, `ids: [${ids}], assetTypesWith: { names: ["Video"] }`)).totalCount).toBe(2);
    expect((await names(platform.adminToken, `ids: [${ids}], categoriesWith: { fullNames: ["CATEGORIES/To review"] }`)).totalCount).toBe(0);
    expect((await names(platform.adminToken, `categoriesWith: { ids: [${archive}] }, itemCodes: ["FILTER-B"]`)).assets).toEqual([
      { name: 'Filter B' },
    ]);
  });

  it('pages in id order', async () => {
    const first = await names(platform.adminToken, `ids: [${ids}]`, 'select: { first: 2 }');
    expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true }, assets: [{ name: 'Filter A' }, { name: 'Filter B' }] });
    const next = await names(platform.adminToken, `ids: [${ids}]`, `select: { first: 2, after: "${first.pageInfo.endCursor}" }`);
    expect(next).toMatchObject({ pageInfo: { hasNextPage: false }, assets: [{ name: 'Filter C' }] });
  });

  it('shows a user only the assets of categories they may View: the private folder of the editor is theirs alone', async () => {
    const own = await platform.ok(
      editor.token,
      `{ users(input: { where: { ids: [${editor.id}] } }) { users { privateCategory { id } } } }`,
    );
    const privateId = own.users.users[0].privateCategory.id;
    const made = await platform.ok(
      editor.token,
      `mutation { createVideoAssets(input: { assets: { assetName: "Private", categoryId: ${privateId} } }) { assets { id } } }`,
    );
    const mine = `ids: [${made.createVideoAssets.assets[0].id}, ${ids}]`;
    expect((await names(editor.token, mine)).totalCount).toBe(4);
    expect((await names(outsider.token, mine)).totalCount).toBe(3);
    expect((await names(platform.adminToken, mine)).totalCount).toBe(4);
  });
});
