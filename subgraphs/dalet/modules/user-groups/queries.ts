/** `userGroups` and the UserGroup type with its `users` subquery. */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { daletCaller, type DaletContext } from '../../common/context.ts';
import { given, toIds } from '../../common/ids.ts';
import { pageOf, type PaginationInput } from '../../common/pagination.ts';
import type { DaletDatabase, UserGroupRow } from '../../store/tables.ts';
import { usersPage } from '../users/queries.ts';

export interface UserGroupFilter {
  ids?: unknown[] | null;
  names?: string[] | null;
  userIds?: unknown[] | null;
}

export function filterUserGroups(
  db: Kysely<DaletDatabase>,
  where: UserGroupFilter | null | undefined,
): SelectQueryBuilder<DaletDatabase, 'user_groups', {}> {
  let query = db.selectFrom('user_groups');
  const ids = toIds(where?.ids, 'ids');
  const userIds = toIds(where?.userIds, 'userIds');
  const names = given(where?.names, 'names');
  if (ids) query = query.where('user_groups.id', 'in', ids.length ? ids : [-1]);
  if (names) query = query.where('user_groups.name', 'in', names);
  if (userIds) {
    query = query.where(
      'user_groups.id',
      'in',
      db
        .selectFrom('user_group_members')
        .select('user_group_id')
        .where('user_id', 'in', userIds.length ? userIds : [-1]),
    );
  }
  return query;
}

interface ListArgs<Filter> {
  input?: { where?: Filter | null; select?: PaginationInput | null } | null;
}

export const userGroupQueryResolvers = {
  Query: {
    async userGroups(_root: unknown, { input }: ListArgs<UserGroupFilter>, context: DaletContext) {
      await daletCaller(context);
      const page = await pageOf<UserGroupRow>(filterUserGroups(context.db, input?.where), input?.select, 'user_groups.id');
      return { totalCount: page.totalCount, pageInfo: page.pageInfo, userGroups: page.items };
    },
  },
  UserGroup: {
    id: (group: UserGroupRow) => String(group.id),
    objectType: () => 'USER_GROUP',
    users: (group: UserGroupRow, { input }: ListArgs<{ ids?: unknown[] | null; logins?: string[] | null }>, { db }: DaletContext) =>
      usersPage(db, { ...input?.where, userGroupIds: [group.id] }, input?.select),
  },
};
