/**
 * Category metadata through the gateway: updateObjectsMetadata with SET, APPEND and REMOVE on categories,
 * values typed by their data field, `Category.metadata` with its filters, rights, and partial answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';

let platform: DaletPlatform;
let outsider: { id: string; token: string };
let categoryId: string;
beforeAll(async () => {
  platform = await startDaletPlatform();
  outsider = await platform.newUser('meta_outsider');
  const root = (
    await platform.ok(
      platform.adminToken,
      '{ categories(input: { where: { fullNames: ["CATEGORIES/To review"] } }) { categories { id } } }',
    )
  ).categories.categories[0].id;
  categoryId = (
    await platform.ok(
      platform.adminToken,
      `mutation { createCategory(input: { name: "Metadata", parentCategoryId: ${root} }) { category { id } } }`,
    )
  ).createCategory.category.id;
}, 60_000);
afterAll(async () => platform?.stop());

const UPDATE = `mutation ($input: UpdateObjectsMetadataInput!) { updateObjectsMetadata(input: $input) { updatedObjects { id objectType ... on Category { name } } } }`;
const update = (token: string, actionType: string, metadata: unknown, objectId = categoryId, objectType = 'CATEGORY') =>
  platform.as(token, UPDATE, { input: { actionType, objectsMetadata: [{ objectId, objectType, metadata }] } });

const METADATA = `query ($id: ID, $fields: DataFieldsFilterInput) { categories(input: { where: { ids: [$id] } }) { categories {
  metadata(input: { where: { fields: $fields } }) { totalCount metadata { __typename field { name valueType }
    ... on TextMetadata { text: value } ... on NumberMetadata { number: value } ... on PeriodMetadata { period: value }
    ... on TimecodeMetadata { timecode: value } ... on TimeDateMetadata { timeDate: value } } } } } }`;
const metadataOf = async (fields?: unknown) =>
  (await platform.ok(platform.adminToken, METADATA, { id: categoryId, fields })).categories.categories[0].metadata;

describe('updateObjectsMetadata on a category', () => {
  it('SET writes each value as its field type reads it, and metadata answers it typed', async () => {
    const { body } = await update(platform.adminToken, 'SET', [
      { field: { name: 'Category Description' }, value: 'Editorial' },
      { field: { tagName: 'EPISODE_NUMBER' }, value: '12' },
      { field: { id: '102' }, value: 'P0:0:10.000S' },
      { field: { name: 'Timing' }, value: '12:30:42.100' },
      { field: { name: 'Title Kill Date' }, value: '2030-01-18T10:00:00' },
    ]);
    expect(body.errors).toBeUndefined();
    expect(body.data.updateObjectsMetadata.updatedObjects).toEqual([{ id: categoryId, objectType: 'CATEGORY', name: 'Metadata' }]);
    const metadata = await metadataOf();
    expect(metadata.totalCount).toBe(5);
    expect(metadata.metadata).toEqual([
      { __typename: 'PeriodMetadata', field: { name: 'Title Duration', valueType: 'PERIOD' }, period: ['PT10S'] },
      { __typename: 'TextMetadata', field: { name: 'Category Description', valueType: 'TEXT' }, text: ['Editorial'] },
      {
        __typename: 'TimeDateMetadata',
        field: { name: 'Title Kill Date', valueType: 'TIME_DATE' },
        timeDate: ['2030-01-18T10:00:00.000Z'],
      },
      { __typename: 'TimecodeMetadata', field: { name: 'Timing', valueType: 'TIMECODE' }, timecode: ['12:30:42.100 PAL'] },
      { __typename: 'NumberMetadata', field: { name: 'Episode Number', valueType: 'NUMBER' }, number: [12] },
    ]);
  });

  it('the subquery filters by field ids, names and tag names, and answers a named field it does not hold as empty', async () => {
    expect(await metadataOf({ names: ['Episode Number', 'Multi text'] })).toEqual({
      totalCount: 2,
      metadata: [
        { __typename: 'TextMetadata', field: { name: 'Multi text', valueType: 'TEXT' }, text: [] },
        { __typename: 'NumberMetadata', field: { name: 'Episode Number', valueType: 'NUMBER' }, number: [12] },
      ],
    });
    expect((await metadataOf({ tagNames: ['TIMING'], names: ['Timing'] })).totalCount).toBe(1);
    expect((await metadataOf({ ids: ['102'], names: ['Timing'] })).totalCount).toBe(0);
  });

  it('APPEND and REMOVE change a multi-cardinality field in order', async () => {
    const multi = (value: string) => ({ field: { name: 'Multi text' }, value });
    expect(
      (await update(platform.adminToken, 'APPEND', [multi('value 1'), multi('value 2'), multi('value 3')])).body.errors,
    ).toBeUndefined();
    expect((await update(platform.adminToken, 'REMOVE', [multi('value 2')])).body.errors).toBeUndefined();
    expect((await metadataOf({ names: ['Multi text'] })).metadata[0].text).toEqual(['value 1', 'value 3']);
    expect((await update(platform.adminToken, 'SET', [{ field: { name: 'Multi text' }, value: ['a', 'b'] }])).body.errors).toBeUndefined();
    expect((await metadataOf({ names: ['Multi text'] })).metadata[0].text).toEqual(['a', 'b']);
  });

  it('a value its field cannot read, APPEND on a single field, an unknown field: errors, nothing written', async () => {
    const wrong = await update(platform.adminToken, 'SET', [
      { field: { name: 'Category Description' }, value: 'Changed' },
      { field: { name: 'Episode Number' }, value: 'twelve' },
    ]);
    expect(wrong.body.data.updateObjectsMetadata.updatedObjects).toEqual([]);
    expect(wrong.body.errors![0]!).toMatchObject({
      path: ['updateObjectsMetadata'],
      extensions: { errorCode: 'InvalidInput', reason: 'WRONG_FORMAT', name: 'value', value: 'twelve' },
    });
    expect((await metadataOf({ names: ['Category Description'] })).metadata[0].text).toEqual(['Editorial']);

    const single = await update(platform.adminToken, 'APPEND', [{ field: { name: 'Category Description' }, value: 'x' }]);
    expect(single.body.errors![0]!.extensions).toMatchObject({
      errorCode: 'ResourcePreconditionViolation',
      precondition: 'DATA_FIELD_MUST_BE_MULTI_CARDINALITY',
      resourceType: 'DATA_FIELD',
      resourceSelector: '111',
    });
    const unknown = await update(platform.adminToken, 'SET', [{ field: { name: 'No Such Field' }, value: 'x' }]);
    expect(unknown.body.errors![0]!.extensions).toMatchObject({
      errorCode: 'ResourceDoesNotExist',
      resourceType: 'DATA_FIELD',
      resourceSelectorType: 'NAME',
      resourceSelector: 'No Such Field',
    });
  });

  it('needs Insert and Remove on the category: a user without them changes nothing, and one they may not View does not exist for them', async () => {
    const { body } = await update(outsider.token, 'SET', [{ field: { name: 'Category Description' }, value: 'Hacked' }]);
    expect(body.data.updateObjectsMetadata.updatedObjects).toEqual([]);
    expect(body.errors![0]!.extensions).toMatchObject({
      errorCode: 'NoAccessRightsException',
      operationType: 'UPDATE',
      resourceType: 'CATEGORY',
      resourceSelector: categoryId,
      userId: Number(outsider.id),
    });
    const hidden = (
      await platform.ok(platform.adminToken, `{ users(input: { where: { ids: [1] } }) { users { privateCategory { id } } } }`)
    ).users.users[0].privateCategory.id;
    const unseen = await update(outsider.token, 'SET', [{ field: { name: 'Category Description' }, value: 'Hacked' }], hidden);
    expect(unseen.body.errors![0]!.extensions).toMatchObject({
      errorCode: 'ResourceDoesNotExist',
      resourceType: 'CATEGORY',
      resourceSelector: hidden,
    });
    expect((await metadataOf({ names: ['Category Description'] })).metadata[0].text).toEqual(['Editorial']);
  });

  it('objects this service does not keep are UnsupportedResource', async () => {
    const { body } = await update(platform.adminToken, 'SET', [{ field: { name: 'Item Code' }, value: 'x' }], '1', 'CONTACT');
    expect(body.errors![0]!.extensions).toMatchObject({
      errorCode: 'UnsupportedResource',
      resourceType: 'OBJECT_TYPE',
      resourceSelector: 'CONTACT',
    });
  });
});
