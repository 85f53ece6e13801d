/** `users` and the DaletUser type with its `userGroups` subquery. Any Dalet user may read users and groups. */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { daletCaller, type DaletContext } from '../../common/context.ts';
import { given, toIds } from '../../common/ids.ts';
import { pageOf, type PaginationInput } from '../../common/pagination.ts';
import type { DaletDatabase, DaletUserRow, UserGroupRow } from '../../store/tables.ts';
import { visibleCategory } from '../categories/queries.ts';

export interface UserFilter {
  ids?: unknown[] | null;
  logins?: string[] | null;
  userGroupIds?: unknown[] | null;
}

export function filterUsers(
  db: Kysely<DaletDatabase>,
  where: UserFilter | null | undefined,
): SelectQueryBuilder<DaletDatabase, 'users', {}> {
  let query = db.selectFrom('users');
  const ids = toIds(where?.ids, 'ids');
  const groupIds = toIds(where?.userGroupIds, 'userGroupIds');
  const logins = given(where?.logins, 'logins');
  if (ids) query = query.where('users.id', 'in', ids.length ? ids : [-1]);
  if (logins) query = query.where('users.login', 'in', logins);
  if (groupIds) {
    query = query.where(
      'users.id',
      'in',
      db
        .selectFrom('user_group_members')
        .select('user_id')
        .where('user_group_id', 'in', groupIds.length ? groupIds : [-1]),
    );
  }
  return query;
}

export async function usersPage(
  db: Kysely<DaletDatabase>,
  where: UserFilter | null | undefined,
  select: PaginationInput | null | undefined,
) {
  const page = await pageOf<DaletUserRow>(filterUsers(db, where), select, 'users.id');
  return { totalCount: page.totalCount, pageInfo: page.pageInfo, users: page.items };
}

interface ListArgs<Filter> {
  input?: { where?: Filter | null; select?: PaginationInput | null } | null;
}

export const userQueryResolvers = {
  Query: {
    async users(_root: unknown, { input }: ListArgs<UserFilter>, context: DaletContext) {
      await daletCaller(context);
      return usersPage(context.db, input?.where, input?.select);
    },
  },
  DaletUser: {
    id: (user: DaletUserRow) => String(user.id),
    objectType: () => 'USER',
    firstName: (user: DaletUserRow) => user.first_name,
    lastName: (user: DaletUserRow) => user.last_name,
    clipBinCategory: (user: DaletUserRow, _args: unknown, context: DaletContext) => visibleCategory(context, user.clip_bin_category_id),
    assignmentsCategory: (user: DaletUserRow, _args: unknown, context: DaletContext) =>
      visibleCategory(context, user.assignments_category_id),
    privateCategory: (user: DaletUserRow, _args: unknown, context: DaletContext) => visibleCategory(context, user.private_category_id),
    quickSaveCategory: (user: DaletUserRow, _args: unknown, context: DaletContext) => visibleCategory(context, user.quick_save_category_id),
    async userGroups(user: DaletUserRow, { input }: ListArgs<{ ids?: unknown[] | null; names?: string[] | null }>, { db }: DaletContext) {
      let query = db
        .selectFrom('user_groups')
        .where('user_groups.id', 'in', db.selectFrom('user_group_members').select('user_group_id').where('user_id', '=', user.id));
      const ids = toIds(input?.where?.ids, 'ids');
      const names = given(input?.where?.names, 'names');
      if (ids) query = query.where('user_groups.id', 'in', ids.length ? ids : [-1]);
      if (names) query = query.where('user_groups.name', 'in', names);
      const page = await pageOf<UserGroupRow>(query, input?.select, 'user_groups.id');
      return { totalCount: page.totalCount, pageInfo: page.pageInfo, userGroups: page.items };
    },
  },
};
