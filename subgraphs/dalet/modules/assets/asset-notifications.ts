/**
 * The `assets` subscription, and the notices the asset mutations publish for it: each asset's notice is
 * seen by subscribers who may View its primary category (DELETED by everyone, as the doc says), and who
 * select it with `assetsWith`. A deleted asset is matched and answered from the row it had, which its
 * notice carries.
 */
import type { DaletContext, DaletServices } from '../../common/context.ts';
import { daletCaller } from '../../common/context.ts';
import type { JsonValue, Notice, NotificationOutput, SubscriptionInput, DeliveryScope } from '../../common/notifications.ts';
import { toIds, given } from '../../common/ids.ts';
import type { AssetRow } from '../../store/tables.ts';
import { filterCategories } from '../categories/queries.ts';
import { assetTypesMatching } from './asset-configuration.ts';
import { filterAssets, type AssetFilter } from './asset-store.ts';

export type AssetNoticeType = 'CREATED' | 'MODIFIED' | 'DELETED' | 'LINKED_TO_CATEGORY' | 'REMOVED_FROM_CATEGORY';

/** The notice of what happened to `asset`; `relatedCategoryId` for a link made or removed. */
export function assetNotice(type: AssetNoticeType, asset: AssetRow, relatedCategoryId?: number): Notice {
  return {
    type,
    id: asset.id,
    viewableThrough: [asset.primary_category_id],
    details: {
      assetKind: asset.asset_kind,
      ...(relatedCategoryId !== undefined && { relatedCategoryId }),
      ...(type === 'DELETED' && { asset: asset as unknown as JsonValue }),
    },
  };
}

export function notifyAssets(services: DaletServices, context: DaletContext, notices: Notice[]): Promise<void> {
  return services.notifications.notify(context, 'assets', notices);
}

interface AssetsSubscriptionInput extends SubscriptionInput {
  assetsWith?: AssetFilter | null;
}

/** A deleted asset against the filter, field by field (its metadata went with it, so that field is not tested). */
async function deletedAssetMatches(asset: AssetRow, where: AssetFilter, scope: DeliveryScope): Promise<boolean> {
  const ids = toIds(where.ids, 'ids');
  if (ids && !ids.includes(asset.id)) return false;
  const itemCodes = given(where.itemCodes, 'itemCodes');
  if (itemCodes && !itemCodes.includes(asset.item_code)) return false;
  const types = await assetTypesMatching(scope.db, where.assetTypesWith);
  if (types && !types.some((type) => type.kind === asset.asset_type_kind && type.id === asset.asset_type_id)) return false;
  if (!where.categoriesWith) return true;
  const category = await filterCategories(scope.db, scope.caller, where.categoriesWith)
    .select('categories.id')
    .where('categories.id', '=', asset.primary_category_id)
    .executeTakeFirst();
  return category !== undefined;
}

export function assetSubscriptionResolvers(services: DaletServices) {
  return {
    assets: {
      async subscribe(_root: unknown, { input }: { input: AssetsSubscriptionInput }, context: DaletContext) {
        await daletCaller(context);
        return services.notifications.subscribe(
          context,
          {
            topic: 'assets',
            objectField: 'asset',
            async matches(notice, { assetsWith }, scope) {
              if (!assetsWith) return true;
              if (notice.type === 'DELETED') return deletedAssetMatches(notice.details!.asset as unknown as AssetRow, assetsWith, scope);
              // The subscriber's own filter, rights and all, on the asset as it is now.
              const query = await filterAssets(context, scope.caller, assetsWith);
              return (await query.select('assets.id').where('assets.id', '=', notice.id).executeTakeFirst()) !== undefined;
            },
            async loadObjects(ids, scope) {
              const rows = await scope.db.selectFrom('assets').selectAll().where('id', 'in', ids).execute();
              return new Map(rows.map((row) => [row.id, row]));
            },
            deletedObject: (notice) => notice.details?.asset ?? null,
            async contentFields(notice, scope) {
              const categoryId = notice.details?.relatedCategoryId;
              if (typeof categoryId !== 'number') return {};
              const relatedCategory = await scope.once(
                `category:${scope.caller.userId}:${categoryId}`,
                async () =>
                  (await filterCategories(scope.db, scope.caller, { ids: [categoryId] })
                    .selectAll()
                    .executeTakeFirst()) ?? null,
              );
              return { relatedCategory };
            },
          },
          input ?? {},
        );
      },
      resolve: (delivered: NotificationOutput[]) => ({ notifications: delivered }),
    },
  };
}
