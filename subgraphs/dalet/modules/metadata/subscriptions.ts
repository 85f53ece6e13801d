/**
 * The `metadata` subscription, and the notices metadata writes publish: one MODIFIED notice an object
 * changed, naming its type and the data fields changed. `objectsWith` selects by object type (and id);
 * `dataFieldsWith` by the fields changed; `contents.metadata` answers those fields' values as they are now.
 */
import type { DaletServices } from '../../common/context.ts';
import { subscriptionField, type DeliveryScope, type Notice, type SubscriptionInput } from '../../common/notifications.ts';
import { readConfiguration } from '../configuration/resolvers.ts';
import { selectedFields, type DataFieldsFilter, type SiteFields } from './data-fields.ts';
import type { MetadataOwner, OwnerColumn } from './metadata-store.ts';
import { metadataOutput, type DataFieldConfig } from './values.ts';

interface MetadataSubscriptionInput extends SubscriptionInput {
  objectsWith?: readonly ({ ids?: unknown; type: string } | null)[] | null;
  dataFieldsWith?: DataFieldsFilter | null;
}

const OWNER_TYPES: Record<OwnerColumn, string> = {
  asset_id: 'ASSET',
  category_id: 'CATEGORY',
  locator_id: 'LOCATOR',
  table_row_id: 'ASSET',
};

/** A MODIFIED notice about `owner` (its fields `fieldIds` changed), seen by those who may View `categoryId`. */
export function metadataNotice(owner: MetadataOwner, fieldIds: readonly string[], categoryId: number): Notice {
  return {
    type: 'MODIFIED',
    id: owner.id,
    viewableThrough: [categoryId],
    details: { objectType: OWNER_TYPES[owner.column], dataFieldIds: [...fieldIds] },
  };
}

const siteOf = (scope: DeliveryScope) =>
  scope.once('site-fields', async (): Promise<SiteFields> => {
    const fields = (await readConfiguration(scope.db, 'dataFields')) as DataFieldConfig[];
    return { fields, byId: new Map(fields.map((field) => [field.id, field])), tables: [] };
  });

const changedFields = (notice: Notice) => (Array.isArray(notice.details?.dataFieldIds) ? notice.details.dataFieldIds.map(String) : []);

async function matches(notice: Notice, input: MetadataSubscriptionInput, scope: DeliveryScope): Promise<boolean> {
  const objects = input.objectsWith?.filter((object) => object !== null);
  const objectType = notice.details?.objectType;
  if (
    objects?.length &&
    !objects.some((object) => object.type === objectType && (object.ids == null || String(object.ids) === String(notice.id)))
  )
    return false;
  const selected = selectedFields(await siteOf(scope), input.dataFieldsWith);
  return !selected || selected.some((field) => changedFields(notice).includes(field.id));
}

const TABLES = { ASSET: 'assets', CATEGORY: 'categories', LOCATOR: 'locators' } as const;
const TYPENAMES: Record<string, (row: Record<string, unknown>) => string> = {
  ASSET: (row) => String(row.asset_kind),
  CATEGORY: () => 'Category',
  LOCATOR: () => 'Locator',
};

/** One message holds the notices of one object type (metadata writes notify per type), so ids do not collide. */
async function loadObjects(ids: number[], { db }: DeliveryScope, notices: Notice[]) {
  const objectType = String(notices[0]?.details?.objectType ?? 'ASSET') as keyof typeof TABLES;
  const rows = (await db.selectFrom(TABLES[objectType]).selectAll().where('id', 'in', ids).execute()) as Record<string, unknown>[];
  return new Map(rows.map((row) => [Number(row.id), { ...row, __typename: TYPENAMES[objectType]!(row) }]));
}

async function contentFields(notice: Notice, scope: DeliveryScope) {
  const site = await siteOf(scope);
  const column = (Object.keys(OWNER_TYPES) as OwnerColumn[]).find((key) => OWNER_TYPES[key] === notice.details?.objectType)!;
  const fieldIds = changedFields(notice);
  const rows = fieldIds.length
    ? await scope.db
        .selectFrom('metadata_values')
        .select(['field_id', 'value'])
        .where(column, '=', notice.id)
        .where('field_id', 'in', fieldIds)
        .orderBy('position')
        .execute()
    : [];
  const metadata = fieldIds.flatMap((id) => {
    const field = site.byId.get(id);
    return field
      ? [
          metadataOutput(
            field,
            rows.filter((row) => row.field_id === id).map((row) => row.value),
          ),
        ]
      : [];
  });
  return { metadata };
}

export function metadataSubscriptionResolvers(services: DaletServices) {
  return {
    Subscription: {
      metadata: subscriptionField<MetadataSubscriptionInput>(services.notifications, {
        topic: 'metadata',
        objectField: 'object',
        matches,
        loadObjects,
        contentFields,
      }),
    },
  };
}
