/**
 * updateObjectsMetadata (SET, APPEND, REMOVE on assets, categories and locators, the only way to change a
 * locator). Each object is one transaction: every value read and checked first, then written; an object
 * that fails is an error beside the objects that were updated, as the doc's partial answers go.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Kysely } from 'kysely';
import { daletCaller, type DaletCaller, type DaletContext, type DaletServices } from '../../common/context.ts';
import { invalidInput } from '../../common/errors.ts';
import { given } from '../../common/ids.ts';
import { answerPartially } from '../../common/partial-errors.ts';
import type { DaletDatabase } from '../../store/tables.ts';
import { findDataField, siteFields, type SiteFields } from './data-fields.ts';
import { currentFieldValues, forgetMetadata, writeFieldValues, type MetadataOwner } from './metadata-store.ts';
import type { MetadataInput } from './queries.ts';
import { writableObject } from './object-access.ts';
import { metadataNotice } from './subscriptions.ts';
import type { Notice } from '../../common/notifications.ts';
import { assetNotice, notifyAssets } from '../assets/asset-notifications.ts';
import { locatorTypes } from '../locators/locator-store.ts';
import { locatorNotice } from '../locators/subscriptions.ts';
import { applyMetadataAction, readMetadataValue, type DataFieldConfig, type UpdateMetadataAction } from './values.ts';

/** The most objects one call updates: the doc's calls name a handful. */
export const MAX_OBJECTS_PER_UPDATE = 1000;

interface ObjectMetadataInput {
  objectId: string;
  objectType: string;
  metadata: readonly (MetadataInput | null)[];
}

/** The given metadata grouped by field (two inputs on one field add up), each value read as the field's type. */
export function valuesByField(site: SiteFields, metadata: readonly (MetadataInput | null)[] | null | undefined) {
  const byField = new Map<string, { field: DataFieldConfig; values: string[] }>();
  for (const input of given(metadata ?? null, 'metadata') ?? []) {
    const field = findDataField(site, input.field);
    const values = (given(input.value ?? null, 'value') ?? []).map((value) => readMetadataValue(field, value));
    const entry = byField.get(field.id) ?? { field, values: [] };
    entry.values.push(...values);
    byField.set(field.id, entry);
  }
  return [...byField.values()];
}

/** Applies `action` to each given field of `owner`, all checked before any is written; the ids of the fields written. */
export async function updateOwnerMetadata(
  db: Kysely<DaletDatabase>,
  site: SiteFields,
  owner: MetadataOwner,
  action: UpdateMetadataAction,
  metadata: readonly (MetadataInput | null)[] | null | undefined,
): Promise<string[]> {
  const changes = [];
  for (const { field, values } of valuesByField(site, metadata)) {
    const current = action === 'SET' ? [] : await currentFieldValues(db, owner, field.id);
    changes.push({ field, values: applyMetadataAction(field, action, current, values) });
  }
  for (const { field, values } of changes) await writeFieldValues(db, owner, field.id, values);
  return changes.map(({ field }) => field.id);
}

/** What was changed by whom: an asset's lastModified fields, a locator's (by login, as LocatorIfc has it). */
export async function touchOwner(db: Kysely<DaletDatabase>, caller: DaletCaller, owner: MetadataOwner): Promise<Record<string, unknown>> {
  const now = new Date().toISOString();
  if (owner.column === 'asset_id') {
    const changed = { last_modified_at: now, last_modified_by_user_id: caller.userId };
    await db.updateTable('assets').set(changed).where('id', '=', owner.id).execute();
    return changed;
  }
  if (owner.column === 'locator_id') {
    const user = await db.selectFrom('users').select('login').where('id', '=', caller.userId).executeTakeFirstOrThrow();
    const changed = { last_modified_at: now, last_modified_by: user.login };
    await db.updateTable('locators').set(changed).where('id', '=', owner.id).execute();
    return changed;
  }
  return {};
}

async function updateObjectsMetadata(
  context: DaletContext,
  info: GraphQLResolveInfo,
  services: DaletServices,
  input: { objectsMetadata: readonly (ObjectMetadataInput | null)[]; actionType: UpdateMetadataAction },
) {
  const caller = await daletCaller(context);
  const objects = given(input.objectsMetadata, 'objectsMetadata') ?? [];
  if (!objects.length) throw invalidInput('objectsMetadata', '', 'MISSING_VALUE', 'At least one object must be supplied');
  if (objects.length > MAX_OBJECTS_PER_UPDATE)
    throw invalidInput('objectsMetadata', `${objects.length} objects`, 'TOO_LONG', `At most ${MAX_OBJECTS_PER_UPDATE} objects`);
  const site = await siteFields(context);
  const updatedObjects: Record<string, unknown>[] = [];
  const notices: Notice[] = [];
  for (const object of objects) {
    await answerPartially(services.partialErrors, context, info, undefined, async () => {
      const updated = await context.db.transaction().execute(async (trx) => {
        const target = await writableObject(trx, caller, object.objectType, object.objectId);
        const fieldIds = await updateOwnerMetadata(trx, site, target.owner, input.actionType, object.metadata);
        notices.push(metadataNotice(target.owner, fieldIds, target.categoryId));
        return { ...target.object, ...(await touchOwner(trx, caller, target.owner)) };
      });
      updatedObjects.push(updated);
    });
  }
  forgetMetadata(context);
  await notifyMetadataChanges(context, services, notices);
  return { updatedObjects };
}

/**
 * Publishes metadata notices, one message an object type (so that ids do not collide in one message), and
 * the MODIFIED notices of the `assets` and `locators` subscriptions for the assets and locators changed.
 */
export async function notifyMetadataChanges(context: DaletContext, services: DaletServices, notices: Notice[]): Promise<void> {
  for (const objectType of ['ASSET', 'CATEGORY', 'LOCATOR'])
    await services.notifications.notify(
      context,
      'metadata',
      notices.filter((notice) => notice.details?.objectType === objectType),
    );
  // An asset whose metadata changed is a modified asset, for the `assets` subscription too.
  const assetIds = notices.filter((notice) => notice.details?.objectType === 'ASSET').map((notice) => notice.id);
  if (assetIds.length) {
    const assets = await context.db.selectFrom('assets').selectAll().where('id', 'in', assetIds).execute();
    await notifyAssets(
      services,
      context,
      assets.map((asset) => assetNotice('MODIFIED', asset)),
    );
  }
  const locatorIds = notices.filter((notice) => notice.details?.objectType === 'LOCATOR').map((notice) => notice.id);
  if (!locatorIds.length) return;
  const types = await locatorTypes(context);
  const rows = await context.db
    .selectFrom('locators')
    .innerJoin('assets', 'assets.id', 'locators.asset_id')
    .selectAll('locators')
    .select('assets.primary_category_id')
    .where('locators.id', 'in', locatorIds)
    .execute();
  await services.notifications.notify(
    context,
    'locators',
    rows.map(({ primary_category_id, ...locator }) =>
      locatorNotice(
        'MODIFIED',
        locator,
        types.find((type) => type.id === locator.type_id),
        primary_category_id,
      ),
    ),
  );
}

type Args<T> = { input: T };

export function metadataMutationResolvers(services: DaletServices) {
  return {
    async updateObjectsMetadata(
      _root: unknown,
      { input }: Args<Parameters<typeof updateObjectsMetadata>[3]>,
      context: DaletContext,
      info: GraphQLResolveInfo,
    ) {
      return answerPartially(services.partialErrors, context, info, { updatedObjects: [] }, () =>
        updateObjectsMetadata(context, info, services, input),
      );
    },
  };
}
