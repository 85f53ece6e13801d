/** The `userGroups` subscription: notices of groups created, modified, deleted, and of users added or removed. */
import type { DaletServices } from '../../common/context.ts';
import { byRowId, idFilter, subscriptionField, type SubscriptionInput } from '../../common/notifications.ts';
import type { UserGroupRow } from '../../store/tables.ts';

interface UserGroupsSubscriptionInput extends SubscriptionInput {
  userGroupIds?: unknown[] | null;
}

export function userGroupSubscriptionResolvers(services: DaletServices) {
  return {
    Subscription: {
      userGroups: subscriptionField<UserGroupsSubscriptionInput>(services.notifications, {
        topic: 'userGroups',
        objectField: 'userGroup',
        matches: (notice, input) => idFilter(input.userGroupIds, 'userGroupIds')(notice.id),
        loadObjects: async (ids, { db }) => byRowId(await db.selectFrom('user_groups').selectAll().where('id', 'in', ids).execute()),
        deletedObject: (notice) => ({ id: notice.id }),
        async contentFields(notice, { db, once }) {
          const userIds = notice.details?.userIds;
          if (!Array.isArray(userIds) || !userIds.length) return { users: [] };
          const ids = userIds.filter((id): id is number => typeof id === 'number');
          const users = await once(`users:${ids.join(',')}`, () =>
            db.selectFrom('users').selectAll().where('id', 'in', ids).orderBy('id').execute(),
          );
          return { users };
        },
      }),
    },
    // The doc's output table names the group `user`, its example `userGroup`: both answer it.
    UserGroupNotification: { user: (notification: { userGroup: UserGroupRow | null }) => notification.userGroup },
  };
}
