/**
 * Each example of the Errors section, reproduced by a real request of this part's operations, shape for
 * shape: message wording, extensions (errorCode, classification, resource fields) and partial data. The
 * doc's own triggers use part 2's createAudioAssets; the same errors come from createCategory & co here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredBody, answeredExtensions, startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';

let platform: DaletPlatform;
let viewer: { id: string; token: string };
beforeAll(async () => {
  platform = await startDaletPlatform();
  viewer = await platform.newUser('viewer');
}, 60_000);
afterAll(async () => platform?.stop());

const idOf = async (fullName: string) =>
  (
    await platform.ok(
      platform.adminToken,
      'query ($n: [String]) { categories(input: { where: { fullNames: $n } }) { categories { id } } }',
      { n: [fullName] },
    )
  ).categories.categories[0].id;

describe('the Errors section, example by example', () => {
  it('InvalidInput: an empty mandatory input', async () => {
    const { body } = await platform.as(
      platform.adminToken,
      `mutation {
  createCategory(input: { name: "", 
                          parentCategoryId: "1" }) {
    category {
      id
    }
  }
}`,
    );
    expect(body).toEqual(
      answeredBody({
        errors: [
          {
            message: 'Input name [name] with value [] is invalid with [Missing Value] reason. Error details: Must not be empty',
            locations: [{ line: 2, column: 3 }],
            path: ['createCategory'],
            extensions: { reason: 'MISSING_VALUE', name: 'name', errorCode: 'InvalidInput', value: '', classification: 'ValidationError' },
          },
        ],
        data: { createCategory: { category: null } },
      }),
    );
  });

  it('NoAccessRightsException: a user without the right', async () => {
    const { body } = await platform.as(
      viewer.token,
      `mutation {
  createCategory(input: { name: "AudioCategory", 
                          parentCategoryId: "1" }) {
    category {
      id
    }
  }
}`,
    );
    expect(body).toEqual(
      answeredBody({
        errors: [
          {
            message: `User with id [${viewer.id}] does not have access rights to perform operation type [Create] for resource type [Category]`,
            locations: [{ line: 2, column: 3 }],
            path: ['createCategory'],
            extensions: {
              errorCode: 'NoAccessRightsException',
              resourceSelectorType: 'ID',
              operationType: 'CREATE',
              resourceSelector: '1',
              userId: Number(viewer.id),
              resourceType: 'CATEGORY',
              classification: 'ValidationError',
            },
          },
        ],
        data: { createCategory: { category: null } },
      }),
    );
  });

  it('NoAccessRightsException without a resource: user management by a non-administrator', async () => {
    const { body } = await platform.as(viewer.token, 'mutation { createUserGroup(input: { name: "Mine" }) { userGroup { id } } }');
    expect(body.data).toEqual({ createUserGroup: { userGroup: null } });
    expect(body.errors?.[0]?.extensions).toEqual(
      answeredExtensions({
        errorCode: 'NoAccessRightsException',
        resourceSelectorType: null,
        operationType: 'CREATE',
        resourceSelector: null,
        userId: Number(viewer.id),
        resourceType: 'USER_GROUP',
        classification: 'ValidationError',
      }),
    );
  });

  it('ResourceDoesNotExist: a category id that does not exist', async () => {
    const { body } = await platform.as(
      platform.adminToken,
      `mutation {
  createCategory(input: { name: "AudioCategory", 
                          parentCategoryId: "1000" }) {
    category {
      id
    }
  }
}`,
    );
    expect(body).toEqual(
      answeredBody({
        errors: [
          {
            message: 'Resource with [Id: 1000, Type: Category] does not exist',
            locations: [{ line: 2, column: 3 }],
            path: ['createCategory'],
            extensions: {
              errorCode: 'ResourceDoesNotExist',
              resourceSelectorType: 'ID',
              resourceSelector: '1000',
              resourceType: 'CATEGORY',
              classification: 'DataFetchingException',
            },
          },
        ],
        data: { createCategory: { category: null } },
      }),
    );
  });

  it('ResourcePreconditionViolation: a category that is not empty', async () => {
    const parent = await platform.ok(
      platform.adminToken,
      'mutation { createCategory(input: { name: "Full", parentCategoryId: 1 }) { category { id } } }',
    );
    const parentId = parent.createCategory.category.id;
    await platform.ok(
      platform.adminToken,
      `mutation { createCategory(input: { name: "Child", parentCategoryId: ${parentId} }) { category { id } } }`,
    );
    const { body } = await platform.as(
      platform.adminToken,
      `mutation {
  deleteCategories(input: { categoriesWith: { ids: [${parentId}] } }) {
    deletedCategoryIds
  }
}`,
    );
    expect(body).toEqual(
      answeredBody({
        errors: [
          {
            message: `Resource with [Id: ${parentId}, Type: Category] does not satisfy the precondition [Category Must Be Empty]`,
            locations: [{ line: 2, column: 3 }],
            path: ['deleteCategories'],
            extensions: {
              errorCode: 'ResourcePreconditionViolation',
              resourceSelectorType: 'ID',
              resourceSelector: parentId,
              precondition: 'CATEGORY_MUST_BE_EMPTY',
              resourceType: 'CATEGORY',
              classification: 'ValidationError',
            },
          },
        ],
        data: { deleteCategories: { deletedCategoryIds: [] } },
      }),
    );
  });

  it('UnsupportedResource: a system category cannot be deleted', async () => {
    const glossaries = await idOf('CATEGORIES/Glossaries');
    const { body } = await platform.as(
      platform.adminToken,
      `mutation {
  deleteCategories(input: { categoriesWith: { ids: [${glossaries}] } }) {
    deletedCategoryIds
  }
}`,
    );
    expect(body).toEqual(
      answeredBody({
        errors: [
          {
            message: `Unsupported resource with [Id: ${glossaries}, Type: Category]`,
            locations: [{ line: 2, column: 3 }],
            path: ['deleteCategories'],
            extensions: {
              errorCode: 'UnsupportedResource',
              resourceSelectorType: 'ID',
              resourceSelector: glossaries,
              resourceType: 'CATEGORY',
              classification: 'DataFetchingException',
            },
          },
        ],
        data: { deleteCategories: { deletedCategoryIds: [] } },
      }),
    );
  });

  it('a mutation that fails for some of its targets answers the others and an error for each failure', async () => {
    const made = await platform.ok(
      platform.adminToken,
      'mutation { a: createCategory(input: { name: "Gone A", parentCategoryId: 1 }) { category { id } } }',
    );
    const glossaries = await idOf('CATEGORIES/Glossaries');
    const { body } = await platform.as(
      platform.adminToken,
      `mutation { deleteCategories(input: { categoriesWith: { ids: [${made.a.category.id}, ${glossaries}] } }) { deletedCategoryIds } }`,
    );
    expect(body.data).toEqual({ deleteCategories: { deletedCategoryIds: [made.a.category.id] } });
    expect(body.errors?.map((error) => error.extensions?.errorCode)).toEqual(['UnsupportedResource']);
  });
});

describe('UnexpectedError', () => {
  let broken: DaletPlatform;
  beforeAll(async () => (broken = await startDaletPlatform()), 60_000);
  afterAll(async () => broken?.stop());

  it('answers a failure nobody raised on purpose (here, a store that lost a table) without its details', async () => {
    await broken.subgraphs.dalet!.store.db.schema.dropTable('tokens').execute();
    // Anonymous, as a login is: a token could no longer be checked without the table either.
    const { body } = await broken.query(
      'mutation {\n  login(input: { username: "test_admin", password: "test-admin-password" }) {\n    token\n  }\n}',
    );
    expect(body).toEqual(
      answeredBody({
        errors: [
          {
            message: 'Unexpected error',
            locations: [{ line: 2, column: 3 }],
            path: ['login'],
            extensions: { errorCode: 'UnexpectedError', classification: 'ExecutionAborted' },
          },
        ],
        data: { login: null },
      }),
    );
  });
});
