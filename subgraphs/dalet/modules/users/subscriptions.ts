/** The `users` subscription: notices of users created, modified, deleted, added to or removed from a group. */
import type { DaletServices } from '../../common/context.ts';
import { byRowId, idFilter, subscriptionField, type SubscriptionInput } from '../../common/notifications.ts';

interface UsersSubscriptionInput extends SubscriptionInput {
  userIds?: unknown[] | null;
}

export function userSubscriptionResolvers(services: DaletServices) {
  return {
    Subscription: {
      users: subscriptionField<UsersSubscriptionInput>(services.notifications, {
        topic: 'users',
        objectField: 'user',
        matches: (notice, input) => idFilter(input.userIds, 'userIds')(notice.id),
        loadObjects: async (ids, { db }) => byRowId(await db.selectFrom('users').selectAll().where('id', 'in', ids).execute()),
        // Gone: only its id is left to tell.
        deletedObject: (notice) => ({ id: notice.id }),
        async contentFields(notice, { db, once }) {
          const groupId = notice.details?.userGroupId;
          if (typeof groupId !== 'number') return { userGroup: null };
          const group = await once(`userGroup:${groupId}`, () =>
            db.selectFrom('user_groups').selectAll().where('id', '=', groupId).executeTakeFirst(),
          );
          return { userGroup: group ?? null };
        },
      }),
    },
  };
}
