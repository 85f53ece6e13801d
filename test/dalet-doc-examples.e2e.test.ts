/**
 * The doc's examples of Users, UserGroups and Categories run as printed, each id of the doc replaced by
 * the id of what the test created (the doc's ids are those of its own site). Login is dalet-login's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';

let platform: DaletPlatform;
beforeAll(async () => (platform = await startDaletPlatform()), 60_000);
afterAll(async () => platform?.stop());

/** The example with each doc id (a whole number, quoted or not) replaced by ours. */
function withIds(example: string, ids: Record<string, string>): string {
  return example.replace(/\b\d+\b/g, (id) => ids[id] ?? id);
}

const run = (example: string, ids: Record<string, string> = {}) => platform.ok(platform.adminToken, withIds(example, ids));
const group = async (name: string) =>
  (await run(`mutation { createUserGroup(input: { name: "${name}" }) { userGroup { id } } }`)).createUserGroup.userGroup.id as string;
const join = (userId: string, groupId: string) =>
  run(
    `mutation { addUsersToUserGroups(input: { users: { ids: [${userId}] }, userGroups: { ids: [${groupId}] } }) { addedAssociations { users { id } } } }`,
  );

describe('Users', () => {
  it('createUser, then updateUser by login, as printed', async () => {
    const created = await run(`mutation {
  createUser(
    input: {
      login: "myUser"
      firstName: "Test"
      lastName: "User"
      password: "myPassword"
    }
  ) {
    user {
      id
      login
    }
  }
}`);
    expect(created.createUser.user).toEqual({ id: expect.any(String), login: 'myUser' });
    const updated = await run(`mutation {
  updateUser(
    input: { userWith: { login: "myUser" }, password: "newPassword" }
  ) {
    user {
      id
      login
    }
  }
}`);
    expect(updated.updateUser.user).toEqual(created.createUser.user);
    expect(await platform.login('myUser', 'newPassword')).toEqual(expect.any(String));
  });

  it('users in group 9, the users subquery of group 9, then deleteUsers of group 9', async () => {
    const nine = await group('Group nine');
    const member = await platform.newUser('nine_member');
    await join(member.id, nine);
    const users = await run(
      `query {
  users(input: { where: { userGroupIds: [9] } }) {
    users {
      id
      login
    }
  }
}`,
      { 9: nine },
    );
    expect(users.users.users).toEqual([{ id: member.id, login: 'nine_member' }]);
    const nested = await run(
      `query {
  userGroups(input: { where: { ids: [9] } }) {
    userGroups {
      users {
        users {
          id
          login
        }
      }
    }
  }
}`,
      { 9: nine },
    );
    expect(nested.userGroups.userGroups).toEqual([{ users: { users: [{ id: member.id, login: 'nine_member' }] } }]);
    const deleted = await run(
      `mutation {
  deleteUsers(input: { usersWith: { userGroupIds: [9] } }) {
    deletedUserIds
  }
}`,
      { 9: nine },
    );
    expect(deleted.deleteUsers.deletedUserIds).toEqual([member.id]);
  });
});

describe('UserGroups', () => {
  it('createUserGroup, updateUserGroup 164 and userGroups PLANNING and ADMINISTRATORS, as printed', async () => {
    const created = await run(`mutation {
    createUserGroup( input: {
        name: "myNewGroup" , 
        description: "description for the new group"
    } ) {
    userGroup {
      id
      name
      description
    }
  }
}`);
    const id = created.createUserGroup.userGroup.id;
    expect(created.createUserGroup.userGroup).toEqual({ id, name: 'myNewGroup', description: 'description for the new group' });
    const updated = await run(
      `mutation {
  updateUserGroup(input: { userGroupId: 164, name: "my_NewGroup" }) {
    userGroup {
      id
      name
      description
    }
  }
}`,
      { 164: id },
    );
    expect(updated.updateUserGroup.userGroup).toEqual({ id, name: 'my_NewGroup', description: 'description for the new group' });
    const planning = await group('PLANNING');
    const listed = await run(`query {
  userGroups(input: { where: { names: ["PLANNING", "ADMINISTRATORS"] } }) {
    totalCount
    userGroups {
      id
      name
    }
  }
}`);
    expect(listed.userGroups).toEqual({
      totalCount: 2,
      userGroups: [
        { id: '1', name: 'ADMINISTRATORS' },
        { id: planning, name: 'PLANNING' },
      ],
    });
  });

  it('addUsersToUserGroups TestUser to ADMINISTRATORS, and the userGroups subquery of Test_User', async () => {
    const testUser = await platform.newUser('TestUser');
    const added = await run(`mutation {
  addUsersToUserGroups(
    input: {
      users: { logins: ["TestUser"] }
      userGroups: { names: ["ADMINISTRATORS"] }
    } ) {
    addedAssociations {
      users {
        id
      }
      userGroup {
        name
      }
    }
  }
}`);
    expect(added.addUsersToUserGroups.addedAssociations).toEqual([{ users: [{ id: testUser.id }], userGroup: { name: 'ADMINISTRATORS' } }]);
    await platform.newUser('Test_User');
    const groups = await run(`query {
  users(input: { where: { logins: ["Test_User"] } }) {
    users {
      userGroups {
        userGroups {
          id
          name
        }
      }
    }
  }
}`);
    expect(groups.users.users).toEqual([{ userGroups: { userGroups: [{ id: '2', name: 'PUBLIC' }] } }]);
  });

  it('removeUsersFromUserGroups user 15 from Admins, and deleteUserGroups News with users 403 or 409', async () => {
    const admins = await group('Admins');
    const fifteen = await platform.newUser('user_fifteen');
    await join(fifteen.id, admins);
    const removed = await run(
      `mutation {
  removeUsersFromUserGroups(
    input: { users: { ids: [15] }, userGroups: { names: ["Admins"] } }
  ) {
    removedAssociations {
      users {
        id
        login
      }
      userGroup {
        id
        name
      }
    }
  }
}`,
      { 15: fifteen.id },
    );
    expect(removed.removeUsersFromUserGroups.removedAssociations).toEqual([
      { users: [{ id: fifteen.id, login: 'user_fifteen' }], userGroup: { id: admins, name: 'Admins' } },
    ]);
    const news = await group('News');
    const reporter = await platform.newUser('reporter');
    await join(reporter.id, news);
    const deleted = await run(
      `mutation {
    deleteUserGroups( input: {
        userGroupsWith: { 
            names: ["News"], 
            userIds: [403, 409] } } ) {
        deletedUserGroupIds
    }
}`,
      { 403: reporter.id, 409: fifteen.id },
    );
    expect(deleted.deleteUserGroups.deletedUserGroupIds).toEqual([news]);
  });
});
