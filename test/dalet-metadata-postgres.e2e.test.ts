/**
 * The metadata and locators SQL that differs most between databases (serial ids, RETURNING, the owner
 * columns left null, batched reads, the metadata filter and range subqueries, joins with the rights,
 * cascades from a deleted asset), run on PostgreSQL through DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';
import { startPostgres, type PostgresServer } from './helpers/postgres.ts';

describe('metadata and locators on PostgreSQL', () => {
  let postgres: PostgresServer;
  let platform: DaletPlatform;
  let toReview: string;
  beforeAll(async () => {
    postgres = await startPostgres();
    platform = await startDaletPlatform({ DATABASE_URL: await postgres.createDatabase() });
    toReview = (
      await platform.ok(
        platform.adminToken,
        '{ categories(input: { where: { fullNames: ["CATEGORIES/To review"] } }) { categories { id } } }',
      )
    ).categories.categories[0].id;
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
    await postgres?.stop();
  });

  const ok = (query: string) => platform.ok(platform.adminToken, query);
  const video = async (name: string, metadata = '[]') =>
    (
      await ok(
        `mutation { createVideoAssets(input: { assets: [{ assetName: "${name}", categoryId: ${toReview}, metadata: ${metadata} }] }) { assets { id } } }`,
      )
    ).createVideoAssets.assets[0].id as string;

  it('writes, filters and reads typed metadata, table rows and locators, and drops them with their asset', async () => {
    const first = await video(
      'First',
      '[{ field: { name: "Multi text" }, value: ["a", "b"] }, { field: { name: "Episode Number" }, value: "3" }]',
    );
    const second = await video('Second', '[{ field: { name: "Episode Number" }, value: "4" }]');
    await ok(`mutation { updateObjectsMetadata(input: { actionType: APPEND, objectsMetadata: [{ objectId: ${second}, objectType: ASSET,
      metadata: { field: { name: "Multi text" }, value: "b" } }] }) { updatedObjects { id } } }`);

    const found =
      await ok(`{ assets(input: { where: { metadata: [{ field: { name: "Multi text" }, value: "b" }, { field: { name: "Episode Number" }, value: "3" }],
      metadataSearchMode: ALL_MATCH } }) { assets { id } } }`);
    expect(found.assets.assets).toEqual([{ id: first }]);
    const read = await ok(`{ assets(input: { where: { ids: [${first}, ${second}] } }) { assets { id metadata { totalCount metadata {
      field { name } ... on TextMetadata { text: value } ... on NumberMetadata { number: value } } } } } }`);
    expect(read.assets.assets).toEqual([
      {
        id: first,
        metadata: {
          totalCount: 2,
          metadata: [
            { field: { name: 'Multi text' }, text: ['a', 'b'] },
            { field: { name: 'Episode Number' }, number: [3] },
          ],
        },
      },
      {
        id: second,
        metadata: {
          totalCount: 2,
          metadata: [
            { field: { name: 'Multi text' }, text: ['b'] },
            { field: { name: 'Episode Number' }, number: [4] },
          ],
        },
      },
    ]);

    await ok(`mutation { addRowsToAssetsTableMetadata(input: { assetIds: [${first}], tableMetadata: [{ field: { name: "NLP_keyword_table" },
      columns: [{ field: { name: "Timing" }, value: "0:0:1.000" }] }] }) { updatedAssets { id } } }`);
    const located = await ok(`mutation { createLocators(input: { assetLocators: [
      { assetId: ${first}, locators: { typeName: "Segment", timecodeIn: "0:0:1.000", timecodeOut: "0:0:2.000" } },
      { assetId: ${first}, locators: { typeName: "Break", timecodeIn: "0:0:5.000" } }] }) { locators { id } } }`);
    const [segment, point] = located.createLocators.locators.map((locator: { id: string }) => locator.id);
    const ranged = await ok(
      `{ locators(input: { where: { assetIds: [${first}], ranges: [{ from: "0:0:4.000", to: "0:0:6.000" }] } }) { totalCount locators { id } } }`,
    );
    expect(ranged.locators).toEqual({ totalCount: 1, locators: [{ id: point }] });
    await ok(`mutation { updateObjectsMetadata(input: { actionType: SET, objectsMetadata: [{ objectId: ${segment}, objectType: LOCATOR,
      metadata: { field: { name: "Locator Comment" }, value: "x" } }] }) { updatedObjects { id } } }`);

    expect(
      (await ok(`mutation { deleteRowsFromAssetsTableMetadata(input: { tableMetadataWith: { rowIds: [1] } }) { deletedRowIds } }`))
        .deleteRowsFromAssetsTableMetadata,
    ).toEqual({ deletedRowIds: ['1'] });
    await ok(`mutation { deleteAssets(input: { assetsWith: { ids: [${first}] } }) { deletedAssetIds } }`);
    expect((await ok(`{ locators(input: { where: { ids: [${segment}, ${point}] } }) { totalCount } }`)).locators.totalCount).toBe(0);
    const left = await ok(`{ assets(input: { where: { metadata: [{ field: { name: "Multi text" } }] } }) { assets { id } } }`);
    expect(left.assets.assets).toEqual([{ id: second }]);
  });
});
