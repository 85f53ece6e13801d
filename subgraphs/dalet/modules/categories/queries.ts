/** `categories` and the Category type with its `children` subquery: only what the caller may View. */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { byKey, createBatchLoader } from '../../../kit/batch-loader.ts';
import { daletCaller, type DaletCaller, type DaletContext } from '../../common/context.ts';
import { given, toIds } from '../../common/ids.ts';
import { pageOf, type PaginationInput } from '../../common/pagination.ts';
import type { CategoryRow, DaletDatabase } from '../../store/tables.ts';
import { categoriesWithRight } from './rights.ts';

export interface CategoryFilter {
  ids?: unknown[] | null;
  fullNames?: string[] | null;
  codes?: string[] | null;
  parentIds?: unknown[] | null;
  system?: boolean | null;
  runningOrder?: boolean | null;
}

type CategoryQuery = SelectQueryBuilder<DaletDatabase, 'categories', {}>;

/** Every filter field ANDed, as the doc says; and only the categories the caller may View. */
export function filterCategories(db: Kysely<DaletDatabase>, caller: DaletCaller, where: CategoryFilter | null | undefined): CategoryQuery {
  let query: CategoryQuery = db.selectFrom('categories');
  const ids = toIds(where?.ids, 'ids');
  const parentIds = toIds(where?.parentIds, 'parentIds');
  const fullNames = given(where?.fullNames, 'fullNames');
  const codes = given(where?.codes, 'codes');
  if (ids) query = query.where('categories.id', 'in', ids.length ? ids : [-1]);
  // Parent id 0 is the top of the tree, as in the doc's example (parentIds: ["0"]): the root categories.
  if (parentIds)
    query = query.where((eb) =>
      eb.or([
        eb('categories.parent_id', 'in', parentIds.length ? parentIds : [-1]),
        ...(parentIds.includes(0) ? [eb('categories.parent_id', 'is', null)] : []),
      ]),
    );
  if (fullNames) query = query.where('categories.full_name', 'in', fullNames);
  if (codes) query = query.where('categories.code', 'in', codes);
  if (typeof where?.system === 'boolean') query = query.where('categories.system', '=', Number(where.system));
  if (typeof where?.runningOrder === 'boolean') query = query.where('categories.running_order', '=', Number(where.runningOrder));
  if (!caller.isAdministrator) query = query.where('categories.id', 'in', categoriesWithRight(db, caller));
  return query;
}

export async function categoriesPage(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  where: CategoryFilter | null | undefined,
  select: PaginationInput | null | undefined,
) {
  const page = await pageOf<CategoryRow>(filterCategories(db, caller, where), select, 'categories.id');
  return { totalCount: page.totalCount, pageInfo: page.pageInfo, categories: page.items };
}

const loadVisibleCategory = createBatchLoader<CategoryRow, DaletContext>(async (ids, context) => {
  const caller = await daletCaller(context);
  return byKey(
    await filterCategories(context.db, caller, { ids: [...ids] })
      .selectAll()
      .execute(),
    (row) => String(row.id),
  );
});

/** One category by id if the caller may View it, loaded with the others the request asks for in one query. */
export function visibleCategory(context: DaletContext, id: number | null | undefined): Promise<CategoryRow | null> {
  return id === null || id === undefined ? Promise.resolve(null) : loadVisibleCategory(String(id), context);
}

interface ListArgs {
  input?: { where?: CategoryFilter | null; select?: PaginationInput | null } | null;
}

export const categoryQueryResolvers = {
  Query: {
    async categories(_root: unknown, { input }: ListArgs, context: DaletContext) {
      return categoriesPage(context.db, await daletCaller(context), input?.where, input?.select);
    },
  },
  Category: {
    id: (category: CategoryRow) => String(category.id),
    objectType: () => 'CATEGORY',
    shortName: (category: CategoryRow) => category.short_name,
    fullName: (category: CategoryRow) => category.full_name,
    system: (category: CategoryRow) => category.system === 1,
    runningOrder: (category: CategoryRow) => category.running_order === 1,
    keepDateOffset: (category: CategoryRow) => category.keep_date_offset,
    endDateOffset: (category: CategoryRow) => category.end_date_offset,
    killDateOffset: (category: CategoryRow) => category.kill_date_offset,
    parent: (category: CategoryRow, _args: unknown, context: DaletContext) => visibleCategory(context, category.parent_id),
    async childCount(category: CategoryRow, _args: unknown, context: DaletContext) {
      const caller = await daletCaller(context);
      const counted = await filterCategories(context.db, caller, { parentIds: [category.id] })
        .select((eb) => eb.fn.countAll().as('count'))
        .executeTakeFirst();
      return Number(counted?.count ?? 0);
    },
    // Reached only through a category the caller may View, so the parent's View right holds already.
    async children(category: CategoryRow, { input }: ListArgs, context: DaletContext) {
      const caller = await daletCaller(context);
      return categoriesPage(context.db, caller, { ...input?.where, parentIds: [category.id] }, input?.select);
    },
  },
};
