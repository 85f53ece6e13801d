/**
 * The doc's Metadata and Locators examples (and those of MetadataIfc, LocatorIfc, GroupItemMetadataIfc) run
 * as printed, each id of the doc replaced by the id of what the test created. This file's store is fresh,
 * so the table rows it adds are rows 1 and 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METADATA_EXAMPLES } from './fixtures/dalet-metadata-examples.ts';
import { startStructuresPlatform, type StructuresPlatform } from './helpers/dalet-structures.ts';

let env: StructuresPlatform;
beforeAll(async () => (env = await startStructuresPlatform()), 60_000);
afterAll(async () => env?.platform.stop());

/** The example with each doc id (a whole number of four digits or more, quoted or not) replaced by ours. */
function withIds(example: string, ids: Record<string, string>): string {
  return example.replace(/\b\d{4,}\b/g, (id) => ids[id] ?? id);
}

const run = (example: keyof typeof METADATA_EXAMPLES, ids: Record<string, string>) =>
  env.platform.ok(env.editor.token, withIds(METADATA_EXAMPLES[example], ids));
const make = (kind: string, fields?: Record<string, unknown>) => env.create(env.editor.token, kind, fields);

describe('Metadata', () => {
  it('updateObjectsMetadata (SET, APPEND, REMOVE), then the metadata subquery and MetadataIfc examples', async () => {
    const video = await make('Video', { assetName: 'Evening news' });
    const reference = await make('Video', { assetName: 'Archive reel' });
    const updated = await run('updateObjectsMetadata', { 366231: video });
    expect(updated).toEqual({
      set: { updatedObjects: [{ id: video }] },
      append: { updatedObjects: [{ id: video }] },
      remove: { updatedObjects: [{ id: video }] },
    });
    const multi = await env.platform.ok(
      env.editor.token,
      `{ assets(input: { where: { ids: [${video}] } }) { assets { metadata(input: { where: { fields: { names: ["Multi text", "Item Code"] } } }) { metadata { field { name } ... on TextMetadata { value } } } } } }`,
    );
    expect(multi.assets.assets[0].metadata.metadata).toEqual([
      { field: { name: 'Item Code' }, value: ['DAL_101010'] },
      { field: { name: 'Multi text' }, value: ['value 1'] },
    ]);

    await env.platform.ok(
      env.editor.token,
      `mutation { updateObjectsMetadata(input: { actionType: SET, objectsMetadata: [{ objectId: ${video}, objectType: ASSET, metadata: [
        { field: { name: "Title Duration" }, value: "P0:50:0.000S" }, { field: { name: "Title Author" }, value: "A. Reporter" },
        { field: { name: "Title Reference" }, value: "${reference}" }] }] }) { updatedObjects { id } } }`,
    );
    const duration = await run('metadataSubquery', { 35059: video });
    expect(duration.assets.assets).toEqual([
      { id: video, metadata: { totalCount: 1, metadata: [{ field: { id: '102' }, value: ['PT50M'] }] } },
    ]);
    const typed = await run('MetadataIfc', { 366231: video });
    expect(typed.assets.assets[0].metadata.metadata).toEqual([
      { field: { tagName: 'TITLE_DURATION' }, period: ['PT50M'] },
      { field: { tagName: 'TITLE_AUTHOR' }, text: ['A. Reporter'] },
      { field: { tagName: 'TITLE_REFERENCE' }, object: [{ id: reference, name: 'Archive reel' }] },
    ]);
  });

  it('addRowsToAssetsTableMetadata, updateRowsOfAssetsTableMetadata, deleteRowsFromAssetsTableMetadata', async () => {
    const video = await make('Video');
    expect(await run('addRowsToAssetsTableMetadata', { 366231: video })).toEqual({
      addRowsToAssetsTableMetadata: { updatedAssets: [{ id: video, objectType: 'ASSET' }] },
    });
    await run('addRowsToAssetsTableMetadata', { 366231: video });
    expect(await run('updateRowsOfAssetsTableMetadata', { 911820: '1' })).toEqual({
      updateRowsOfAssetsTableMetadata: { updatedAssets: { id: video, name: expect.any(String) } },
    });
    expect(await run('deleteRowsFromAssetsTableMetadata', { 911290: '1', 911297: '2' })).toEqual({
      deleteRowsFromAssetsTableMetadata: { deletedRowIds: ['1', '2'] },
    });
  });

  it('updateGroupItemsMetadata, then the metadata (items) and GroupItemMetadataIfc examples', async () => {
    const group = await make('Group', { assetName: 'Rundown 18:00' });
    const video = await make('Video');
    await env.platform.ok(
      env.editor.token,
      `mutation { addItemsToGroups(input: { itemsToGroups: { groupId: ${group}, assetSegments: [{ assetId: ${video} }] } }) { groupItems { id } } }`,
    );
    const updated = await run('updateGroupItemsMetadata', { 356806: group });
    expect(updated.updateGroupItemsMetadata.groupAsset).toEqual({
      id: group,
      name: 'Rundown 18:00',
      lastModifiedAt: expect.stringMatching(/Z$/),
    });
    const held = await run('metadataSubqueryItems', { 354890: group });
    expect(held.assets.assets[0].items.items).toEqual([{ metadata: { metadata: [{ value: [false] }] } }]);
    const typed = await run('GroupItemMetadataIfc', { 354890: group });
    expect(typed.assets.assets[0].items.items[0].metadata.metadata).toEqual([
      { field: 'ITEM_HOLD', boolean: [false] },
      { field: 'ITEM_SCHEDULED_DURATION', timecode: [] },
    ]);
  });
});

describe('Locators', () => {
  it('createLocators, locators, the locators subquery, LocatorIfc, deleteLocators', async () => {
    const video = await make('Video');
    const created = await run('createLocators', { 17392: video });
    const ids = created.createLocators.locators.map((locator: { id: string }) => locator.id);
    expect(ids).toHaveLength(2);
    expect(await run('locators', { 17392: video })).toEqual({ locators: { totalCount: 2, locators: ids.map((id: string) => ({ id })) } });
    expect(await run('locatorsSubquery', { 17392: video })).toEqual({
      assets: { assets: [{ locators: { locators: ids.map((id: string) => ({ id })) } }] },
    });
    expect((await run('LocatorIfc', {})).locators.locators).toEqual(ids.map((id: string) => ({ id, metadata: { metadata: [] } })));
    expect(await run('deleteLocators', { 17392: video })).toEqual({ deleteLocators: { deletedLocatorIds: ids } });
    expect((await run('locators', { 17392: video })).locators.totalCount).toBe(0);
  });
});
