/**
 * createLocators (Insert on the asset's category; the type's kind and the asset's media bound the time
 * codes; at most the type's maxAllowedInstances on one asset) and deleteLocators (Insert and Remove; what
 * does not match or may not be deleted is left, silently, as the doc says). Locators are updated through
 * updateObjectsMetadata only.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { daletCaller, type DaletCaller, type DaletContext, type DaletServices } from '../../common/context.ts';
import { invalidInput, resourceDoesNotExist } from '../../common/errors.ts';
import { given, toIds } from '../../common/ids.ts';
import { answerPartially } from '../../common/partial-errors.ts';
import type { TimeCodeValue } from '../../schema/timecode.ts';
import type { AssetRow, LocatorRow } from '../../store/tables.ts';
import { siteFields } from '../metadata/data-fields.ts';
import { forgetMetadata } from '../metadata/metadata-store.ts';
import { updateOwnerMetadata } from '../metadata/mutations.ts';
import { requireAsset } from '../assets/asset-store.ts';
import type { MetadataInput } from '../metadata/queries.ts';
import { countOfType, filterLocators, locatorTypes, type LocatorFilter } from './locator-store.ts';
import { checkLocatorTimes, type AssetTimeBounds } from './locator-times.ts';
import { locatorNotice } from './subscriptions.ts';
import type { Notice } from '../../common/notifications.ts';

/** The most locators one call creates or deletes. */
export const MAX_LOCATORS_PER_CALL = 1000;

interface NewLocatorInput {
  typeName: string;
  timecodeIn: TimeCodeValue;
  timecodeOut?: TimeCodeValue | null;
  metadata?: readonly (MetadataInput | null)[] | null;
}

/** Where the asset's media lies: a clip's in and out, else zero to its duration; nothing known, nothing checked. */
export function assetTimeBounds(asset: AssetRow): AssetTimeBounds {
  if (asset.timecode_in_ms !== null || asset.timecode_out_ms !== null)
    return { startMs: asset.timecode_in_ms ?? undefined, endMs: asset.timecode_out_ms ?? undefined };
  if (asset.duration_seconds !== null) return { startMs: 0, endMs: Math.round(asset.duration_seconds * 1000) };
  return {};
}

async function createLocator(context: DaletContext, caller: DaletCaller, assetId: unknown, input: NewLocatorInput) {
  const type = (await locatorTypes(context)).find((candidate) => candidate.name === input.typeName);
  if (!type) throw resourceDoesNotExist({ type: 'NAME', value: input.typeName }, 'LOCATOR_TYPE');
  const site = await siteFields(context);
  const user = await context.db.selectFrom('users').select('login').where('id', '=', caller.userId).executeTakeFirstOrThrow();
  return context.db.transaction().execute(async (trx) => {
    const asset = await requireAsset(trx, caller, assetId, ['insert'], 'CREATE');
    const times = checkLocatorTimes(type.name, type.subtype, input.timecodeIn, input.timecodeOut, assetTimeBounds(asset));
    if (type.maxAllowedInstances !== null && (await countOfType(trx, asset.id, type.id)) >= type.maxAllowedInstances)
      throw invalidInput('typeName', type.name, 'INVALID_VALUE', `At most ${type.maxAllowedInstances} locators of this type on one asset`);
    const now = new Date().toISOString();
    const locator = await trx
      .insertInto('locators')
      .values({ asset_id: asset.id, type_id: type.id, ...times, last_modified_by: user.login, last_modified_at: now, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await updateOwnerMetadata(trx, site, { column: 'locator_id', id: locator.id }, 'SET', input.metadata);
    return { locator, type, categoryId: asset.primary_category_id };
  });
}

async function createLocators(
  context: DaletContext,
  info: GraphQLResolveInfo,
  services: DaletServices,
  input: { assetLocators: readonly ({ assetId: unknown; locators: NewLocatorInput } | null)[] },
) {
  const caller = await daletCaller(context);
  const entries = given(input.assetLocators, 'assetLocators') ?? [];
  if (entries.length > MAX_LOCATORS_PER_CALL)
    throw invalidInput('assetLocators', `${entries.length} locators`, 'TOO_LONG', `At most ${MAX_LOCATORS_PER_CALL} locators`);
  const locators: LocatorRow[] = [];
  const notices: Notice[] = [];
  for (const entry of entries)
    await answerPartially(services.partialErrors, context, info, undefined, async () => {
      const { locator, type, categoryId } = await createLocator(context, caller, entry.assetId, entry.locators);
      locators.push(locator);
      notices.push(locatorNotice('CREATED', locator, type, categoryId));
    });
  forgetMetadata(context);
  await services.notifications.notify(context, 'locators', notices);
  return { locators };
}

async function deleteLocators(context: DaletContext, services: DaletServices, input: { locatorsWith: LocatorFilter }) {
  const caller = await daletCaller(context);
  const where = input.locatorsWith;
  if (!toIds(where.ids, 'ids') && !toIds(where.assetIds, 'assetIds'))
    throw invalidInput('locatorsWith', '', 'MISSING_VALUE', 'At least one of ids or assetIds must be supplied');
  const deletable = await filterLocators(context, caller, where, ['can_view', 'can_insert', 'can_remove']);
  const rows = await deletable
    .innerJoin('assets', 'assets.id', 'locators.asset_id')
    .selectAll('locators')
    .select('assets.primary_category_id')
    .orderBy('locators.id')
    .limit(MAX_LOCATORS_PER_CALL)
    .execute();
  const ids = rows.map((row) => row.id);
  if (ids.length) await context.db.deleteFrom('locators').where('id', 'in', ids).execute();
  const types = await locatorTypes(context);
  await services.notifications.notify(
    context,
    'locators',
    rows.map(({ primary_category_id, ...locator }) =>
      locatorNotice(
        'DELETED',
        locator,
        types.find((type) => type.id === locator.type_id),
        primary_category_id,
      ),
    ),
  );
  return { deletedLocatorIds: ids.map(String) };
}

type Args<T> = { input: T };

export function locatorMutationResolvers(services: DaletServices) {
  return {
    Mutation: {
      createLocators: (
        _root: unknown,
        { input }: Args<Parameters<typeof createLocators>[3]>,
        context: DaletContext,
        info: GraphQLResolveInfo,
      ) => answerPartially(services.partialErrors, context, info, { locators: [] }, () => createLocators(context, info, services, input)),
      deleteLocators: (_root: unknown, { input }: Args<{ locatorsWith: LocatorFilter }>, context: DaletContext, info: GraphQLResolveInfo) =>
        answerPartially(services.partialErrors, context, info, { deletedLocatorIds: [] }, () => deleteLocators(context, services, input)),
    },
  };
}
