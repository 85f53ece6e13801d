/**
 * The assets SQL on PostgreSQL through DATABASE_URL: serial ids and RETURNING on create, the asset type
 * pairs and the empty type filter, the rights subquery of a user who is no administrator, pages, links with
 * running order sequences, updates, copies of locators, deletion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';
import { startPostgres, type PostgresServer } from './helpers/postgres.ts';

describe('assets on PostgreSQL', () => {
  let postgres: PostgresServer;
  let platform: DaletPlatform;
  let editor: { id: string; token: string };
  const category: Record<string, string> = {};
  beforeAll(async () => {
    postgres = await startPostgres();
    platform = await startDaletPlatform({ DATABASE_URL: await postgres.createDatabase() });
    editor = await platform.newUser('pg_asset_editor');
    await platform.ok(
      platform.adminToken,
      `mutation { addUsersToUserGroups(input: { users: { ids: [${editor.id}] }, userGroups: { names: ["EDITORS"] } }) { addedAssociations { users { id } } } }`,
    );
    const found = await platform.ok(platform.adminToken, '{ categories(input: { where: { parentIds: [1] } }) { categories { id name } } }');
    for (const { id, name } of found.categories.categories) category[name] = id;
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
    await postgres?.stop();
  });

  const ok = (query: string) => platform.ok(editor.token, query);
  const ids = (assets: { id: string }[]) => assets.map((asset) => asset.id);

  it('creates, filters, pages, links, updates, copies and deletes', async () => {
    const made = await ok(`mutation {
      v: createVideoAssets(input: { assets: [{ assetName: "PG video", categoryId: ${category['To review']}, itemCode: "PG-1" },
        { assetName: "PG video 2", categoryId: ${category['To review']} }] }) { assets { id itemCode } }
      a: createAudioAssets(input: { assets: { assetName: "PG audio", categoryId: ${category.Archive} } }) { assets { id } }
      b: createBundleAssets(input: { assets: { assetName: "PG bundle", categoryId: ${category.Archive} } }) { assets { id } } }`);
    const [video, video2] = ids(made.v.assets);
    expect(made.v.assets[1].itemCode).toBe(video2);
    const [audio] = ids(made.a.assets);
    const clip =
      await ok(`mutation { c: createClipAssets(input: { assets: { assetName: "PG clip", categoryId: ${category['To review']}, parentAssetId: ${video}, tcIn: "00:00", tcOut: "00:30" } }) { assets { id } }
      t: createTrackStackAssets(input: { assets: { bundleAssetId: ${made.b.assets[0].id}, assetName: "PG stack", template: { id: "1073" } } }) { assets { id } } }`);
    expect(clip.t.assets).toHaveLength(1);

    const all = `ids: [${video}, ${video2}, ${audio}]`;
    const where = async (filter: string, select = '') =>
      (
        await ok(
          `{ assets(input: { where: { ${all} ${filter} } ${select} }) { totalCount pageInfo { endCursor hasNextPage } assets { id } } }`,
        )
      ).assets;
    expect(ids((await where(', assetTypesWith: { mediaTypes: [VIDEO, AUDIO] }')).assets)).toEqual([video, video2, audio]);
    expect((await where(', assetTypesWith: { names: ["No such type"] }')).totalCount).toBe(0);
    expect(ids((await where(`, categoriesWith: { ids: [${category.Archive}] }`)).assets)).toEqual([audio]);
    expect(ids((await where(', itemCodes: ["PG-1"]')).assets)).toEqual([video]);
    const page = await where('', 'select: { first: 2 }');
    expect(page).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    expect(ids((await where('', `select: { first: 2, after: "${page.pageInfo.endCursor}" }`)).assets)).toEqual([audio]);

    await ok(
      `mutation { linkAssetsToCategories(input: { assetsWith: { ids: [${video}, ${video2}] }, linkedCategoriesWith: { ids: [${category.Archive}] } }) { assets { id } } }`,
    );
    for (const id of [video, video2])
      await ok(
        `mutation { linkAssetToRunningOrderCategory(input: { assetId: ${id}, categoryId: ${category.Rundowns} }) { asset { id } } }`,
      );
    await ok(
      `mutation { linkAssetToRunningOrderCategory(input: { assetId: ${video2}, categoryId: ${category.Rundowns}, sequence: 0 }) { asset { id } } }`,
    );
    const inArchive = await ok(
      `{ categories(input: { where: { ids: [${category.Archive}] } }) { categories { assets(input: { where: { ${all} } }) { assets { id } } } } }`,
    );
    expect(ids(inArchive.categories.categories[0].assets.assets)).toEqual([video, video2, audio]);
    const removed = await ok(`mutation { removeLinksFromCategories(input: { assetsWith: { ids: [${video}] } }) { assets { id } } }`);
    expect(ids(removed.removeLinksFromCategories.assets)).toEqual([video]);
    expect(
      (await ok(`{ assets(input: { where: { ids: [${video}] } }) { assets { categories { totalCount } } } }`)).assets.assets[0].categories
        .totalCount,
    ).toBe(1);

    const updated = await ok(
      `mutation { updateAssets(input: { assets: { id: ${video2}, assetStatus: { status: { name: "Archive" } } } }) { assets { status { name } } } }`,
    );
    expect(updated.updateAssets.assets).toEqual([{ status: { name: 'Archive' } }]);
    await ok(
      `mutation { createLocators(input: { assetLocators: { assetId: ${video}, locators: { typeName: "Segment", timecodeIn: "00:00:10.000 PAL", timecodeOut: "00:01:00.000 PAL" } } }) { locators { id } } }`,
    );
    await ok(
      `mutation { copyAsset(input: { copyTypes: INHERITABLE_LOCATORS, sourceAssetId: ${video}, targetAssetId: ${clip.c.assets[0].id} }) { updatedAsset { id } } }`,
    );
    const copied = await ok(
      `{ assets(input: { where: { ids: [${clip.c.assets[0].id}] } }) { assets { locators { locators { timecodeIn timecodeOut } } } } }`,
    );
    // PARTIAL inheritance: cut to the clip's 30 seconds.
    expect(copied.assets.assets[0].locators.locators).toEqual([{ timecodeIn: '00:00:10.000 PAL', timecodeOut: '00:00:30.000 PAL' }]);

    const deleted = await ok(`mutation { deleteAssets(input: { assetsWith: { ids: [${video2}, ${audio}] } }) { deletedAssetIds } }`);
    expect(deleted.deleteAssets.deletedAssetIds).toEqual([video2, audio]);
  });
});
