/**
 * Links of assets to categories besides their primary one: linkAssetsToCategories and
 * linkAssetToRunningOrderCategory (View on the asset, Insert on the category, as the doc says), and
 * removeLinksFromCategories (the doc names no right: Remove on the category, the counterpart of Insert).
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Kysely, Transaction } from 'kysely';
import { daletCaller, type DaletCaller, type DaletContext, type DaletServices } from '../../common/context.ts';
import { byId, invalidInput, noAccessRights, preconditionViolation, resourceDoesNotExist } from '../../common/errors.ts';
import { given, toId, toIds } from '../../common/ids.ts';
import { answerPartially } from '../../common/partial-errors.ts';
import type { Notice } from '../../common/notifications.ts';
import type { AssetRow, CategoryRow, DaletDatabase } from '../../store/tables.ts';
import { filterCategories, type CategoryFilter } from '../categories/queries.ts';
import { rightsOn } from '../categories/rights.ts';
import { assetNotice, notifyAssets } from './asset-notifications.ts';
import { filterAssets, requireAsset, type AssetFilter } from './asset-store.ts';
import { MAX_ASSETS_PER_CALL } from './create-assets.ts';

/** A filter that selects by nothing would select every asset or category the caller sees: refused. */
function requireSelection(name: string, filter: object | null | undefined, fields: readonly string[]): void {
  const record = (filter ?? {}) as Record<string, unknown>;
  const selects = fields.some((field) => {
    const value = record[field];
    return Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined;
  });
  if (!selects) throw invalidInput(name, '', 'MISSING_VALUE', `At least one of ${fields.join(', ')} must be supplied`);
}

const ASSET_SELECTORS = ['ids', 'itemCodes', 'assetTypesWith', 'metadata', 'categoriesWith'];
const CATEGORY_SELECTORS = ['ids', 'fullNames', 'codes', 'parentIds'];

async function matchedAssets(context: DaletContext, caller: DaletCaller, where: AssetFilter): Promise<AssetRow[]> {
  const query = await filterAssets(context, caller, where);
  return query.selectAll().orderBy('assets.id').limit(MAX_ASSETS_PER_CALL).execute();
}

function matchedCategories(db: Kysely<DaletDatabase>, caller: DaletCaller, where: CategoryFilter): Promise<CategoryRow[]> {
  return filterCategories(db, caller, where).selectAll().orderBy('categories.id').limit(MAX_ASSETS_PER_CALL).execute();
}

/** Links the asset to the category unless it is in it already; whether it did. */
async function linkIfAbsent(trx: Transaction<DaletDatabase>, asset: AssetRow, category: CategoryRow): Promise<boolean> {
  if (asset.primary_category_id === category.id) return false;
  const linked = await trx
    .selectFrom('asset_category_links')
    .select('asset_id')
    .where('asset_id', '=', asset.id)
    .where('category_id', '=', category.id)
    .executeTakeFirst();
  if (linked) return false;
  const sequence = category.running_order === 1 ? await linkCount(trx, category.id) : null;
  await trx
    .insertInto('asset_category_links')
    .values({ asset_id: asset.id, category_id: category.id, sequence, linked_at: new Date().toISOString() })
    .execute();
  return true;
}

async function linkCount(db: Kysely<DaletDatabase>, categoryId: number): Promise<number> {
  const counted = await db
    .selectFrom('asset_category_links')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('category_id', '=', categoryId)
    .executeTakeFirst();
  return Number(counted?.count ?? 0);
}

async function linkAssetsToCategories(
  context: DaletContext,
  info: GraphQLResolveInfo,
  services: DaletServices,
  input: { assetsWith: AssetFilter; linkedCategoriesWith: CategoryFilter },
) {
  const caller = await daletCaller(context);
  requireSelection('assetsWith', input.assetsWith, ASSET_SELECTORS);
  requireSelection('linkedCategoriesWith', input.linkedCategoriesWith, CATEGORY_SELECTORS);
  const assets = await matchedAssets(context, caller, input.assetsWith);
  const categories: CategoryRow[] = [];
  for (const category of await matchedCategories(context.db, caller, input.linkedCategoriesWith))
    await answerPartially(services.partialErrors, context, info, undefined, async () => {
      if (!(await rightsOn(context.db, caller, category.id)).insert)
        throw noAccessRights(caller.userId, 'UPDATE', 'CATEGORY', byId(category.id));
      categories.push(category);
    });
  const notices = await context.db.transaction().execute(async (trx) => {
    const made = [];
    for (const asset of assets)
      for (const category of categories)
        if (await linkIfAbsent(trx, asset, category)) made.push(assetNotice('LINKED_TO_CATEGORY', asset, category.id));
    return made;
  });
  await notifyAssets(services, context, notices);
  return { assets: categories.length ? assets : [] };
}

