/**
 * Users and UserGroups: every operation and subquery, the filters ANDed, pagination, partial answers, and
 * the rights: administrators manage users and groups (directly or through ADMINISTRATORS), others may not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredExtensions, startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';

let platform: DaletPlatform;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
beforeAll(async () => {
  platform = await startDaletPlatform();
  alice = await platform.newUser('alice');
  bob = await platform.newUser('bob');
}, 60_000);
afterAll(async () => platform?.stop());

const admin = () => platform.adminToken;

describe('users', () => {
  it('lists users with ids, logins and userGroupIds ANDed, a page at a time', async () => {
    const everyone = await platform.ok(admin(), '{ userGroups(input: { where: { names: ["PUBLIC"] } }) { userGroups { id } } }');
    const publicId = everyone.userGroups.userGroups[0].id;
    const all = await platform.ok(
      alice.token,
      `{ users(input: { where: { userGroupIds: [${publicId}] } }) { totalCount users { login } } }`,
    );
    expect(all.users).toEqual({ totalCount: 3, users: [{ login: 'test_admin' }, { login: 'alice' }, { login: 'bob' }] });
    const anded = await platform.ok(
      alice.token,
      `{ users(input: { where: { ids: [${alice.id}, ${bob.id}], logins: ["bob", "test_admin"] } }) { totalCount users { id } } }`,
    );
    expect(anded.users).toEqual({ totalCount: 1, users: [{ id: bob.id }] });
    const first = await platform.ok(
      alice.token,
      '{ users(input: { select: { first: 2 } }) { totalCount pageInfo { endCursor hasNextPage } users { login } } }',
    );
    expect(first.users).toMatchObject({
      totalCount: 3,
      pageInfo: { hasNextPage: true },
      users: [{ login: 'test_admin' }, { login: 'alice' }],
    });
    const next = await platform.ok(
      alice.token,
      'query ($after: String) { users(input: { select: { first: 2, after: $after } }) { pageInfo { hasNextPage } users { login } } }',
      {
        after: first.users.pageInfo.endCursor,
      },
    );
    expect(next.users).toEqual({ pageInfo: { hasNextPage: false }, users: [{ login: 'bob' }] });
  });

  it('refuses a page length outside 1 to 1000, and filters of more than 1000 values', async () => {
    const { body } = await platform.as(alice.token, '{ users(input: { select: { first: 1001 } }) { totalCount } }');
    expect(body.errors?.[0]?.message).toMatch(/PageLength must be a whole number from 1 to 1000/);
    const huge = await platform.as(alice.token, 'query ($ids: [ID]) { users(input: { where: { ids: $ids } }) { totalCount } }', {
      ids: Array.from({ length: 1001 }, (_, i) => i),
    });
    expect(huge.body.errors?.[0]?.extensions).toMatchObject({ errorCode: 'InvalidInput', reason: 'TOO_LONG', name: 'ids' });
  });

  it('gives each new user the four personal categories, and PUBLIC', async () => {
    const data = await platform.ok(
      alice.token,
      `{ users(input: { where: { ids: [${alice.id}] } }) { users {
      objectType firstName lastName
      clipBinCategory { fullName code } assignmentsCategory { fullName } privateCategory { fullName } quickSaveCategory { fullName }
      userGroups { totalCount userGroups { name } } } } }`,
    );
    expect(data.users.users[0]).toEqual({
      objectType: 'USER',
      firstName: 'Test',
      lastName: 'alice',
      clipBinCategory: { fullName: `CATEGORIES/ClipBin/alice ${alice.id}`, code: 'UCLB' },
      assignmentsCategory: { fullName: `CATEGORIES/Assignments/alice ${alice.id}` },
      privateCategory: { fullName: `CATEGORIES/Private/alice ${alice.id}` },
      quickSaveCategory: { fullName: `CATEGORIES/Quick Save/alice ${alice.id}` },
      userGroups: { totalCount: 1, userGroups: [{ name: 'PUBLIC' }] },
    });
  });

  it("hides another user's personal categories from a user without rights on them", async () => {
    const data = await platform.ok(
      bob.token,
      `{ users(input: { where: { ids: [${alice.id}] } }) { users { clipBinCategory { id } privateCategory { id } } } }`,
    );
    expect(data.users.users[0]).toEqual({ clipBinCategory: null, privateCategory: null });
  });

  it('createUser: administrators only, a unique login, a password of 6 characters or more', async () => {
    const create = (token: string, login: string, password: string) =>
      platform.as(token, 'mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id login } } }', {
        input: { login, firstName: 'F', lastName: 'L', password },
      });
    const refused = await create(alice.token, 'carol', 'carol-password');
    expect(refused.body.data).toEqual({ createUser: { user: null } });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      errorCode: 'NoAccessRightsException',
      operationType: 'CREATE',
      resourceType: 'USER',
      userId: Number(alice.id),
    });
    const short = await create(admin(), 'carol', '12345');
    expect(short.body.errors?.[0]?.extensions).toMatchObject({ errorCode: 'InvalidInput', reason: 'TOO_SHORT', name: 'password' });
    const taken = await create(admin(), 'alice', 'whatever-password');
    expect(taken.body.errors?.[0]?.extensions).toMatchObject({
      errorCode: 'InvalidInput',
      reason: 'ALREADY_EXISTS',
      name: 'login',
      value: 'alice',
    });
    const users = await platform.ok(admin(), '{ users(input: { where: { logins: ["carol"] } }) { totalCount } }');
    expect(users.users.totalCount).toBe(0);
  });

  it('updateUser: a user may update themself, an administrator anyone, nobody else', async () => {
    const update = (token: string, who: string, password: string) =>
      platform.as(
        token,
        `mutation { updateUser(input: { userWith: { login: "${who}" }, password: "${password}", remarks: "changed" }) { user { id login remarks } } }`,
      );
    expect((await update(alice.token, 'alice', 'alice-new-password')).body.data).toEqual({
      updateUser: { user: { id: alice.id, login: 'alice', remarks: 'changed' } },
    });
    expect(await platform.login('alice', 'alice-new-password')).toEqual(expect.any(String));
    const refused = await update(bob.token, 'alice', 'taken-over');
    expect(refused.body.data).toEqual({ updateUser: { user: null } });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      errorCode: 'NoAccessRightsException',
      operationType: 'UPDATE',
      resourceType: 'USER',
    });
    expect((await update(admin(), 'alice', 'alice-password')).body.errors).toBeUndefined();
    const missing = await platform.as(admin(), 'mutation { updateUser(input: { userWith: { id: 999 }, firstName: "X" }) { user { id } } }');
    expect(missing.body.errors?.[0]?.extensions).toEqual(
      answeredExtensions({
        errorCode: 'ResourceDoesNotExist',
        resourceSelectorType: 'ID',
        resourceSelector: '999',
        resourceType: 'USER',
        classification: 'DataFetchingException',
      }),
    );
  });

  it('deleteUsers: administrators only, at least one filter, never the caller', async () => {
    const doomed = await platform.newUser('doomed');
    const refused = await platform.as(
      alice.token,
      `mutation { deleteUsers(input: { usersWith: { ids: [${doomed.id}] } }) { deletedUserIds } }`,
    );
    expect(refused.body.data).toEqual({ deleteUsers: { deletedUserIds: [] } });
    expect(refused.body.errors?.[0]?.extensions?.errorCode).toBe('NoAccessRightsException');
    const empty = await platform.as(admin(), 'mutation { deleteUsers(input: { usersWith: {} }) { deletedUserIds } }');
    expect(empty.body.errors?.[0]?.extensions).toMatchObject({ errorCode: 'InvalidInput', reason: 'MISSING_VALUE', name: 'usersWith' });
    const self = await platform.as(
      admin(),
      `mutation { deleteUsers(input: { usersWith: { ids: [1, ${doomed.id}] } }) { deletedUserIds } }`,
    );
    expect(self.body.data).toEqual({ deleteUsers: { deletedUserIds: [doomed.id] } });
    expect(self.body.errors?.[0]?.extensions).toMatchObject({
      errorCode: 'ResourcePreconditionViolation',
      precondition: 'USER_MUST_NOT_BE_LOGGED',
      resourceSelector: '1',
    });
    const gone = await platform.ok(
      admin(),
      `{ users(input: { where: { logins: ["doomed"] } }) { totalCount } categories(input: { where: { fullNames: ["CATEGORIES/ClipBin/doomed ${doomed.id}"] } }) { totalCount } }`,
    );
    expect(gone).toEqual({ users: { totalCount: 0 }, categories: { totalCount: 0 } });
  });
});

describe('user groups', () => {
  it('create, update, list with names and userIds ANDed, and the users subquery', async () => {
    const created = await platform.ok(
      admin(),
      'mutation { createUserGroup(input: { name: "News", description: "Newsroom" }) { userGroup { id name description objectType } } }',
    );
    const news = created.createUserGroup.userGroup;
    expect(news).toMatchObject({ name: 'News', description: 'Newsroom', objectType: 'USER_GROUP' });
    const renamed = await platform.ok(
      admin(),
      `mutation { updateUserGroup(input: { userGroupId: ${news.id}, name: "Newsroom" }) { userGroup { id name description } } }`,
    );
    expect(renamed.updateUserGroup.userGroup).toEqual({ id: news.id, name: 'Newsroom', description: 'Newsroom' });
    await platform.ok(
      admin(),
      `mutation { addUsersToUserGroups(input: { users: { ids: [${alice.id}] }, userGroups: { ids: [${news.id}] } }) { addedAssociations { userGroup { id } } } }`,
    );
    const withAlice = await platform.ok(
      bob.token,
      `{ userGroups(input: { where: { names: ["Newsroom", "PUBLIC"], userIds: [${alice.id}] } }) { totalCount userGroups { name users(input: { where: { logins: ["alice", "bob"] } }) { totalCount users { login } } } } }`,
    );
    expect(withAlice.userGroups).toEqual({
      totalCount: 2,
      userGroups: [
        { name: 'PUBLIC', users: { totalCount: 2, users: [{ login: 'alice' }, { login: 'bob' }] } },
        { name: 'Newsroom', users: { totalCount: 1, users: [{ login: 'alice' }] } },
      ],
    });
    const duplicate = await platform.as(admin(), 'mutation { createUserGroup(input: { name: "Newsroom" }) { userGroup { id } } }');
    expect(duplicate.body.errors?.[0]?.extensions).toMatchObject({ errorCode: 'InvalidInput', reason: 'ALREADY_EXISTS', name: 'name' });
  });

  it('add and remove users: each association answered once, PUBLIC never left', async () => {
    const group = (await platform.ok(admin(), 'mutation { createUserGroup(input: { name: "Sports" }) { userGroup { id } } }'))
      .createUserGroup.userGroup;
    const add = `mutation { addUsersToUserGroups(input: { users: { logins: ["alice", "bob"] }, userGroups: { names: ["Sports"] } }) { addedAssociations { userGroup { name } users { login } } } }`;
    expect((await platform.ok(admin(), add)).addUsersToUserGroups).toEqual({
      addedAssociations: [{ userGroup: { name: 'Sports' }, users: [{ login: 'alice' }, { login: 'bob' }] }],
    });
    expect((await platform.ok(admin(), add)).addUsersToUserGroups).toEqual({ addedAssociations: [] });
    const remove = await platform.as(
      admin(),
      `mutation { removeUsersFromUserGroups(input: { users: { ids: [${bob.id}] }, userGroups: { names: ["Sports", "PUBLIC"] } }) { removedAssociations { userGroup { id name } users { id login } } } }`,
    );
    expect(remove.body.data).toEqual({
      removeUsersFromUserGroups: {
        removedAssociations: [{ userGroup: { id: group.id, name: 'Sports' }, users: [{ id: bob.id, login: 'bob' }] }],
      },
    });
    expect(remove.body.errors?.[0]?.extensions).toMatchObject({
      errorCode: 'ResourcePreconditionViolation',
      precondition: 'CANNOT_REMOVE_USER_FROM_PUBLIC_GROUP',
      resourceType: 'USER_GROUP',
    });
    const refused = await platform.as(alice.token, add);
    expect(refused.body.data).toEqual({ addUsersToUserGroups: { addedAssociations: [] } });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      errorCode: 'NoAccessRightsException',
      operationType: 'UPDATE',
      resourceType: 'USER_GROUP',
    });
  });

  it('deleteUserGroups: by names or ids (userIds alone is refused), system groups kept', async () => {
    await platform.ok(admin(), 'mutation { createUserGroup(input: { name: "Temp" }) { userGroup { id } } }');
    const onlyUsers = await platform.as(
      admin(),
      `mutation { deleteUserGroups(input: { userGroupsWith: { userIds: [${alice.id}] } }) { deletedUserGroupIds } }`,
    );
    expect(onlyUsers.body.errors?.[0]?.extensions).toMatchObject({ errorCode: 'InvalidInput', name: 'userGroupsWith' });
    const { body } = await platform.as(
      admin(),
      'mutation { deleteUserGroups(input: { userGroupsWith: { names: ["Temp", "ADMINISTRATORS"] } }) { deletedUserGroupIds } }',
    );
    expect(body.data.deleteUserGroups.deletedUserGroupIds).toHaveLength(1);
    expect(body.errors?.[0]?.extensions).toMatchObject({ errorCode: 'UnsupportedResource', resourceType: 'USER_GROUP' });
    const refused = await platform.as(
      bob.token,
      'mutation { deleteUserGroups(input: { userGroupsWith: { names: ["Sports"] } }) { deletedUserGroupIds } }',
    );
    expect(refused.body.errors?.[0]?.extensions?.errorCode).toBe('NoAccessRightsException');
  });

  it('administrators are the members of ADMINISTRATORS: rights through the group come and go with membership', async () => {
    const dave = await platform.newUser('dave');
    const create = () => platform.as(dave.token, 'mutation { createUserGroup(input: { name: "Daves" }) { userGroup { name } } }');
    expect((await create()).body.errors?.[0]?.extensions?.errorCode).toBe('NoAccessRightsException');
    await platform.ok(
      admin(),
      `mutation { addUsersToUserGroups(input: { users: { ids: [${dave.id}] }, userGroups: { names: ["ADMINISTRATORS"] } }) { addedAssociations { users { id } } } }`,
    );
    expect((await create()).body).toEqual({ data: { createUserGroup: { userGroup: { name: 'Daves' } } } });
    await platform.ok(
      admin(),
      `mutation { removeUsersFromUserGroups(input: { users: { ids: [${dave.id}] }, userGroups: { names: ["ADMINISTRATORS"] } }) { removedAssociations { users { id } } } }`,
    );
    const again = await platform.as(dave.token, 'mutation { createUserGroup(input: { name: "Daves 2" }) { userGroup { name } } }');
    expect(again.body.errors?.[0]?.extensions?.errorCode).toBe('NoAccessRightsException');
  });
});
