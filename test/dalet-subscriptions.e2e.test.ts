/**
 * The users, userGroups and categories subscriptions through the gateway over WebSocket: each receives the
 * notification of the mutation that causes it, with its contents, filtered by its notification types, its
 * ids and (categories) the subscriber's View right; DELETED reaches everyone. The doc's examples run as
 * printed, with ids the tests created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';
import { daletSubscriber, until, untilEvent, type DaletSubscriber } from './helpers/dalet-subscriptions.ts';

let platform: DaletPlatform;
let subscriber: DaletSubscriber;
let outsider: { id: string; token: string };
beforeAll(async () => {
  platform = await startDaletPlatform();
  subscriber = daletSubscriber(platform.gatewayUrl);
  outsider = await platform.newUser('sub_outsider');
}, 60_000);
afterAll(async () => {
  await subscriber?.close();
  await platform?.stop();
});

const updateUser = (id: string, remarks: string) =>
  platform.ok(platform.adminToken, `mutation { updateUser(input: { userWith: { id: "${id}" }, remarks: "${remarks}" }) { user { id } } }`);
const updateGroup = (id: string, description: string) =>
  platform.ok(
    platform.adminToken,
    `mutation { updateUserGroup(input: { userGroupId: "${id}", description: "${description}" }) { userGroup { id } } }`,
  );
const createGroup = async (name: string): Promise<string> =>
  (await platform.ok(platform.adminToken, `mutation { createUserGroup(input: { name: "${name}" }) { userGroup { id } } }`)).createUserGroup
    .userGroup.id;
const categoryId = async (fullName: string): Promise<string> =>
  (await platform.ok(platform.adminToken, `{ categories(input: { where: { fullNames: ["${fullName}"] } }) { categories { id } } }`))
    .categories.categories[0].id;
const createCategory = async (token: string, name: string, parentId: string): Promise<string> =>
  (await platform.ok(token, `mutation { createCategory(input: { name: "${name}", parentCategoryId: "${parentId}" }) { category { id } } }`))
    .createCategory.category.id;

describe('users', () => {
  it("the doc's example: every notification about one user, and no other user's", async () => {
    const watched = await platform.newUser('sub_watched');
    const other = await platform.newUser('sub_other');
    const received = subscriber.subscribe(
      platform.adminToken,
      `subscription {
  users(
    input: {
      notificationTypes: [ALL] , userIds: [${watched.id}]
    } ) {
    notifications {
      contents {
        receivedAt
        rawNotification
      }
      user{
        id
     } } } }`,
    );
    const about = () => received.notifications('users');
    await untilEvent(
      () => about().length > 0,
      () => updateUser(watched.id, 'warm-up'),
      'the users subscription',
    );
    await updateUser(other.id, 'not watched');
    const before = about().length;
    await updateUser(watched.id, 'watched');
    await until(() => about().length > before, 'the MODIFIED notification');
    expect(about().every((notification) => notification.user.id === watched.id)).toBe(true);
    const [content] = about().at(-1).contents;
    expect(Date.parse(content.receivedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.parse(content.rawNotification)).toMatchObject({ topic: 'users', type: 'MODIFIED', id: Number(watched.id) });
    expect(received.errors).toEqual([]);
  });

  it('ADDED_TO_GROUP names the group, DELETED still reaches subscribers, with who did it', async () => {
    const member = await platform.newUser('sub_member');
    const groupId = await createGroup('Subscribed editors');
    const received = subscriber.subscribe(
      outsider.token,
      `subscription ($ids: [ID]) { users(input: { notificationTypes: [ADDED_TO_GROUP, DELETED], userIds: $ids }) {
        notifications { contents { type initiatedByUser { login } initiatedByApplication userGroup { id name } } user { id login } } } }`,
      { ids: [member.id] },
    );
    const about = () => received.notifications('users');
    const add = () =>
      platform.ok(
        platform.adminToken,
        `mutation { addUsersToUserGroups(input: { users: { ids: [${member.id}] }, userGroups: { ids: [${groupId}] } }) { addedAssociations { users { id } } } }`,
      );
    await untilEvent(
      () => about().length > 0,
      async () => {
        // Added once only: take them out again until the subscription is live.
        await platform.ok(
          platform.adminToken,
          `mutation { removeUsersFromUserGroups(input: { users: { ids: [${member.id}] }, userGroups: { ids: [${groupId}] } }) { removedAssociations { users { id } } } }`,
        );
        await add();
      },
      'ADDED_TO_GROUP',
    );
    expect(about()[0]).toEqual({
      contents: [
        {
          type: 'ADDED_TO_GROUP',
          initiatedByUser: { login: 'test_admin' },
          initiatedByApplication: 'WebService3',
          userGroup: { id: groupId, name: 'Subscribed editors' },
        },
      ],
      user: { id: member.id, login: 'sub_member' },
    });
    await platform.ok(platform.adminToken, `mutation { deleteUsers(input: { usersWith: { ids: [${member.id}] } }) { deletedUserIds } }`);
    await until(() => about().some((notification) => notification.contents[0].type === 'DELETED'), 'DELETED');
    // REMOVED_FROM_GROUP was not asked for; the deleted user is gone but for its id.
    expect(about().map((notification) => notification.contents[0].type)).not.toContain('REMOVED_FROM_GROUP');
    expect(about().at(-1)).toMatchObject({ contents: [{ type: 'DELETED', userGroup: null }], user: { id: member.id, login: null } });
  });
});

describe('userGroups', () => {
  it("the doc's example: MODIFIED on two groups, with their users; nothing else", async () => {
    const first = await createGroup('Watched one');
    const second = await createGroup('Watched two');
    const third = await createGroup('Not watched');
    const member = await platform.newUser('sub_group_member');
    await platform.ok(
      platform.adminToken,
      `mutation { addUsersToUserGroups(input: { users: { ids: [${member.id}] }, userGroups: { ids: [${first}] } }) { addedAssociations { users { id } } } }`,
    );
    const received = subscriber.subscribe(
      outsider.token,
      `subscription {
  userGroups(
    input: { notificationTypes: [MODIFIED], userGroupIds: [${first},${second}] } ) {
    notifications {
      contents {
        receivedAt
        rawNotification
      }
      userGroup {
        name
        users {
          users {
            login
 } } } } } }`,
    );
    const about = () => received.notifications('userGroups');
    await untilEvent(
      () => about().length > 0,
      () => updateGroup(first, 'warm-up'),
      'the userGroups subscription',
    );
    await updateGroup(third, 'not watched');
    await platform.ok(
      platform.adminToken,
      `mutation { addUsersToUserGroups(input: { users: { ids: [${member.id}] }, userGroups: { ids: [${second}] } }) { addedAssociations { users { id } } } }`,
    );
    const before = about().length;
    await updateGroup(second, 'watched');
    await until(() => about().length > before, 'MODIFIED on the second group');
    const names = about().map((notification) => notification.userGroup.name);
    expect(new Set(names)).toEqual(new Set(['Watched one', 'Watched two']));
    expect(about().at(-1).userGroup).toEqual({ name: 'Watched two', users: { users: [{ login: 'sub_group_member' }] } });
    expect(about().every((notification) => JSON.parse(notification.contents[0].rawNotification).type === 'MODIFIED')).toBe(true);
  });

  it('ADDED_TO_GROUP lists the users added; `user` is the group too, as the output table names it', async () => {
    const groupId = await createGroup('Membership watched');
    const joiner = await platform.newUser('sub_joiner');
    const received = subscriber.subscribe(
      platform.adminToken,
      `subscription { userGroups(input: { notificationTypes: [ADDED_TO_GROUP], userGroupIds: [${groupId}] }) {
        notifications { contents { type users { login } } userGroup { id } user { id name } } } }`,
    );
    const about = () => received.notifications('userGroups');
    await untilEvent(
      () => about().length > 0,
      async () => {
        await platform.ok(
          platform.adminToken,
          `mutation { removeUsersFromUserGroups(input: { users: { ids: [${joiner.id}] }, userGroups: { ids: [${groupId}] } }) { removedAssociations { users { id } } } }`,
        );
        await platform.ok(
          platform.adminToken,
          `mutation { addUsersToUserGroups(input: { users: { ids: [${joiner.id}] }, userGroups: { ids: [${groupId}] } }) { addedAssociations { users { id } } } }`,
        );
      },
      'ADDED_TO_GROUP',
    );
    expect(about()[0]).toEqual({
      contents: [{ type: 'ADDED_TO_GROUP', users: [{ login: 'sub_joiner' }] }],
      userGroup: { id: groupId },
      user: { id: groupId, name: 'Membership watched' },
    });
  });
});

describe('categories', () => {
  it("the doc's example, seen only with View on the category; DELETED reaches everyone", async () => {
    const toReview = await categoryId('CATEGORIES/To review');
    const adminPrivate = (
      await platform.ok(platform.adminToken, '{ users(input: { where: { logins: ["test_admin"] } }) { users { privateCategory { id } } } }')
    ).users.users[0].privateCategory.id;
    const doc = `subscription {
  categories( input: {
        notificationTypes: [ALL] 
    } ) {
    notifications {
      category {
        id
      }
    }
  }
}`;
    const seenByOutsider = subscriber.subscribe(outsider.token, doc);
    const seenByAdmin = subscriber.subscribe(platform.adminToken, doc);
    const ids = (received: typeof seenByAdmin) => received.notifications('categories').map((notification) => notification.category.id);
    let warmUps = 0;
    await untilEvent(
      () => ids(seenByOutsider).length > 0 && ids(seenByAdmin).length > 0,
      () => createCategory(platform.adminToken, `Warm-up ${++warmUps}`, toReview),
      'the categories subscriptions',
    );
    const hidden = await createCategory(platform.adminToken, 'Hidden', adminPrivate);
    const shared = await createCategory(platform.adminToken, 'Shared', toReview);
    await until(() => ids(seenByOutsider).includes(shared) && ids(seenByAdmin).includes(shared), 'the shared category');
    expect(ids(seenByAdmin)).toContain(hidden);
    expect(ids(seenByOutsider)).not.toContain(hidden);

    await platform.ok(
      platform.adminToken,
      `mutation { deleteCategories(input: { categoriesWith: { ids: [${hidden}] } }) { deletedCategoryIds } }`,
    );
    await until(() => ids(seenByOutsider).filter((id) => id === hidden).length === 1, 'DELETED for everyone');
  });

  it('notificationTypes keep only the types asked for, with the content the doc lists', async () => {
    const toReview = await categoryId('CATEGORIES/To review');
    const received = subscriber.subscribe(
      outsider.token,
      `subscription { categories(input: { notificationTypes: [MODIFIED] }) {
        notifications { contents { type receivedAt initiatedByUser { login } initiatedByApplication } category { id name } } } }`,
    );
    const about = () => received.notifications('categories');
    const renamed = await createCategory(platform.adminToken, 'To rename', toReview);
    let renames = 0;
    await untilEvent(
      () => about().length > 0,
      () =>
        platform.ok(
          platform.adminToken,
          `mutation { updateCategory(input: { categoryId: "${renamed}", name: "Renamed ${++renames}" }) { category { id } } }`,
        ),
      'MODIFIED',
    );
    await createCategory(platform.adminToken, 'Not a modification', toReview);
    await platform.ok(
      platform.adminToken,
      `mutation { updateCategory(input: { categoryId: "${renamed}", name: "Renamed last" }) { category { id } } }`,
    );
    await until(() => about().some((notification) => notification.category.name === 'Renamed last'), 'the last rename');
    expect(about().every((notification) => notification.contents[0].type === 'MODIFIED' && notification.category.id === renamed)).toBe(
      true,
    );
    expect(about().at(-1).contents[0]).toMatchObject({ initiatedByUser: { login: 'test_admin' }, initiatedByApplication: 'WebService3' });
  });
});

describe('authentication', () => {
  it('a bad token is refused when connecting', async () => {
    const received = subscriber.subscribe(
      'not-a-token',
      'subscription { users(input: { notificationTypes: [ALL] }) { notifications { user { id } } } }',
    );
    await until(() => received.errors.length > 0 || received.completed, 'the refusal');
    expect(received.events).toEqual([]);
  });
});
