/**
 * createUser, updateUser, deleteUsers. Administrators manage users; a user may update themself (their
 * password, say). A new user joins PUBLIC and gets the four personal categories the doc describes.
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
import { invalidInput, preconditionViolation, resourceDoesNotExist, byId, type ResourceSelector } from '../../common/errors.ts';
import { toId, toIds, given } from '../../common/ids.ts';
import { answerPartially } from '../../common/partial-errors.ts';
import { optionalText, requireText } from '../../common/validation.ts';
import { MIN_PASSWORD_LENGTH } from '../../settings.ts';
import type { DaletDatabase, DaletUserRow } from '../../store/tables.ts';
import { hashPassword } from '../authentication/passwords.ts';
import { deleteSubtree } from '../categories/category-store.ts';
import { categoryNotice } from '../categories/mutations.ts';
import { createPersonalCategories, PERSONAL_FOLDERS } from './personal-categories.ts';
import { filterUsers, type UserFilter } from './queries.ts';

const MAX_LOGIN_LENGTH = 64;
const MAX_NAME_LENGTH = 128;
const MAX_PASSWORD_LENGTH = 1024;
const MAX_REMARKS_LENGTH = 4000;

interface UserFields {
  firstName?: string | null;
  lastName?: string | null;
  password?: string | null;
  remarks?: string | null;
}

function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw invalidInput('password', '', 'TOO_SHORT', `Password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  if (password.length > MAX_PASSWORD_LENGTH)
    throw invalidInput('password', '', 'TOO_LONG', `Password must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  return password;
}

async function createUser(db: Kysely<DaletDatabase>, caller: DaletCaller, input: UserFields & { login: string }): Promise<DaletUserRow> {
  requireAdministrator(caller, 'CREATE', 'USER');
  const login = requireText('login', input.login, MAX_LOGIN_LENGTH);
  if (/[\s/]/.test(login)) throw invalidInput('login', login, 'FORBIDDEN_CHARACTERS', 'Must not contain spaces or "/"');
  const firstName = requireText('firstName', input.firstName, MAX_NAME_LENGTH);
  const lastName = requireText('lastName', input.lastName, MAX_NAME_LENGTH);
  const password = checkPassword(input.password ?? '');
  const remarks = optionalText('remarks', input.remarks, MAX_REMARKS_LENGTH) ?? null;
  if (await db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirst()) {
    throw invalidInput('login', login, 'ALREADY_EXISTS', 'Login must be unique');
  }
  const user = await db
    .insertInto('users')
    .values({
      login,
      first_name: firstName,
      last_name: lastName,
      remarks,
      password_hash: await hashPassword(password),
      created_at: new Date().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const everyone = await db.selectFrom('user_groups').select('id').where('name', '=', PUBLIC_GROUP).executeTakeFirstOrThrow();
  await db.insertInto('user_group_members').values({ user_group_id: everyone.id, user_id: user.id }).execute();
  return { ...user, ...(await createPersonalCategories(db, user)) };
}

async function updateUser(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  input: UserFields & { userWith: { id?: unknown; login?: string | null } },
): Promise<DaletUserRow> {
  const { id, login } = input.userWith;
  if ((id === null || id === undefined) && !login)
    throw invalidInput('userWith', '', 'MISSING_VALUE', 'One of id or login must be supplied');
  const selector: ResourceSelector = id !== null && id !== undefined ? byId(String(id)) : { type: 'LOGIN', value: login! };
  const userId = toId(id);
  let query = db.selectFrom('users').selectAll();
  if (selector.type === 'ID') query = query.where('id', '=', userId ?? -1);
  if (login) query = query.where('login', '=', login);
  const user = await query.executeTakeFirst();
  if (!user) throw resourceDoesNotExist(selector, 'USER');
  if (user.id !== caller.userId) requireAdministrator(caller, 'UPDATE', 'USER');
  const changes = {
    ...(input.firstName != null && { first_name: requireText('firstName', input.firstName, MAX_NAME_LENGTH) }),
    ...(input.lastName != null && { last_name: requireText('lastName', input.lastName, MAX_NAME_LENGTH) }),
    ...(input.remarks != null && { remarks: optionalText('remarks', input.remarks, MAX_REMARKS_LENGTH) }),
    ...(input.password != null && { password_hash: await hashPassword(checkPassword(input.password)) }),
  };
  if (Object.keys(changes).length) await db.updateTable('users').set(changes).where('id', '=', user.id).execute();
  return db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
}

/** Deletes the users (and their personal categories); one logged in as the caller is refused, as the doc's precondition says. */
async function deleteUsers(context: DaletContext, info: GraphQLResolveInfo, services: DaletServices, where: UserFilter) {
  const { db } = context;
  const caller = await daletCaller(context);
  requireAdministrator(caller, 'DELETE', 'USER');
  if (!toIds(where.ids, 'ids') && !given(where.logins, 'logins') && !toIds(where.userGroupIds, 'userGroupIds')) {
    throw invalidInput('usersWith', '', 'MISSING_VALUE', 'At least one of ids, logins or userGroupIds must be supplied');
  }
  const users = await filterUsers(db, where).selectAll().orderBy('id').execute();
  const deletedUserIds: string[] = [];
  const deletedCategoryIds: number[] = [];
  for (const user of users) {
    await answerPartially(services.partialErrors, context, info, undefined, async () => {
      if (user.id === caller.userId) throw preconditionViolation(byId(user.id), 'USER', 'USER_MUST_NOT_BE_LOGGED');
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('users').where('id', '=', user.id).execute();
        for (const { column } of PERSONAL_FOLDERS) if (user[column] !== null) await deleteSubtree(trx, user[column]);
      });
      deletedUserIds.push(String(user.id));
      deletedCategoryIds.push(...personalCategoryIds(user));
    });
  }
  await services.notifications.notify(
    context,
    'users',
    deletedUserIds.map((id) => ({ type: 'DELETED', id: Number(id) })),
  );
  await services.notifications.notify(
    context,
    'categories',
    deletedCategoryIds.map((id) => categoryNotice('DELETED', id)),
  );
  return { deletedUserIds };
}

type Args<T> = { input: T };

function personalCategoryIds(user: DaletUserRow): number[] {
  return PERSONAL_FOLDERS.map(({ column }) => user[column]).filter((id): id is number => id !== null);
}

export function userMutationResolvers(services: DaletServices) {
  const single =
    (type: 'CREATED' | 'MODIFIED', run: (db: Kysely<DaletDatabase>, caller: DaletCaller, input: any) => Promise<DaletUserRow>) =>
    async (_root: unknown, { input }: Args<unknown>, context: DaletContext, info: GraphQLResolveInfo) => {
      const caller = await daletCaller(context);
      return answerPartially<{ user: DaletUserRow | null }>(services.partialErrors, context, info, { user: null }, async () => {
        const user = await context.db.transaction().execute((trx) => run(trx, caller, input));
        await services.notifications.notify(context, 'users', [{ type, id: user.id }]);
        if (type === 'CREATED')
          await services.notifications.notify(
            context,
            'categories',
            personalCategoryIds(user).map((id) => categoryNotice('CREATED', id)),
          );
        return { user };
      });
    };
  return {
    Mutation: {
      createUser: single('CREATED', createUser),
      updateUser: single('MODIFIED', updateUser),
      async deleteUsers(_root: unknown, { input }: Args<{ usersWith: UserFilter }>, context: DaletContext, info: GraphQLResolveInfo) {
        return answerPartially(services.partialErrors, context, info, { deletedUserIds: [] as string[] }, () =>
          deleteUsers(context, info, services, input.usersWith),
        );
      },
    },
  };
}
