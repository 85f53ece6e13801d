/**
 * createUserGroup, updateUserGroup, deleteUserGroups, addUsersToUserGroups, removeUsersFromUserGroups:
 * administrators only. The bootstrap groups may not be deleted, and nobody leaves PUBLIC.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Kysely } from 'kysely';
import {
  daletCaller,
  PUBLIC_GROUP,
  requireAdministrator,
  type DaletCaller,
  type DaletContext,
  type DaletServices,
} from '../../common/context.ts';
import { byId, invalidInput, preconditionViolation, resourceDoesNotExist, unsupportedResource } from '../../common/errors.ts';
import { given, toId, toIds } from '../../common/ids.ts';
import { answerPartially } from '../../common/partial-errors.ts';
import { optionalText, requireText } from '../../common/validation.ts';
import type { DaletDatabase, DaletUserRow, UserGroupRow } from '../../store/tables.ts';
import { filterUsers, type UserFilter } from '../users/queries.ts';
import { filterUserGroups, type UserGroupFilter } from './queries.ts';

const MAX_NAME_LENGTH = 64;
const MAX_DESCRIPTION_LENGTH = 4000;

async function assertFreeName(db: Kysely<DaletDatabase>, name: string, exceptId?: number): Promise<void> {
  const taken = await db.selectFrom('user_groups').select('id').where('name', '=', name).executeTakeFirst();
  if (taken && taken.id !== exceptId) throw invalidInput('name', name, 'ALREADY_EXISTS', 'A user group with this name exists already');
}

async function createUserGroup(db: Kysely<DaletDatabase>, caller: DaletCaller, input: { name: string; description?: string | null }) {
  requireAdministrator(caller, 'CREATE', 'USER_GROUP');
  const name = requireText('name', input.name, MAX_NAME_LENGTH);
  const description = optionalText('description', input.description, MAX_DESCRIPTION_LENGTH) ?? null;
  await assertFreeName(db, name);
  return db.insertInto('user_groups').values({ name, description, priority: 0, system: 0 }).returningAll().executeTakeFirstOrThrow();
}

async function updateUserGroup(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  input: { userGroupId: unknown; name?: string | null; description?: string | null },
) {
  requireAdministrator(caller, 'UPDATE', 'USER_GROUP');
  const groupId = toId(input.userGroupId);
  const group =
    groupId === undefined ? undefined : await db.selectFrom('user_groups').selectAll().where('id', '=', groupId).executeTakeFirst();
  if (!group) throw resourceDoesNotExist(byId(String(input.userGroupId)), 'USER_GROUP');
  const name = input.name == null ? undefined : requireText('name', input.name, MAX_NAME_LENGTH);
  // The bootstrap groups are found by name (rights, PUBLIC membership): they keep theirs.
  if (name !== undefined && name !== group.name && group.system === 1) throw unsupportedResource(byId(group.id), 'USER_GROUP');
  if (name !== undefined) await assertFreeName(db, name, group.id);
  const description = optionalText('description', input.description, MAX_DESCRIPTION_LENGTH);
  await db
    .updateTable('user_groups')
    .set({ ...(name !== undefined && { name }), ...(description != null && { description }) })
    .where('id', '=', group.id)
    .execute();
  return db.selectFrom('user_groups').selectAll().where('id', '=', group.id).executeTakeFirstOrThrow();
}

async function deleteUserGroups(context: DaletContext, info: GraphQLResolveInfo, services: DaletServices, where: UserGroupFilter) {
  const { db } = context;
  requireAdministrator(await daletCaller(context), 'DELETE', 'USER_GROUP');
  if (!toIds(where.ids, 'ids') && !given(where.names, 'names')) {
    throw invalidInput(
      'userGroupsWith',
      '',
      'MISSING_VALUE',
      'At least one of names or ids must be supplied, deleting groups only by userIds is not allowed',
    );
  }
  const groups = await filterUserGroups(db, where).selectAll().orderBy('id').execute();
  const deletedUserGroupIds: string[] = [];
  for (const group of groups) {
    await answerPartially(services.partialErrors, context, info, undefined, async () => {
      if (group.system === 1) throw unsupportedResource(byId(group.id), 'USER_GROUP');
      await db.deleteFrom('user_groups').where('id', '=', group.id).execute();
      deletedUserGroupIds.push(String(group.id));
    });
  }
  await services.notifications.notify(
    context,
    'userGroups',
    deletedUserGroupIds.map((id) => ({ type: 'DELETED', id: Number(id) })),
  );
  return { deletedUserGroupIds };
}

interface MembershipInput {
  users: UserFilter;
  userGroups: UserGroupFilter;
}

async function matchMembership(db: Kysely<DaletDatabase>, { users, userGroups }: MembershipInput) {
  if (!toIds(users.ids, 'ids') && !given(users.logins, 'logins') && !toIds(users.userGroupIds, 'userGroupIds')) {
    throw invalidInput('users', '', 'MISSING_VALUE', 'At least one of ids, logins or userGroupIds must be provided');
  }
  if (!toIds(userGroups.ids, 'ids') && !given(userGroups.names, 'names') && !toIds(userGroups.userIds, 'userIds')) {
    throw invalidInput('userGroups', '', 'MISSING_VALUE', 'At least one of ids, names or userIds must be provided');
  }
  return {
    users: await filterUsers(db, users).selectAll().orderBy('id').execute(),
    groups: await filterUserGroups(db, userGroups).selectAll().orderBy('id').execute(),
  };
}

async function membersOf(db: Kysely<DaletDatabase>, groupId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('user_group_members').select('user_id').where('user_group_id', '=', groupId).execute();
  return new Set(rows.map((row) => row.user_id));
}

async function addUsers(context: DaletContext, input: MembershipInput) {
  const { db } = context;
  requireAdministrator(await daletCaller(context), 'UPDATE', 'USER_GROUP');
  const { users, groups } = await matchMembership(db, input);
  const addedAssociations: Association[] = [];
  for (const group of groups) {
    const members = await membersOf(db, group.id);
    const added = users.filter((user) => !members.has(user.id));
    if (!added.length) continue;
    await db
      .insertInto('user_group_members')
      .values(added.map((user) => ({ user_group_id: group.id, user_id: user.id })))
      .execute();
    addedAssociations.push({ userGroup: group, users: added });
  }
  return { addedAssociations };
}

async function removeUsers(context: DaletContext, info: GraphQLResolveInfo, services: DaletServices, input: MembershipInput) {
  const { db } = context;
  requireAdministrator(await daletCaller(context), 'UPDATE', 'USER_GROUP');
  const { users, groups } = await matchMembership(db, input);
  const removedAssociations: Association[] = [];
  for (const group of groups) {
    const members = await membersOf(db, group.id);
    const removed = users.filter((user) => members.has(user.id));
    if (!removed.length) continue;
    await answerPartially(services.partialErrors, context, info, undefined, async () => {
      if (group.name === PUBLIC_GROUP) throw preconditionViolation(byId(group.id), 'USER_GROUP', 'CANNOT_REMOVE_USER_FROM_PUBLIC_GROUP');
      await db
        .deleteFrom('user_group_members')
        .where('user_group_id', '=', group.id)
        .where(
          'user_id',
          'in',
          removed.map((user) => user.id),
        )
        .execute();
      removedAssociations.push({ userGroup: group, users: removed });
    });
  }
  return { removedAssociations };
}

type Args<T> = { input: T };
type Association = { userGroup: UserGroupRow; users: DaletUserRow[] };

/** A membership change is a notice for each user (naming the group) and each group (naming the users). */
async function notifyMembership(
  services: DaletServices,
  context: DaletContext,
  type: 'ADDED_TO_GROUP' | 'REMOVED_FROM_GROUP',
  associations: Association[],
) {
  const { notifications } = services;
  await notifications.notify(
    context,
    'users',
    associations.flatMap(({ userGroup, users }) => users.map((user) => ({ type, id: user.id, details: { userGroupId: userGroup.id } }))),
  );
  await notifications.notify(
    context,
    'userGroups',
    associations.map(({ userGroup, users }) => ({ type, id: userGroup.id, details: { userIds: users.map((user) => user.id) } })),
  );
}
type Resolve = (_root: unknown, args: Args<any>, context: DaletContext, info: GraphQLResolveInfo) => Promise<unknown>;

