/**
 * The dalet flows whose SQL differs most between databases (serial ids, RETURNING, counts, keyset pages,
 * rights subqueries, cascades, the site rows), run on PostgreSQL through DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';
import { startPostgres, type PostgresServer } from './helpers/postgres.ts';

describe('dalet on PostgreSQL', () => {
  let postgres: PostgresServer;
  let platform: DaletPlatform;
  beforeAll(async () => {
    postgres = await startPostgres();
    platform = await startDaletPlatform({ DATABASE_URL: await postgres.createDatabase() });
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
    await postgres?.stop();
  });

  it('bootstraps, creates users and categories with their rights, pages and deletes', async () => {
    const user = await platform.newUser('pg_user');
    const tree = await platform.ok(
      user.token,
      '{ categories(input: { where: { parentIds: [1] }, select: { first: 2 } }) { totalCount pageInfo { endCursor hasNextPage } categories { fullName } } }',
    );
    expect(tree.categories).toMatchObject({
      totalCount: 8,
      pageInfo: { hasNextPage: true },
      categories: [{ fullName: 'CATEGORIES/ClipBin' }, { fullName: 'CATEGORIES/Assignments' }],
    });
    const refused = await platform.as(
      user.token,
      'mutation { createCategory(input: { name: "No", parentCategoryId: 1 }) { category { id } } }',
    );
    expect(refused.body.errors?.[0]?.extensions?.errorCode).toBe('NoAccessRightsException');
    await platform.ok(
      platform.adminToken,
      `mutation { addUsersToUserGroups(input: { users: { ids: [${user.id}] }, userGroups: { names: ["EDITORS"] } }) { addedAssociations { users { id } } } }`,
    );
    const review = (await platform.ok(user.token, '{ categories(input: { where: { codes: ["REVIEW"] } }) { categories { id } } }'))
      .categories.categories[0].id;
    const made = await platform.ok(
      user.token,
      `mutation { createCategory(input: { name: "On Postgres", parentCategoryId: ${review} }) { category { id fullName } } }`,
    );
    expect(made.createCategory.category.fullName).toBe('CATEGORIES/To review/On Postgres');
    const shot = await platform.ok(
      user.token,
      `mutation { createShotList(input: { userId: ${user.id}, name: "Shots" }) { category { code } } }`,
    );
    expect(shot.createShotList.category.code).toBe('UPCLB');
    const deleted = await platform.ok(
      platform.adminToken,
      `mutation { deleteUsers(input: { usersWith: { logins: ["pg_user"] } }) { deletedUserIds } }`,
    );
    expect(deleted.deleteUsers.deletedUserIds).toEqual([user.id]);
  });

  it('answers the site configuration', async () => {
    const data = await platform.ok(
      platform.adminToken,
      '{ languages(input: { where: { usedOnSite: true } }) { totalCount } storageUnits(input: { where: { protocolTypes: AMAZON_S3 } }) { totalCount } }',
    );
    expect(data).toEqual({ languages: { totalCount: 3 }, storageUnits: { totalCount: 2 } });
  });
});
