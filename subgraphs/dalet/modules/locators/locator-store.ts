/**
 * Locators in the store, found by the doc's filter (ids, assets, type and family names, time ranges), every
 * field ANDed, and only on assets whose primary category the caller holds the needed rights on.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { DaletCaller, DaletContext } from '../../common/context.ts';
import { given, toIds } from '../../common/ids.ts';
import type { TimeCodeValue } from '../../schema/timecode.ts';
import type { DaletDatabase } from '../../store/tables.ts';
import { categoriesWithRight } from '../categories/rights.ts';
import { readConfiguration } from '../configuration/resolvers.ts';
import type { LocatorSubtype } from './locator-times.ts';

export interface LocatorTypeConfig {
  id: string;
  name: string;
  family: { name: string };
  subtype: LocatorSubtype;
  maxAllowedInstances: number | null;
}

export interface LocatorFilter {
  ids?: readonly unknown[] | null;
  assetIds?: readonly unknown[] | null;
  typeNames?: readonly (string | null)[] | null;
  familyNames?: readonly (string | null)[] | null;
  ranges?: readonly ({ from: TimeCodeValue; to: TimeCodeValue } | null)[] | null;
}

const LOCATOR_TYPES = Symbol('dalet locator types');

/** The site's locator types, read once per request. */
export function locatorTypes(context: DaletContext): Promise<LocatorTypeConfig[]> {
  const cached = context as DaletContext & { [LOCATOR_TYPES]?: Promise<LocatorTypeConfig[]> };
  return (cached[LOCATOR_TYPES] ??= readConfiguration(context.db, 'locatorTypes') as Promise<LocatorTypeConfig[]>);
}

type Right = 'can_view' | 'can_insert' | 'can_remove';
type LocatorQuery = SelectQueryBuilder<DaletDatabase, 'locators', {}>;

/**
 * The locators `where` selects that the caller holds every one of `rights` on (through the asset's primary
 * category). A range selects the locators that overlap it; several ranges, those overlapping any.
 */
export async function filterLocators(
  context: DaletContext,
  caller: DaletCaller,
  where: LocatorFilter | null | undefined,
  rights: readonly Right[] = ['can_view'],
): Promise<LocatorQuery> {
  const { db } = context;
  let query: LocatorQuery = db.selectFrom('locators');
  const ids = toIds(where?.ids, 'ids');
  const assetIds = toIds(where?.assetIds, 'assetIds');
  const typeNames = given(where?.typeNames, 'typeNames');
  const familyNames = given(where?.familyNames, 'familyNames');
  const ranges = given(where?.ranges, 'ranges');
  if (ids) query = query.where('locators.id', 'in', ids.length ? ids : [-1]);
  if (assetIds) query = query.where('locators.asset_id', 'in', assetIds.length ? assetIds : [-1]);
  if (typeNames || familyNames) {
    const types = (await locatorTypes(context)).filter(
      (type) => (!typeNames || typeNames.includes(type.name)) && (!familyNames || familyNames.includes(type.family.name)),
    );
    query = query.where('locators.type_id', 'in', types.length ? types.map((type) => type.id) : ['']);
  }
  if (ranges)
    query = query.where((eb) =>
      eb.or(
        ranges.map(({ from, to }) =>
          eb.and([
            eb('locators.in_ms', '<=', to.milliseconds),
            eb(eb.fn.coalesce('locators.out_ms', 'locators.in_ms'), '>=', from.milliseconds),
          ]),
        ),
      ),
    );
  if (!caller.isAdministrator) {
    let assets = db.selectFrom('assets').select('assets.id');
    for (const right of rights) assets = assets.where('assets.primary_category_id', 'in', categoriesWithRight(db, caller, right));
    query = query.where('locators.asset_id', 'in', assets);
  }
  return query;
}

/** How many locators of a type an asset holds, for the type's maxAllowedInstances. */
export async function countOfType(db: Kysely<DaletDatabase>, assetId: number, typeId: string): Promise<number> {
  const counted = await db
    .selectFrom('locators')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('asset_id', '=', assetId)
    .where('type_id', '=', typeId)
    .executeTakeFirst();
  return Number(counted?.count ?? 0);
}