/** Puts the asset at `sequence` (0 first; the end when not given) among the category's linked assets. */
async function linkAtSequence(
  trx: Transaction<DaletDatabase>,
  asset: AssetRow,
  category: CategoryRow,
  sequence: number | null | undefined,
) {
  const others = await trx
    .selectFrom('asset_category_links')
    .select('asset_id')
    .where('category_id', '=', category.id)
    .where('asset_id', '!=', asset.id)
    .orderBy('sequence')
    .orderBy('linked_at')
    .execute();
  const order = others.map((link) => link.asset_id);
  order.splice(Math.min(sequence ?? order.length, order.length), 0, asset.id);
  await trx.deleteFrom('asset_category_links').where('category_id', '=', category.id).where('asset_id', '=', asset.id).execute();
  await trx
    .insertInto('asset_category_links')
    .values({ asset_id: asset.id, category_id: category.id, sequence: null, linked_at: new Date().toISOString() })
    .execute();
  for (const [position, assetId] of order.entries())
    await trx
      .updateTable('asset_category_links')
      .set({ sequence: position })
      .where('category_id', '=', category.id)
      .where('asset_id', '=', assetId)
      .execute();
}

async function linkAssetToRunningOrderCategory(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  input: { assetId: unknown; categoryId: unknown; sequence?: number | null },
): Promise<{ asset: AssetRow; category: CategoryRow }> {
  if (input.sequence !== null && input.sequence !== undefined && input.sequence < 0)
    throw invalidInput('sequence', input.sequence, 'NEGATIVE', 'Must not be negative');
  return db.transaction().execute(async (trx) => {
    const asset = await requireAsset(trx, caller, input.assetId, ['view'], 'UPDATE');
    const id = toId(input.categoryId);
    const category = id === undefined ? undefined : await trx.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
    if (!category) throw resourceDoesNotExist(byId(String(input.categoryId ?? '')), 'CATEGORY');
    if (!(await rightsOn(trx, caller, category.id)).insert) throw noAccessRights(caller.userId, 'UPDATE', 'CATEGORY', byId(category.id));
    if (category.running_order !== 1)
      throw invalidInput('categoryId', input.categoryId, 'INVALID_VALUE', 'Must be a running order category');
    await linkAtSequence(trx, asset, category, input.sequence);
    return { asset, category };
  });
}

async function removeLinksFromCategories(
  context: DaletContext,
  info: GraphQLResolveInfo,
  services: DaletServices,
  input: { assetsWith: AssetFilter; linkedCategoriesWith?: CategoryFilter | null },
) {
  const { db } = context;
  const caller = await daletCaller(context);
  if (!toIds(input.assetsWith.ids, 'ids') && !input.assetsWith.categoriesWith)
    throw invalidInput('assetsWith', '', 'MISSING_VALUE', 'At least one of ids or categoriesWith must be supplied');
  const selected = input.linkedCategoriesWith ? await matchedCategories(db, caller, input.linkedCategoriesWith) : undefined;
  const affected: AssetRow[] = [];
  const notices: Notice[] = [];
  for (const asset of await matchedAssets(context, caller, input.assetsWith))
    await answerPartially(services.partialErrors, context, info, undefined, async () => {
      if (selected?.some((category) => category.id === asset.primary_category_id))
        throw preconditionViolation(byId(asset.id), 'ASSET', 'MUST_NOT_BE_PRIMARY_CATEGORY');
      let links = db
        .selectFrom('asset_category_links')
        .select('category_id')
        .where('asset_id', '=', asset.id)
        .where('category_id', '!=', asset.primary_category_id);
      if (selected) links = links.where('category_id', 'in', selected.length ? selected.map((category) => category.id) : [-1]);
      const removable = [];
      for (const { category_id: categoryId } of await links.execute()) {
        if (!(await rightsOn(db, caller, categoryId)).remove) throw noAccessRights(caller.userId, 'DELETE', 'CATEGORY', byId(categoryId));
        removable.push(categoryId);
      }
      if (!removable.length) return;
      await db.deleteFrom('asset_category_links').where('asset_id', '=', asset.id).where('category_id', 'in', removable).execute();
      affected.push(asset);
      notices.push(...removable.map((categoryId) => assetNotice('REMOVED_FROM_CATEGORY', asset, categoryId)));
    });
  await notifyAssets(services, context, notices);
  return { assets: affected };
}

type Args<T> = { input: T };

export function linkMutationResolvers(services: DaletServices) {
  return {
    linkAssetsToCategories: (
      _root: unknown,
      { input }: Args<Parameters<typeof linkAssetsToCategories>[3]>,
      context: DaletContext,
      info: GraphQLResolveInfo,
    ) =>
      answerPartially(services.partialErrors, context, info, { assets: [] as AssetRow[] }, () =>
        linkAssetsToCategories(context, info, services, input),
      ),
    async linkAssetToRunningOrderCategory(
      _root: unknown,
      { input }: Args<Parameters<typeof linkAssetToRunningOrderCategory>[2]>,
      context: DaletContext,
      info: GraphQLResolveInfo,
    ) {
      const caller = await daletCaller(context);
      return answerPartially(services.partialErrors, context, info, { asset: null as AssetRow | null }, async () => {
        const { asset, category } = await linkAssetToRunningOrderCategory(context.db, caller, input);
        await notifyAssets(services, context, [assetNotice('LINKED_TO_CATEGORY', asset, category.id)]);
        return { asset };
      });
    },
    removeLinksFromCategories: (
      _root: unknown,
      { input }: Args<Parameters<typeof removeLinksFromCategories>[3]>,
      context: DaletContext,
      info: GraphQLResolveInfo,
    ) =>
      answerPartially(services.partialErrors, context, info, { assets: [] as AssetRow[] }, () =>
        removeLinksFromCategories(context, info, services, input),
      ),
  };
}
