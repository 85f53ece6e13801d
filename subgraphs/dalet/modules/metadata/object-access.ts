/**
 * The objects metadata is written on, found with the rights the doc names: Insert and Remove on the category
 * of the object (an asset's primary category, a locator's asset's, a category itself). An object the
 * caller may not View is one that does not exist for them; one they may View but not change is
 * NoAccessRightsException naming it.
 */
import type { Kysely } from 'kysely';
import type { DaletCaller } from '../../common/context.ts';
import {
  byId,
  noAccessRights,
  resourceDoesNotExist,
  unsupportedResource,
  type OperationType,
  type ResourceType,
} from '../../common/errors.ts';
import { toId } from '../../common/ids.ts';
import type { CategoryRow, DaletDatabase, LocatorRow } from '../../store/tables.ts';
import { requireAsset, type RightsNeeded } from '../assets/asset-store.ts';
import { rightsOn, type Rights } from '../categories/rights.ts';
import type { MetadataOwner } from './metadata-store.ts';

const holds = (rights: Rights, needed: RightsNeeded) => needed.every((right) => rights[right]);

async function requireRights(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  categoryId: number,
  needed: RightsNeeded,
  denied: { operation: OperationType; resourceType: ResourceType; id: number },
): Promise<void> {
  const rights = await rightsOn(db, caller, categoryId);
  if (!rights.view) throw resourceDoesNotExist(byId(denied.id), denied.resourceType);
  if (!holds(rights, needed)) throw noAccessRights(caller.userId, denied.operation, denied.resourceType, byId(denied.id));
}

/** Insert and Remove, what every metadata write needs on the object's category. */
export const WRITE_RIGHTS: RightsNeeded = ['insert', 'remove'];

async function requireLocatorWithRights(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  id: unknown,
  needed: RightsNeeded,
  operation: OperationType = 'UPDATE',
): Promise<LocatorRow> {
  const locatorId = toId(id);
  const found =
    locatorId === undefined
      ? undefined
      : await db
          .selectFrom('locators')
          .innerJoin('assets', 'assets.id', 'locators.asset_id')
          .selectAll('locators')
          .select('assets.primary_category_id')
          .where('locators.id', '=', locatorId)
          .executeTakeFirst();
  if (!found) throw resourceDoesNotExist(byId(String(id ?? '')), 'LOCATOR');
  const { primary_category_id: categoryId, ...locator } = found;
  await requireRights(db, caller, categoryId, needed, { operation, resourceType: 'LOCATOR', id: locator.id });
  return locator;
}

async function requireCategoryWithRights(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  id: unknown,
  needed: RightsNeeded,
): Promise<CategoryRow> {
  const categoryId = toId(id);
  const category =
    categoryId === undefined ? undefined : await db.selectFrom('categories').selectAll().where('id', '=', categoryId).executeTakeFirst();
  if (!category) throw resourceDoesNotExist(byId(String(id ?? '')), 'CATEGORY');
  await requireRights(db, caller, category.id, needed, { operation: 'UPDATE', resourceType: 'CATEGORY', id: category.id });
  return category;
}

/** An object whose metadata is written: where its values live, and what `updatedObjects` answers for it. */
export interface WritableObject {
  owner: MetadataOwner;
  /** The row, typed for ObjectIfc. */
  object: Record<string, unknown>;
  /** The category whose View right lets one see it: its own, or its (locator's) asset's primary category. */
  categoryId: number;
}

/**
 * The object an ObjectMetadataInput names, with Insert and Remove on its category. Contacts, glossary
 * values, planning events and rundowns are not kept by this service: UnsupportedResource.
 */
export async function writableObject(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  objectType: string,
  objectId: unknown,
): Promise<WritableObject> {
  if (objectType === 'ASSET') {
    const asset = await requireAsset(db, caller, objectId, WRITE_RIGHTS, 'UPDATE');
    return {
      owner: { column: 'asset_id', id: asset.id },
      object: { ...asset, __typename: asset.asset_kind },
      categoryId: asset.primary_category_id,
    };
  }
  if (objectType === 'CATEGORY') {
    const category = await requireCategoryWithRights(db, caller, objectId, WRITE_RIGHTS);
    return { owner: { column: 'category_id', id: category.id }, object: { ...category, __typename: 'Category' }, categoryId: category.id };
  }
  if (objectType === 'LOCATOR') {
    const locator = await requireLocatorWithRights(db, caller, objectId, WRITE_RIGHTS);
    const { primary_category_id: categoryId } = await db
      .selectFrom('assets')
      .select('primary_category_id')
      .where('id', '=', locator.asset_id)
      .executeTakeFirstOrThrow();
    return { owner: { column: 'locator_id', id: locator.id }, object: { ...locator, __typename: 'Locator' }, categoryId };
  }
  throw unsupportedResource({ type: 'TYPE', value: objectType }, 'OBJECT_TYPE');
}
