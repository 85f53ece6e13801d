/**
 * The doc's examples of Categories run as printed, each id of the doc replaced by the id of what the test
 * created. Category 1 is the root of the bootstrap tree (CATEGORIES), as the doc's createCategory assumes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';

let platform: DaletPlatform;
beforeAll(async () => (platform = await startDaletPlatform()), 60_000);
afterAll(async () => platform?.stop());

function withIds(example: string, ids: Record<string, string>): string {
  return example.replace(/\b\d+\b/g, (id) => ids[id] ?? id);
}

const run = (example: string, ids: Record<string, string> = {}) => platform.ok(platform.adminToken, withIds(example, ids));
const newCategory = async (name: string, parentId = '1') =>
  (await run(`mutation { createCategory(input: { name: "${name}", parentCategoryId: ${parentId} }) { category { id } } }`)).createCategory
    .category.id as string;

describe('Categories', () => {
  it('categories under parent 0 that are running orders: none at the top, Rundowns under the root', async () => {
    const example = `query {
    categories( input: { where: { 
        parentIds: ["0"]
        runningOrder: true 
    } } ) {
    totalCount
        categories {
            id
            name
        }
    } 
}`;
    expect((await run(example)).categories).toEqual({ totalCount: 0, categories: [] });
    const underRoot = await run(example, { 0: '1' });
    expect(underRoot.categories).toEqual({ totalCount: 1, categories: [{ id: expect.any(String), name: 'Rundowns' }] });
  });

  it('the children subquery with ids, codes and system', async () => {
    const glossaries = await run('{ categories(input: { where: { codes: ["GLOSSARIES"] } }) { categories { id } } }');
    const data = await run(
      `query {
    categories  {
        categories {
            children( input: { where: {
                ids: ["131",52] , 
                codes: ["GLOSSARIES"] , 
                system: true 
            } } ) {
                totalCount
                categories{
                    id
                    name
                }
            }
        }
    }
}`,
      { 131: glossaries.categories.categories[0].id },
    );
    const nonEmpty = data.categories.categories.filter((category: any) => category.children.totalCount > 0);
    expect(nonEmpty).toEqual([
      { children: { totalCount: 1, categories: [{ id: glossaries.categories.categories[0].id, name: 'Glossaries' }] } },
    ]);
  });

  it('createCategory newSubCategory with code SUB01 inside category 1, as printed', async () => {
    const data = await run(`mutation {
    createCategory ( input: {  
        name: "newSubCategory" ,
        parentCategoryId: 1 ,
        code: "SUB01"
    } ) {
    category {
      id
    }
  }
}`);
    const { id } = data.createCategory.category;
    const check = await run(`{ categories(input: { where: { ids: [${id}] } }) { categories { fullName code parent { id } } } }`);
    expect(check.categories.categories).toEqual([{ fullName: 'CATEGORIES/newSubCategory', code: 'SUB01', parent: { id: '1' } }]);
  });

  it('createShotList My_ShotList for user 12', async () => {
    const twelve = (
      await run(
        'mutation { createUser(input: { login: "shooter", firstName: "S", lastName: "T", password: "shooter-password" }) { user { id } } }',
      )
    ).createUser.user.id;
    const data = await run(
      `mutation {
  createShotList ( input: {
    userId: 12 ,
    name: "My_ShotList"
    } ) {
    category {
      id
      fullName
    }
  }
}`,
      { 12: twelve },
    );
    expect(data.createShotList.category).toEqual({ id: expect.any(String), fullName: `CATEGORIES/ClipBin/shooter ${twelve}/My_ShotList` });
  });

  it('updateCategory 2795 to "New name"', async () => {
    const id = await newCategory('Old name');
    const data = await run(
      `mutation {
  updateCategory ( input : {
    categoryId: 2795,
    name: "New name"
  } ) {
    category{
      id
    }
  }
}`,
      { 2795: id },
    );
    expect(data.updateCategory.category).toEqual({ id });
    expect(
      (await run(`{ categories(input: { where: { ids: [${id}] } }) { categories { name fullName } } }`)).categories.categories,
    ).toEqual([{ name: 'New name', fullName: 'CATEGORIES/New name' }]);
  });

  it('deleteCategories 4445 and 4446', async () => {
    const first = await newCategory('Delete me 1');
    const second = await newCategory('Delete me 2');
    const data = await run(
      `mutation {
  deleteCategories(input: { categoriesWith: { ids: [4445, 4446] } } ) {
    deletedCategoryIds
  }
}`,
      { 4445: first, 4446: second },
    );
    expect(data.deleteCategories.deletedCategoryIds).toEqual([first, second]);
    expect((await run(`{ categories(input: { where: { ids: [${first}, ${second}] } }) { totalCount } }`)).categories.totalCount).toBe(0);
  });
});
