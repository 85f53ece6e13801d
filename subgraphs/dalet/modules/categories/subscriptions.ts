/** The `categories` subscription: categories created, modified and deleted, each seen by those who may View it. */
import type { DaletServices } from '../../common/context.ts';
import { byRowId, subscriptionField, type SubscriptionInput } from '../../common/notifications.ts';

export function categorySubscriptionResolvers(services: DaletServices) {
  return {
    Subscription: {
      categories: subscriptionField<SubscriptionInput>(services.notifications, {
        topic: 'categories',
        objectField: 'category',
        loadObjects: async (ids, { db }) => byRowId(await db.selectFrom('categories').selectAll().where('id', 'in', ids).execute()),
        deletedObject: (notice) => ({ id: notice.id }),
      }),
    },
  };
}
