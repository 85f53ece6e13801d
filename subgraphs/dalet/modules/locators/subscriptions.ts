/**
 * The `locators` subscription, and the notices the locator mutations publish: each locator's asset, type
 * and family and times go in the notice, so that `locatorsWith` is tested on what the locator was when it
 * changed (the family as configured then, as the doc says); ranges are not tested on DELETED notices.
 */
import type { DaletServices } from '../../common/context.ts';
import { byRowId, idFilter, subscriptionField, type Notice, type SubscriptionInput } from '../../common/notifications.ts';
import type { LocatorRow } from '../../store/tables.ts';
import { rightsOn } from '../categories/rights.ts';
import type { LocatorFilter, LocatorTypeConfig } from './locator-store.ts';

interface LocatorsSubscriptionInput extends SubscriptionInput {
  locatorsWith?: LocatorFilter | null;
}

/** A notice about `locator`, seen by those who may View its asset's primary category (DELETED by everyone). */
export function locatorNotice(
  type: 'CREATED' | 'MODIFIED' | 'DELETED',
  locator: LocatorRow,
  locatorType: LocatorTypeConfig | undefined,
  categoryId: number,
): Notice {
  return {
    type,
    id: locator.id,
    viewableThrough: [categoryId],
    details: {
      assetId: locator.asset_id,
      typeName: locatorType?.name ?? null,
      familyName: locatorType?.family.name ?? null,
      inMs: locator.in_ms,
      outMs: locator.out_ms,
      // A deleted locator is answered from what it was.
      ...(type === 'DELETED' ? { locator: { ...locator } } : {}),
    },
  };
}

function matchesFilter(notice: Notice, where: LocatorFilter | null | undefined): boolean {
  const details = notice.details ?? {};
  const inList = (values: readonly (string | null)[] | null | undefined, actual: unknown) =>
    !values?.length || values.includes(actual as string);
  if (!idFilter(where?.ids, 'ids')(notice.id) || !idFilter(where?.assetIds, 'assetIds')(details.assetId)) return false;
  if (!inList(where?.typeNames, details.typeName) || !inList(where?.familyNames, details.familyName)) return false;
  const ranges = where?.ranges?.filter((range) => range !== null);
  if (!ranges?.length || notice.type === 'DELETED') return true;
  const start = Number(details.inMs);
  const end = details.outMs === null ? start : Number(details.outMs);
  return ranges.some(({ from, to }) => start <= to.milliseconds && end >= from.milliseconds);
}

export function locatorSubscriptionResolvers(services: DaletServices) {
  return {
    Subscription: {
      locators: subscriptionField<LocatorsSubscriptionInput>(services.notifications, {
        topic: 'locators',
        objectField: 'locators',
        matches: (notice, input) => matchesFilter(notice, input.locatorsWith),
        loadObjects: async (ids, { db }) => byRowId(await db.selectFrom('locators').selectAll().where('id', 'in', ids).execute()),
        deletedObject: (notice) => notice.details?.locator ?? null,
        async contentFields(notice, { db, caller, once }) {
          const assetId = Number(notice.details?.assetId);
          const asset = await once(`asset:${assetId}`, () =>
            db.selectFrom('assets').selectAll().where('id', '=', assetId).executeTakeFirst(),
          );
          // DELETED notices reach everyone: their asset only those who may View it.
          const visible = asset && (notice.type !== 'DELETED' || (await rightsOn(db, caller, asset.primary_category_id)).view);
          return { asset: visible ? { ...asset, __typename: asset.asset_kind } : null };
        },
      }),
    },
  };
}