export function userGroupMutationResolvers(services: DaletServices): { Mutation: Record<string, Resolve> } {
  const single =
    (type: 'CREATED' | 'MODIFIED', run: (db: Kysely<DaletDatabase>, caller: DaletCaller, input: any) => Promise<UserGroupRow>): Resolve =>
    async (_root, { input }, context, info) => {
      const caller = await daletCaller(context);
      return answerPartially<{ userGroup: UserGroupRow | null }>(services.partialErrors, context, info, { userGroup: null }, async () => {
        const userGroup = await context.db.transaction().execute((trx) => run(trx, caller, input));
        await services.notifications.notify(context, 'userGroups', [{ type, id: userGroup.id }]);
        return { userGroup };
      });
    };
  const partial =
    <T>(fallback: T, run: (context: DaletContext, info: GraphQLResolveInfo, input: any) => Promise<T>): Resolve =>
    (_root, { input }, context, info) =>
      answerPartially(services.partialErrors, context, info, fallback, () => run(context, info, input));
  return {
    Mutation: {
      createUserGroup: single('CREATED', createUserGroup),
      updateUserGroup: single('MODIFIED', updateUserGroup),
      deleteUserGroups: partial({ deletedUserGroupIds: [] }, (context, info, input) =>
        deleteUserGroups(context, info, services, input.userGroupsWith),
      ),
      addUsersToUserGroups: partial({ addedAssociations: [] as Association[] }, async (context, _info, input) => {
        const added = await addUsers(context, input);
        await notifyMembership(services, context, 'ADDED_TO_GROUP', added.addedAssociations);
        return added;
      }),
      removeUsersFromUserGroups: partial({ removedAssociations: [] as Association[] }, async (context, info, input) => {
        const removed = await removeUsers(context, info, services, input);
        await notifyMembership(services, context, 'REMOVED_FROM_GROUP', removed.removedAssociations);
        return removed;
      }),
    },
  };
}
