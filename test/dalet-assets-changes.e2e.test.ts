/**
 * Assets changed through the gateway: updateAssets, deleteAssets, copyAsset, the links to categories
 * (including running orders) and what they show (`AssetIfc.categories`, `Category.assets`), each with the
 * rights the doc names, held through EDITORS or missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';

let platform: DaletPlatform;
let editor: { id: string; token: string };
let outsider: { id: string; token: string };
const category: Record<string, string> = {};
beforeAll(async () => {
  platform = await startDaletPlatform();
  editor = await platform.newUser('change_editor');
  outsider = await platform.newUser('change_outsider');
  await platform.ok(
    platform.adminToken,
    `mutation { addUsersToUserGroups(input: { users: { ids: [${editor.id}] }, userGroups: { names: ["EDITORS"] } }) { addedAssociations { users { id } } } }`,
  );
  const found = await platform.ok(platform.adminToken, '{ categories(input: { where: { parentIds: [1] } }) { categories { id name } } }');
  for (const { id, name } of found.categories.categories) category[name] = id;
}, 60_000);
afterAll(async () => platform?.stop());

const errorOf = (body: { errors?: { extensions?: Record<string, any> }[] }) => body.errors?.[0]?.extensions;

async function newVideo(name: string, categoryId = category['To review']!, token = editor.token): Promise<string> {
  const made = await platform.ok(
    token,
    `mutation { createVideoAssets(input: { assets: { assetName: "${name}", categoryId: ${categoryId} } }) { assets { id } } }`,
  );
  return made.createVideoAssets.assets[0].id;
}

const read = async (token: string, id: string, fields: string) =>
  (await platform.ok(token, `{ assets(input: { where: { ids: [${id}] } }) { assets { ${fields} } } }`)).assets.assets[0];

describe('updateAssets (Insert and Remove on the category)', () => {
  it('renames, re-codes, changes the status with a comment, and moves the asset to another category', async () => {
    const id = await newVideo('Before');
    const updated = await platform.ok(
      editor.token,
      `mutation { updateAssets(input: { assets: { id: ${id}, name: "After", itemCode: "NEW-CODE", primaryCategoryId: ${category.Archive},
        assetStatus: { status: { abbreviation: "APP" }, comment: "ok for air" } } }) { assets { id name itemCode status { name } primaryCategory { id } lastModifiedBy { login } } } }`,
    );
    expect(updated.updateAssets.assets).toEqual([
      {
        id,
        name: 'After',
        itemCode: 'NEW-CODE',
        status: { name: 'Approved' },
        primaryCategory: { id: category.Archive },
        lastModifiedBy: { login: 'change_editor' },
      },
    ]);
  });

  it('refuses a user without the rights: the asset named, the others of the list still updated', async () => {
    const mine = await newVideo('Mine');
    const { body } = await platform.as(
      outsider.token,
      `mutation { updateAssets(input: { assets: [{ id: ${mine}, name: "Taken" }] }) { assets { id } } }`,
    );
    expect(body.data).toEqual({ updateAssets: { assets: [] } });
    // The outsider may View To review (PUBLIC) but holds no Insert there.
    expect(errorOf(body)).toMatchObject({
      errorCode: 'NoAccessRightsException',
      operationType: 'UPDATE',
      resourceType: 'ASSET',
      resourceSelector: mine,
    });
    const other = await newVideo('Other');
    const mixed = await platform.as(
      editor.token,
      `mutation { updateAssets(input: { assets: [{ id: ${other}, name: "Renamed" }, { id: 99999999, name: "Nothing" }] }) { assets { name } } }`,
    );
    expect(mixed.body.data.updateAssets.assets).toEqual([{ name: 'Renamed' }]);
    expect(errorOf(mixed.body)).toMatchObject({ errorCode: 'ResourceDoesNotExist', resourceType: 'ASSET', resourceSelector: '99999999' });
  });
});

describe('deleteAssets (Remove on the category)', () => {
  it('deletes what the filter selects, wants ids or categories, and keeps an asset a clip is cut from', async () => {
    const kept = await newVideo('Parent');
    await platform.ok(
      editor.token,
      `mutation { createClipAssets(input: { assets: { assetName: "Child", categoryId: ${category['To review']}, parentAssetId: ${kept}, tcIn: "00:00", tcOut: "00:10" } }) { assets { id } } }`,
    );
    const gone = await newVideo('Gone');
    const { body } = await platform.as(
      editor.token,
      `mutation { deleteAssets(input: { assetsWith: { ids: [${kept}, ${gone}] } }) { deletedAssetIds } }`,
    );
    expect(body.data.deleteAssets.deletedAssetIds).toEqual([gone]);
    expect(errorOf(body)).toMatchObject({
      errorCode: 'ResourcePreconditionViolation',
      precondition: 'ASSET_MUST_NOT_BE_USED_BY_OTHER_ASSETS',
      resourceSelector: kept,
    });
    expect((await platform.ok(editor.token, `{ assets(input: { where: { ids: [${gone}] } }) { totalCount } }`)).assets.totalCount).toBe(0);
    const unfiltered = await platform.as(
      editor.token,
      'mutation { deleteAssets(input: { assetsWith: { itemCodes: ["X"] } }) { deletedAssetIds } }',
    );
    expect(errorOf(unfiltered.body)).toMatchObject({ errorCode: 'InvalidInput', name: 'assetsWith', reason: 'MISSING_VALUE' });
  });

  it('a user without Remove deletes nothing', async () => {
    const id = await newVideo('Stays');
    const { body } = await platform.as(
      outsider.token,
      `mutation { deleteAssets(input: { assetsWith: { ids: [${id}] }, purgeMedia: true }) { deletedAssetIds } }`,
    );
    expect(body.data.deleteAssets.deletedAssetIds).toEqual([]);
    expect(errorOf(body)).toMatchObject({ errorCode: 'NoAccessRightsException', operationType: 'DELETE', resourceSelector: id });
  });
});

describe('links to categories', () => {
  it('links assets to categories (Insert on them), shown by AssetIfc.categories and Category.assets, and removes them', async () => {
    const [first, second] = [await newVideo('Linked one'), await newVideo('Linked two')];
    const linked = await platform.ok(
      editor.token,
      `mutation { linkAssetsToCategories(input: { assetsWith: { ids: [${first}, ${second}] }, linkedCategoriesWith: { ids: [${category.Archive}] } }) { assets { id } } }`,
    );
    expect(linked.linkAssetsToCategories.assets).toEqual([{ id: first }, { id: second }]);
    expect((await read(editor.token, first, 'categories { totalCount categories { id } }')).categories).toEqual({
      totalCount: 2,
      categories: [{ id: category['To review'] }, { id: category.Archive }].sort((a, b) => Number(a.id) - Number(b.id)),
    });
    const inArchive = await platform.ok(
      editor.token,
      `{ categories(input: { where: { ids: [${category.Archive}] } }) { categories { assets(input: { where: { ids: [${first}, ${second}] } }) { totalCount assets { id } } } } }`,
    );
    expect(inArchive.categories.categories[0].assets).toEqual({ totalCount: 2, assets: [{ id: first }, { id: second }] });
    const removed = await platform.ok(
      editor.token,
      `mutation { removeLinksFromCategories(input: { assetsWith: { ids: [${first}] }, linkedCategoriesWith: { ids: [${category.Archive}] } }) { assets { id } } }`,
    );
    expect(removed.removeLinksFromCategories.assets).toEqual([{ id: first }]);
    expect((await read(editor.token, first, 'categories { totalCount }')).categories.totalCount).toBe(1);
    // Without a category, every link but the primary category goes.
    const all = await platform.ok(
      editor.token,
      `mutation { removeLinksFromCategories(input: { assetsWith: { ids: [${second}] } }) { assets { id } } }`,
    );
    expect(all.removeLinksFromCategories.assets).toEqual([{ id: second }]);
    expect((await read(editor.token, second, 'categories { categories { id } }')).categories.categories).toEqual([
      { id: category['To review'] },
    ]);
  });

  it('refuses a link without Insert on the category, and the removal of the primary category', async () => {
    const id = await newVideo('Guarded');
    const own = await platform.ok(
      outsider.token,
      `{ users(input: { where: { ids: [${outsider.id}] } }) { users { privateCategory { id } } } }`,
    );
    const refused = await platform.as(
      outsider.token,
      `mutation { linkAssetsToCategories(input: { assetsWith: { ids: [${id}] }, linkedCategoriesWith: { ids: [${category.Archive}] } }) { assets { id } } }`,
    );
    expect(refused.body.data.linkAssetsToCategories.assets).toEqual([]);
    expect(errorOf(refused.body)).toMatchObject({
      errorCode: 'NoAccessRightsException',
      resourceType: 'CATEGORY',
      resourceSelector: category.Archive,
    });
    // ... while the outsider may link what they see to their own folder.
    const toOwn = await platform.ok(
      outsider.token,
      `mutation { linkAssetsToCategories(input: { assetsWith: { ids: [${id}] }, linkedCategoriesWith: { ids: [${own.users.users[0].privateCategory.id}] } }) { assets { id } } }`,
    );
    expect(toOwn.linkAssetsToCategories.assets).toEqual([{ id }]);
    const primary = await platform.as(
      editor.token,
      `mutation { removeLinksFromCategories(input: { assetsWith: { ids: [${id}] }, linkedCategoriesWith: { ids: [${category['To review']}] } }) { assets { id } } }`,
    );
    expect(errorOf(primary.body)).toMatchObject({
      errorCode: 'ResourcePreconditionViolation',
      precondition: 'MUST_NOT_BE_PRIMARY_CATEGORY',
    });
  });

  it('links to a running order at a sequence, and only to a running order', async () => {
    const ids = [await newVideo('Story A'), await newVideo('Story B'), await newVideo('Story C')];
    const link = (id: string, categoryId: string, sequence = '') =>
      platform.as(
        editor.token,
        `mutation { linkAssetToRunningOrderCategory(input: { assetId: ${id}, categoryId: ${categoryId} ${sequence} }) { asset { id } } }`,
      );
    for (const id of ids) expect((await link(id, category.Rundowns!)).body.data.linkAssetToRunningOrderCategory.asset).toEqual({ id });
    // Moved to the front; linking again is not empty either.
    expect((await link(ids[2]!, category.Rundowns!, 'sequence: 0')).body.data.linkAssetToRunningOrderCategory.asset).toEqual({
      id: ids[2],
    });
    const inRundowns = await platform.ok(
      editor.token,
      `{ categories(input: { where: { ids: [${category.Rundowns}] } }) { categories { assets(input: { where: { ids: [${ids}] } }) { totalCount } } } }`,
    );
    expect(inRundowns.categories.categories[0].assets.totalCount).toBe(3);
    expect(errorOf((await link(ids[0]!, category.Archive!)).body)).toMatchObject({ errorCode: 'InvalidInput', name: 'categoryId' });
    expect(errorOf((await link(ids[0]!, category.Rundowns!, 'sequence: -1')).body)).toMatchObject({
      errorCode: 'InvalidInput',
      reason: 'NEGATIVE',
    });
  });
});

describe('copyAsset (View on the source, Insert and Remove on the target)', () => {
  it('copies inherited metadata only, and the genealogy of a clip', async () => {
    const source = await newVideo('Source');
    const target = await newVideo('Target');
    await platform.ok(
      editor.token,
      `mutation { updateObjectsMetadata(input: { actionType: SET, objectsMetadata: { objectId: ${source}, objectType: ASSET,
        metadata: [{ field: { name: "Genre" }, value: ["News", "Sport"] }, { field: { name: "Synopsis" }, value: "not inherited" }] } }) { updatedObjects { id } } }`,
    );
    const copied = await platform.ok(
      editor.token,
      `mutation { copyAsset(input: { copyTypes: INHERITABLE_METADATA, sourceAssetId: ${source}, targetAssetId: ${target} }) { updatedAsset { id
        metadata { metadata { field { name } } } } } }`,
    );
    expect(copied.copyAsset.updatedAsset).toEqual({ id: target, metadata: { metadata: [{ field: { name: 'Genre' } }] } });
    const clip = await platform.ok(
      editor.token,
      `mutation { createClipAssets(input: { assets: [{ assetName: "Cut", categoryId: ${category['To review']}, parentAssetId: ${source}, tcIn: "00:00", tcOut: "00:05" },
        { assetName: "Other cut", categoryId: ${category['To review']}, parentAssetId: ${target}, tcIn: "00:00", tcOut: "00:05" }] }) { assets { id } } }`,
    );
    const [cut, otherCut] = clip.createClipAssets.assets.map((asset: { id: string }) => asset.id);
    await platform.ok(
      editor.token,
      `mutation { copyAsset(input: { copyTypes: [GENEALOGY], sourceAssetId: ${cut}, targetAssetId: ${otherCut} }) { updatedAsset { id } } }`,
    );
    expect(await read(editor.token, otherCut, '... on ClipAsset { parentAsset { id } }')).toEqual({ parentAsset: { id: source } });
  });

  it('refuses a target the caller may not change', async () => {
    const source = await newVideo('Readable');
    const { body } = await platform.as(
      outsider.token,
      `mutation { copyAsset(input: { copyTypes: INHERITABLE_METADATA, sourceAssetId: ${source}, targetAssetId: ${source} }) { updatedAsset { id } } }`,
    );
    expect(body.data).toEqual({ copyAsset: { updatedAsset: null } });
    expect(errorOf(body)).toMatchObject({ errorCode: 'NoAccessRightsException', operationType: 'UPDATE', resourceSelector: source });
  });
});
