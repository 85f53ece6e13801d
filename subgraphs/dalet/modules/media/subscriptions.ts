/** The `mediaInfos` subscription: media infos created, modified and deleted, seen with View on their asset. */
import type { DaletServices } from '../../common/context.ts';
import { byRowId, idFilter, subscriptionField, type SubscriptionInput } from '../../common/notifications.ts';
import { mediaInfosByIds } from './media-store.ts';
import type { DeletedMediaInfoRow } from './queries.ts';

interface MediaInfosSubscriptionInput extends SubscriptionInput {
  formatIds?: unknown[] | null;
  assetIds?: unknown[] | null;
}

export function mediaSubscriptionResolvers(services: DaletServices) {
  return {
    Subscription: {
      mediaInfos: subscriptionField<MediaInfosSubscriptionInput>(services.notifications, {
        topic: 'mediaInfos',
        objectField: 'mediaInfo',
        matches(notice, input) {
          const formatIds = input.formatIds?.filter((id) => id !== null).map(String);
          if (formatIds?.length && !formatIds.includes(String(notice.details?.formatId))) return false;
          return idFilter(input.assetIds, 'assetIds')(notice.details?.assetId);
        },
        loadObjects: async (ids, { db }) => byRowId(await mediaInfosByIds(db, ids)),
        deletedObject: (notice): DeletedMediaInfoRow => ({
          id: notice.id,
          asset_id: Number(notice.details?.assetId),
          format_id: String(notice.details?.formatId),
          storage_unit_id: String(notice.details?.storageUnitId),
          deleted: true,
        }),
      }),
    },
  };
}
