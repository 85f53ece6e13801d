/**
 * Categories: every operation and the children subquery, each with the rights the doc names, for a user
 * who holds them, one who does not, and one who holds them through a group (EDITORS on the shared folders).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';

let platform: DaletPlatform;
let editor: { id: string; token: string };
let outsider: { id: string; token: string };
let toReview: string;
beforeAll(async () => {
  platform = await startDaletPlatform();
  editor = await platform.newUser('editor');
  outsider = await platform.newUser('outsider');
  await platform.ok(
    platform.adminToken,
    `mutation { addUsersToUserGroups(input: { users: { ids: [${editor.id}] }, userGroups: { names: ["EDITORS"] } }) { addedAssociations { users { id } } } }`,
  );
  toReview = (
    await platform.ok(
      platform.adminToken,
      '{ categories(input: { where: { fullNames: ["CATEGORIES/To review"] } }) { categories { id } } }',
    )
  ).categories.categories[0].id;
}, 60_000);
afterAll(async () => platform?.stop());

const CREATE =
  'mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { category { id name shortName code fullName color runningOrder killDateOffset endDateOffset keepDateOffset parent { id } } } }';
const create = (token: string, input: Record<string, unknown>) => platform.as(token, CREATE, { input });
const errorOf = (body: { errors?: { extensions?: Record<string, any> }[] }) => body.errors?.[0]?.extensions;

describe('createCategory (Insert on the parent)', () => {
  it('through a group: EDITORS may create in To review, with the documented defaults', async () => {
    const { body } = await create(editor.token, { name: 'Stories', parentCategoryId: toReview });
    expect(body.errors).toBeUndefined();
    expect(body.data.createCategory.category).toMatchObject({
      name: 'Stories',
      shortName: 'Stories',
      code: 'REVIEW',
      fullName: 'CATEGORIES/To review/Stories',
      color: '#FFFFFF',
      runningOrder: false,
      killDateOffset: 365,
      endDateOffset: 365,
      keepDateOffset: 0,
      parent: { id: toReview },
    });
  });

  it('without the right: a user outside EDITORS may not', async () => {
    const { body } = await create(outsider.token, { name: 'Nope', parentCategoryId: toReview });
    expect(body.data).toEqual({ createCategory: { category: null } });
    expect(errorOf(body)).toMatchObject({
      errorCode: 'NoAccessRightsException',
      operationType: 'CREATE',
      resourceType: 'CATEGORY',
      resourceSelector: toReview,
      userId: Number(outsider.id),
    });
  });

  it('with the right held directly: a user creates in their own private folder', async () => {
    const own = await platform.ok(
      outsider.token,
      `{ users(input: { where: { ids: [${outsider.id}] } }) { users { privateCategory { id } } } }`,
    );
    const { body } = await create(outsider.token, {
      name: 'Drafts',
      parentCategoryId: own.users.users[0].privateCategory.id,
      color: 'f00',
      code: 'DRFT',
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.createCategory.category).toMatchObject({ color: '#FF0000', code: 'DRFT' });
    // ... which nobody else sees.
    const seen = await platform.ok(
      editor.token,
      `{ categories(input: { where: { ids: [${body.data.createCategory.category.id}] } }) { totalCount } }`,
    );
    expect(seen.categories.totalCount).toBe(0);
  });

  it('validates names: not empty, no "/", unique among siblings', async () => {
    expect(errorOf((await create(editor.token, { name: 'a/b', parentCategoryId: toReview })).body)).toMatchObject({
      errorCode: 'InvalidInput',
      reason: 'FORBIDDEN_CHARACTERS',
      name: 'name',
    });
    expect(errorOf((await create(editor.token, { name: 'x'.repeat(32), parentCategoryId: toReview })).body)).toMatchObject({
      errorCode: 'InvalidInput',
      reason: 'TOO_LONG',
    });
    await create(editor.token, { name: 'Twice', parentCategoryId: toReview });
    expect(errorOf((await create(editor.token, { name: 'Twice', parentCategoryId: toReview })).body)).toMatchObject({
      errorCode: 'InvalidInput',
      reason: 'ALREADY_EXISTS',
    });
  });
});

describe('categories and children (View)', () => {
  it('lists what the caller may View, filters ANDed, children through the subquery', async () => {
    const everyone = await platform.ok(
      outsider.token,
      '{ categories(input: { where: { parentIds: [1], system: false } }) { totalCount categories { fullName } } }',
    );
    expect(everyone.categories.categories.map((category: { fullName: string }) => category.fullName)).toEqual([
      'CATEGORIES/Rundowns',
      'CATEGORIES/To review',
      'CATEGORIES/Archive',
    ]);
    const running = await platform.ok(
      outsider.token,
      '{ categories(input: { where: { parentIds: [1], runningOrder: true } }) { categories { name } } }',
    );
    expect(running.categories.categories).toEqual([{ name: 'Rundowns' }]);
    const tree = await platform.ok(
      editor.token,
      `{ categories(input: { where: { ids: [${toReview}] } }) { categories { childCount children(input: { where: { fullNames: ["CATEGORIES/To review/Stories"] } }) { totalCount categories { name parent { name } } } } } }`,
    );
    expect(tree.categories.categories[0].children).toEqual({
      totalCount: 1,
      categories: [{ name: 'Stories', parent: { name: 'To review' } }],
    });
    expect(tree.categories.categories[0].childCount).toBeGreaterThanOrEqual(2);
  });
});

describe("createShotList (View on the clipBin, Insert on the user's clipBin)", () => {
  it('a user makes a shot list in their own clipBin: code UPCLB, running order', async () => {
    const { body } = await platform.as(
      editor.token,
      `mutation { createShotList(input: { userId: ${editor.id}, name: "My_ShotList" }) { category { id fullName code runningOrder } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.createShotList.category).toMatchObject({
      fullName: `CATEGORIES/ClipBin/editor ${editor.id}/My_ShotList`,
      code: 'UPCLB',
      runningOrder: true,
    });
  });

  it("nobody makes one in another user's clipBin, but an administrator", async () => {
    const refused = await platform.as(
      outsider.token,
      `mutation { createShotList(input: { userId: ${editor.id}, name: "Intruder" }) { category { id } } }`,
    );
    expect(refused.body.data).toEqual({ createShotList: { category: null } });
    expect(errorOf(refused.body)).toMatchObject({
      errorCode: 'NoAccessRightsException',
      operationType: 'CREATE',
      resourceType: 'CATEGORY',
    });
    const admin = await platform.as(
      platform.adminToken,
      `mutation { createShotList(input: { userId: ${editor.id}, name: "From admin" }) { category { id } } }`,
    );
    expect(admin.body.errors).toBeUndefined();
    const unknown = await platform.as(
      platform.adminToken,
      'mutation { createShotList(input: { userId: 999, name: "X" }) { category { id } } }',
    );
    expect(errorOf(unknown.body)).toMatchObject({ errorCode: 'ResourceDoesNotExist', resourceType: 'USER', resourceSelector: '999' });
  });
});

describe('updateCategory (View on it, all rights on its parent)', () => {
  it('renames and moves, with the full names of the subtree kept in step', async () => {
    const parent = (await create(editor.token, { name: 'Season 1', parentCategoryId: toReview })).body.data.createCategory.category;
    await create(editor.token, { name: 'Episode 1', parentCategoryId: parent.id });
    const { body } = await platform.as(
      editor.token,
      `mutation { updateCategory(input: { categoryId: ${parent.id}, name: "Season One", runningOrder: true, color: "#00ff00" }) { category { fullName runningOrder color children { categories { fullName } } } } }`,
    );
    expect(body.data.updateCategory.category).toEqual({
      fullName: 'CATEGORIES/To review/Season One',
      runningOrder: true,
      color: '#00FF00',
      children: { categories: [{ fullName: 'CATEGORIES/To review/Season One/Episode 1' }] },
    });
    const archive = (
      await platform.ok(editor.token, '{ categories(input: { where: { fullNames: ["CATEGORIES/Archive"] } }) { categories { id } } }')
    ).categories.categories[0].id;
    const moved = await platform.ok(
      editor.token,
      `mutation { updateCategory(input: { categoryId: ${parent.id}, parentCategoryId: ${archive} }) { category { fullName } } }`,
    );
    expect(moved.updateCategory.category.fullName).toBe('CATEGORIES/Archive/Season One');
    const intoItself = await platform.as(
      editor.token,
      `mutation { updateCategory(input: { categoryId: ${parent.id}, parentCategoryId: ${parent.id} }) { category { id } } }`,
    );
    expect(errorOf(intoItself.body)).toMatchObject({ errorCode: 'InvalidInput', reason: 'INVALID_VALUE', name: 'parentCategoryId' });
  });

  it('without the rights: refused; a system category: unsupported', async () => {
    const target = (await create(editor.token, { name: 'Locked', parentCategoryId: toReview })).body.data.createCategory.category;
    const refused = await platform.as(
      outsider.token,
      `mutation { updateCategory(input: { categoryId: ${target.id}, name: "Mine" }) { category { id } } }`,
    );
    expect(refused.body.data).toEqual({ updateCategory: { category: null } });
    expect(errorOf(refused.body)).toMatchObject({
      errorCode: 'NoAccessRightsException',
      operationType: 'UPDATE',
      resourceType: 'CATEGORY',
    });
    const system = await platform.as(
      platform.adminToken,
      'mutation { updateCategory(input: { categoryId: 1, name: "ROOT" }) { category { id } } }',
    );
    expect(errorOf(system.body)).toMatchObject({ errorCode: 'UnsupportedResource', resourceSelector: '1', resourceType: 'CATEGORY' });
  });
});

describe('deleteCategories (Insert and Remove on it)', () => {
  it('through a group, refused without the right, and by parentIds', async () => {
    const folder = (await create(editor.token, { name: 'Trash me', parentCategoryId: toReview })).body.data.createCategory.category;
    const child = (await create(editor.token, { name: 'Inside', parentCategoryId: folder.id })).body.data.createCategory.category;
    const refused = await platform.as(
      outsider.token,
      `mutation { deleteCategories(input: { categoriesWith: { ids: [${child.id}] } }) { deletedCategoryIds } }`,
    );
    expect(refused.body.data).toEqual({ deleteCategories: { deletedCategoryIds: [] } });
    // PUBLIC's View on the shared tree came down to it: the outsider sees it, and may not remove it.
    expect(errorOf(refused.body)).toMatchObject({
      errorCode: 'NoAccessRightsException',
      operationType: 'DELETE',
      resourceSelector: child.id,
    });
    const byParent = await platform.ok(
      editor.token,
      `mutation { deleteCategories(input: { categoriesWith: { parentIds: [${folder.id}] } }) { deletedCategoryIds } }`,
    );
    expect(byParent.deleteCategories.deletedCategoryIds).toEqual([child.id]);
    const empty = await platform.as(
      editor.token,
      'mutation { deleteCategories(input: { categoriesWith: { system: false } }) { deletedCategoryIds } }',
    );
    expect(errorOf(empty.body)).toMatchObject({ errorCode: 'InvalidInput', name: 'categoriesWith' });
  });

  it('a category the caller may not View is not matched at all: nothing deleted, nothing told', async () => {
    const own = await platform.ok(
      editor.token,
      `{ users(input: { where: { ids: [${editor.id}] } }) { users { privateCategory { id } } } }`,
    );
    const secret = (await create(editor.token, { name: 'Secret', parentCategoryId: own.users.users[0].privateCategory.id })).body.data
      .createCategory.category;
    const { body } = await platform.as(
      outsider.token,
      `mutation { deleteCategories(input: { categoriesWith: { ids: [${secret.id}] } }) { deletedCategoryIds } }`,
    );
    expect(body).toEqual({ data: { deleteCategories: { deletedCategoryIds: [] } } });
    const still = await platform.ok(editor.token, `{ categories(input: { where: { ids: [${secret.id}] } }) { totalCount } }`);
    expect(still.categories.totalCount).toBe(1);
  });
});
