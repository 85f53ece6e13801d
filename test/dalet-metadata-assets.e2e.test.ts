/**
 * Asset metadata through the gateway: updateObjectsMetadata on assets, `AssetIfc.metadata` (ObjectMetadata
 * answering the assets it names, only those the caller may View), the metadata filters of `assets`, table
 * metadata rows added, updated and deleted (silently where the doc says so), group item metadata, and the
 * rights each needs (Insert and Remove on the asset's category).
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

const UPDATE = `mutation ($input: UpdateObjectsMetadataInput!) { updateObjectsMetadata(input: $input) { updatedObjects { id objectType ... on VideoAsset { name } } } }`;
const setOn = (token: string, assetId: string, metadata: unknown, actionType = 'SET') =>
  as(token, UPDATE, { input: { actionType, objectsMetadata: [{ objectId: assetId, objectType: 'ASSET', metadata }] } });

const ASSET_METADATA = `query ($ids: [ID], $names: [String]) { assets(input: { where: { ids: $ids } }) { assets { id
  metadata(input: { where: { fields: { names: $names } } }) { totalCount metadata { __typename field { name }
    ... on TextMetadata { text: value } ... on PeriodMetadata { period: value } ... on NumberMetadata { number: value }
    ... on ObjectMetadata { object: value { id ... on AssetIfc { name } } } } } } } }`;

describe('asset metadata', () => {
  it('is written by updateObjectsMetadata and read typed by AssetIfc.metadata, an ObjectMetadata answering the asset it names', async () => {
    const video = await world.create(world.editor.token, 'Video', { metadata: [{ field: { name: 'Item Code' }, value: 'DAL_1' }] });
    const referenced = await world.create(world.editor.token, 'Video', { assetName: 'Referenced' });
    const { body } = await setOn(world.editor.token, video, [
      { field: { name: 'Item Code' }, value: 'DAL_101010' },
      { field: { name: 'Title Duration' }, value: 'P0:1:0.000S' },
      { field: { name: 'Title Reference' }, value: referenced },
    ]);
    expect(body.errors).toBeUndefined();
    expect(body.data.updateObjectsMetadata.updatedObjects).toEqual([{ id: video, objectType: 'ASSET', name: expect.any(String) }]);
    const data = await ok(world.editor.token, ASSET_METADATA, { ids: [video] });
    expect(data.assets.assets[0].metadata).toEqual({
      totalCount: 3,
      metadata: [
        { __typename: 'TextMetadata', field: { name: 'Item Code' }, text: ['DAL_101010'] },
        { __typename: 'PeriodMetadata', field: { name: 'Title Duration' }, period: ['PT1M'] },
        { __typename: 'ObjectMetadata', field: { name: 'Title Reference' }, object: [{ id: referenced, name: 'Referenced' }] },
      ],
    });
  });

  it('an ObjectMetadata leaves out the assets the caller may not View', async () => {
    const hidden = await world.create(world.editor.token, 'Video', { categoryId: world.editorPrivate });
    const video = await world.create(world.editor.token, 'Video');
    expect((await setOn(world.editor.token, video, [{ field: { name: 'Title Reference' }, value: hidden }])).body.errors).toBeUndefined();
    const seen = async (token: string) =>
      (await ok(token, ASSET_METADATA, { ids: [video], names: ['Title Reference'] })).assets.assets[0].metadata.metadata[0].object;
    expect(await seen(world.editor.token)).toEqual([{ id: hidden, name: expect.any(String) }]);
    expect(await seen(world.outsider.token)).toEqual([]);
  });

  it("needs Insert and Remove on the asset's category", async () => {
    const video = await world.create(world.editor.token, 'Video');
    const { body } = await setOn(world.outsider.token, video, [{ field: { name: 'Item Code' }, value: 'NOPE' }]);
    expect(body.data.updateObjectsMetadata.updatedObjects).toEqual([]);
    expect(body.errors![0]!.extensions).toMatchObject({
      errorCode: 'NoAccessRightsException',
      resourceType: 'ASSET',
      resourceSelector: video,
      operationType: 'UPDATE',
    });
    const hidden = await world.create(world.editor.token, 'Video', { categoryId: world.editorPrivate });
    const unseen = await setOn(world.outsider.token, hidden, [{ field: { name: 'Item Code' }, value: 'NOPE' }]);
    expect(unseen.body.errors![0]!.extensions).toMatchObject({
      errorCode: 'ResourceDoesNotExist',
      resourceType: 'ASSET',
      resourceSelector: hidden,
    });
  });
});

describe('the metadata filters of assets', () => {
  const FIND = `query ($metadata: [MetadataInput], $mode: MetadataSearchMode) { assets(input: { where: { metadata: $metadata, metadataSearchMode: $mode } }) { assets { id } } }`;
  const found = async (metadata: unknown, mode?: string) =>
    ((await ok(world.editor.token, FIND, { metadata, mode })).assets.assets as { id: string }[]).map((asset) => asset.id);

  it('match values read as their field type, any of the inputs by default, all of them with ALL_MATCH', async () => {
    const both = await world.create(world.editor.token, 'Video', {
      metadata: [
        { field: { name: 'Title Author' }, value: 'Ada Filter' },
        { field: { name: 'Title Duration' }, value: 'P0:0:10.000S' },
      ],
    });
    const authorOnly = await world.create(world.editor.token, 'Video', {
      metadata: [{ field: { name: 'Title Author' }, value: 'Ada Filter' }],
    });
    const durationOnly = await world.create(world.editor.token, 'Video', {
      metadata: [{ field: { tagName: 'TITLE_DURATION' }, value: 'PT10S' }],
    });
    const author = { field: { name: 'Title Author' }, value: 'Ada Filter' };
    const duration = { field: { name: 'Title Duration' }, value: ['PT10S'] };
    expect(await found([author, duration])).toEqual([both, authorOnly, durationOnly]);
    expect(await found([author, duration], 'ALL_MATCH')).toEqual([both]);
    expect(await found([{ field: { name: 'Title Author' }, value: ['Nobody', 'Ada Filter'] }])).toEqual([both, authorOnly]);
    expect(await found([{ field: { name: 'Title Author' }, value: 'ada filter' }])).toEqual([]);
  });

  it('a value its field cannot read is InvalidInput', async () => {
    const { body } = await as(world.editor.token, FIND, { metadata: [{ field: { name: 'Title Duration' }, value: 'soon' }] });
    expect(body.errors![0]!.extensions).toMatchObject({ errorCode: 'InvalidInput', reason: 'WRONG_FORMAT', name: 'value' });
  });
});

describe('table metadata rows', () => {
  const ADD = `mutation ($input: AddRowsToAssetsTableMetadataInput!) { addRowsToAssetsTableMetadata(input: $input) { updatedAssets { id objectType } } }`;
  const UPDATE_ROWS = `mutation ($input: UpdateRowsOfAssetsTableMetadataInput!) { updateRowsOfAssetsTableMetadata(input: $input) { updatedAssets { id } } }`;
  const DELETE = `mutation ($rowIds: [ID]!) { deleteRowsFromAssetsTableMetadata(input: { tableMetadataWith: { rowIds: $rowIds } }) { deletedRowIds } }`;

  it('are added with their valid columns, updated, and deleted only by who may change the asset', async () => {
    const video = await world.create(world.editor.token, 'Video');
    const columns = [
      { field: { name: 'LOCATOR_Comment' }, value: 'Approved' },
      { field: { name: 'Timing' }, value: '12:30:42.100' },
      { field: { name: 'Timing' }, value: 'not a time code' },
      { field: { name: 'Item Code' }, value: 'not a column of this table' },
    ];
    const added = await as(world.editor.token, ADD, {
      input: { assetIds: [video], tableMetadata: [{ field: { name: 'NLP_keyword_table' }, columns }] },
    });
    expect(added.body.errors).toBeUndefined();
    expect(added.body.data.addRowsToAssetsTableMetadata.updatedAssets).toEqual([{ id: video, objectType: 'ASSET' }]);
    await as(world.editor.token, ADD, {
      input: { assetIds: [video], tableMetadata: [{ field: { name: 'NLP_keyword_table' }, columns: [] }] },
    });

    const notATable = await as(world.editor.token, ADD, {
      input: { assetIds: [video], tableMetadata: [{ field: { name: 'Item Code' } }] },
    });
    expect(notATable.body.errors![0]!.extensions).toMatchObject({
      errorCode: 'ResourcePreconditionViolation',
      precondition: 'DATA_FIELD_MUST_BE_TABLE',
    });
    const denied = await as(world.outsider.token, ADD, {
      input: { assetIds: [video], tableMetadata: [{ field: { name: 'NLP_keyword_table' } }] },
    });
    expect(denied.body.data.addRowsToAssetsTableMetadata.updatedAssets).toEqual([]);
    expect(denied.body.errors![0]!.extensions).toMatchObject({ errorCode: 'NoAccessRightsException', resourceType: 'ASSET' });

    // This file's store is fresh and only the test above adds rows: they are rows 1 and 2.
    const outsiderDeletes = await as(world.outsider.token, DELETE, { rowIds: ['1', '2'] });
    expect(outsiderDeletes.body).toEqual({ data: { deleteRowsFromAssetsTableMetadata: { deletedRowIds: [] } } });
    const rewrite = {
      tableMetadata: [
        {
          rowId: '1',
          columns: [
            { field: { name: 'LOCATOR_Comment' }, value: 'approved' },
            { field: { name: 'Timing' }, value: 'bad' },
          ],
        },
      ],
    };
    const updated = await as(world.editor.token, UPDATE_ROWS, { input: rewrite });
    expect(updated.body).toEqual({ data: { updateRowsOfAssetsTableMetadata: { updatedAssets: { id: video } } } });
    const outsiderUpdates = await as(world.outsider.token, UPDATE_ROWS, { input: rewrite });
    expect(outsiderUpdates.body.errors![0]!.extensions).toMatchObject({
      errorCode: 'NoAccessRightsException',
      resourceType: 'ASSET',
      resourceSelector: video,
    });
    const missing = await as(world.editor.token, UPDATE_ROWS, { input: { tableMetadata: [{ rowId: '999999', columns: [] }] } });
    expect(missing.body.errors![0]!.extensions).toMatchObject({
      errorCode: 'ResourceDoesNotExist',
      resourceType: 'TABLE_DATA_FIELD_ROW',
      resourceSelector: '999999',
    });

    const deleted = await ok(world.editor.token, DELETE, { rowIds: ['1', '2', '999999', 'x'] });
    expect(deleted.deleteRowsFromAssetsTableMetadata.deletedRowIds).toEqual(['1', '2']);
    expect((await ok(world.editor.token, DELETE, { rowIds: ['1', '2'] })).deleteRowsFromAssetsTableMetadata.deletedRowIds).toEqual([]);
  });
});

describe('group item metadata', () => {
  const ITEMS = `query ($id: ID, $fields: [GroupItemDataField]) { assets(input: { where: { ids: [$id] } }) { assets { ... on GroupAsset {
    items { items { id metadata(input: { where: { fields: $fields } }) { totalCount metadata { __typename field
      ... on BooleanGroupItemMetadata { boolean: value } ... on TimecodeGroupItemMetadata { timecode: value } ... on StringGroupItemMetadata { text: value } } } } } } } } }`;
  const UPDATE_ITEMS = `mutation ($input: UpdateGroupItemsMetadataInput!) { updateGroupItemsMetadata(input: $input) { groupAsset { id name } } }`;

  it('is set per item and field, typed, cleared by null, and read back by GroupItem.metadata', async () => {
    const group = await world.create(world.editor.token, 'Group');
    const video = await world.create(world.editor.token, 'Video');
    await ok(
      world.editor.token,
      `mutation { addItemsToGroups(input: { itemsToGroups: { groupId: ${group}, assetSegments: [{ assetId: ${video} }, { assetId: ${video} }] } }) { groupItems { id } } }`,
    );
    const set = await as(world.editor.token, UPDATE_ITEMS, {
      input: {
        groupAssetId: group,
        itemsMetadata: [
          {
            itemId: '1:1:1',
            metadata: [
              { field: 'ITEM_HOLD', value: 'false' },
              { field: 'ITEM_SCHEDULED_DURATION', value: '0:1:30.000' },
            ],
          },
          { itemId: '1:1:2', metadata: [{ field: 'ITEM_CUSTOM_1', value: 'Live' }] },
        ],
      },
    });
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data.updateGroupItemsMetadata.groupAsset).toEqual({ id: group, name: expect.any(String) });
    const items = async (fields?: string[]) => (await ok(world.outsider.token, ITEMS, { id: group, fields })).assets.assets[0].items.items;
    expect((await items())[0].metadata).toEqual({
      totalCount: 2,
      metadata: [
        { __typename: 'TimecodeGroupItemMetadata', field: 'ITEM_SCHEDULED_DURATION', timecode: ['00:01:30.000 PAL'] },
        { __typename: 'BooleanGroupItemMetadata', field: 'ITEM_HOLD', boolean: [false] },
      ],
    });
    expect((await items(['ITEM_CUSTOM_1', 'ITEM_HOLD', 'ITEM_COMPUTED_DURATION']))[1].metadata.metadata).toEqual([
      { __typename: 'StringGroupItemMetadata', field: 'ITEM_CUSTOM_1', text: ['Live'] },
      { __typename: 'BooleanGroupItemMetadata', field: 'ITEM_HOLD', boolean: [] },
      { __typename: 'UnsupportedGroupItemMetadata', field: 'ITEM_COMPUTED_DURATION' },
    ]);
    await ok(world.editor.token, UPDATE_ITEMS, {
      input: { groupAssetId: group, itemsMetadata: [{ itemId: '1:1:1', metadata: [{ field: 'ITEM_HOLD', value: null }] }] },
    });
    expect((await items())[0].metadata.totalCount).toBe(1);
  });

  it('refuses a missing item, a bad value, a group it may not change, and an asset that is no group', async () => {
    const group = await world.create(world.editor.token, 'Group');
    const video = await world.create(world.editor.token, 'Video');
    const update = (token: string, groupAssetId: string, itemId: string, value: string) =>
      as(token, UPDATE_ITEMS, { input: { groupAssetId, itemsMetadata: [{ itemId, metadata: [{ field: 'ITEM_HOLD', value }] }] } });
    expect((await update(world.editor.token, group, '1:1:9', 'true')).body.errors![0]!.extensions).toMatchObject({
      errorCode: 'ResourceDoesNotExist',
      resourceType: 'GROUP_ITEM',
    });
    await ok(
      world.editor.token,
      `mutation { addItemsToGroups(input: { itemsToGroups: { groupId: ${group}, assetSegments: [{ assetId: ${video} }] } }) { groupItems { id } } }`,
    );
    expect((await update(world.editor.token, group, '1:1:1', 'maybe')).body.errors![0]!.extensions).toMatchObject({
      errorCode: 'InvalidInput',
      reason: 'WRONG_FORMAT',
    });
    const denied = await update(world.outsider.token, group, '1:1:1', 'true');
    expect(denied.body.data).toEqual({ updateGroupItemsMetadata: { groupAsset: null } });
    expect(denied.body.errors![0]!.extensions).toMatchObject({ errorCode: 'NoAccessRightsException', resourceType: 'ASSET' });
    expect((await update(world.editor.token, video, '1:1:1', 'true')).body.errors![0]!.extensions).toMatchObject({
      precondition: 'MUST_BE_A_GROUP_ASSET_TYPE',
    });
  });
});
