/**
 * createCategory, createShotList, updateCategory, deleteCategories, with the rights the doc names for each:
 * Insert on the parent to create; View on the clipBin and Insert on the user's clipBin for a shot list;
 * View on the category and all rights on its parent to update; Insert and Remove on it to delete.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Kysely } from 'kysely';
import { daletCaller, type DaletCaller, type DaletContext, type DaletServices } from '../../common/context.ts';
import {
  byId,
  invalidInput,
  noAccessRights,
  preconditionViolation,
  resourceDoesNotExist,
  unsupportedResource,
} from '../../common/errors.ts';
import { given, toId, toIds } from '../../common/ids.ts';
import { answerPartially } from '../../common/partial-errors.ts';
import { optionalOffset, optionalText, requireCategoryName } from '../../common/validation.ts';
import type { CategoryRow, DaletDatabase } from '../../store/tables.ts';
import {
  fullNameUnder,
  insertCategory,
  isInSubtree,
  MAX_FULL_NAME_LENGTH,
  MAX_NAME_LENGTH,
  renameSubtree,
  type NewCategory,
} from './category-store.ts';
import { filterCategories } from './queries.ts';
import { rightsOn } from './rights.ts';

export const SHOT_LIST_CODE = 'UPCLB';
const MAX_TEXT_LENGTH = 4000;

type CategoryFields = Omit<NewCategory, 'system'>;

async function existingCategory(db: Kysely<DaletDatabase>, id: unknown): Promise<CategoryRow> {
  const categoryId = toId(id);
  const category =
    categoryId === undefined ? undefined : await db.selectFrom('categories').selectAll().where('id', '=', categoryId).executeTakeFirst();
  if (!category) throw resourceDoesNotExist(byId(String(id ?? '')), 'CATEGORY');
  return category;
}

function checkedFields(input: CategoryFields): CategoryFields {
  return {
    ...input,
    shortName: optionalText('shortName', input.shortName, MAX_NAME_LENGTH),
    code: optionalText('code', input.code, MAX_NAME_LENGTH),
    description: optionalText('description', input.description, MAX_TEXT_LENGTH),
    keepDateOffset: optionalOffset('keepDateOffset', input.keepDateOffset),
    endDateOffset: optionalOffset('endDateOffset', input.endDateOffset),
    killDateOffset: optionalOffset('killDateOffset', input.killDateOffset),
  };
}

async function assertFreeName(db: Kysely<DaletDatabase>, parent: CategoryRow, name: string, exceptId?: number): Promise<string> {
  const fullName = fullNameUnder(parent, name);
  if (fullName.length > MAX_FULL_NAME_LENGTH)
    throw invalidInput('name', name, 'TOO_LONG', `The full name must be less than ${MAX_FULL_NAME_LENGTH + 1} characters`);
  const taken = await db.selectFrom('categories').select('id').where('full_name', '=', fullName).executeTakeFirst();
  if (taken && taken.id !== exceptId) throw invalidInput('name', name, 'ALREADY_EXISTS', `A category ${fullName} exists already`);
  return fullName;
}

async function createCategory(db: Kysely<DaletDatabase>, caller: DaletCaller, input: CategoryFields & { parentCategoryId: unknown }) {
  const name = requireCategoryName('name', input.name, MAX_NAME_LENGTH);
  const fields = checkedFields(input);
  const parent = await existingCategory(db, input.parentCategoryId);
  if (!(await rightsOn(db, caller, parent.id)).insert) throw noAccessRights(caller.userId, 'CREATE', 'CATEGORY', byId(parent.id));
  await assertFreeName(db, parent, name);
  return insertCategory(db, parent, { ...fields, name }, caller.userId);
}

async function createShotList(db: Kysely<DaletDatabase>, caller: DaletCaller, input: CategoryFields & { userId: unknown }) {
  const name = requireCategoryName('name', input.name, MAX_NAME_LENGTH);
  const fields = checkedFields(input);
  const userId = toId(input.userId);
  const user =
    userId === undefined
      ? undefined
      : await db.selectFrom('users').select(['id', 'clip_bin_category_id']).where('id', '=', userId).executeTakeFirst();
  if (!user) throw resourceDoesNotExist(byId(String(input.userId)), 'USER');
  if (user.clip_bin_category_id === null) throw preconditionViolation(byId(user.id), 'USER', 'USER_MUST_HAVE_CLIP_BIN_CATEGORY');
  const clipBin = await existingCategory(db, user.clip_bin_category_id);
  const clipBinRoot = clipBin.parent_id === null ? clipBin : await existingCategory(db, clipBin.parent_id);
  if (!(await rightsOn(db, caller, clipBinRoot.id)).view) throw noAccessRights(caller.userId, 'READ', 'CATEGORY', byId(clipBinRoot.id));
  if (!(await rightsOn(db, caller, clipBin.id)).insert) throw noAccessRights(caller.userId, 'CREATE', 'CATEGORY', byId(clipBin.id));
  await assertFreeName(db, clipBin, name);
  return insertCategory(db, clipBin, { ...fields, name, code: SHOT_LIST_CODE, runningOrder: true }, caller.userId);
}

async function updateCategory(
  db: Kysely<DaletDatabase>,
  caller: DaletCaller,
  input: CategoryFields & { categoryId: unknown; parentCategoryId?: unknown },
) {
  const category = await existingCategory(db, input.categoryId);
  if (!(await rightsOn(db, caller, category.id)).view) throw noAccessRights(caller.userId, 'UPDATE', 'CATEGORY', byId(category.id));
  if (category.system === 1 || category.parent_id === null) throw unsupportedResource(byId(category.id), 'CATEGORY');
  const fields = checkedFields(input);
  const name = input.name === undefined || input.name === null ? category.name : requireCategoryName('name', input.name, MAX_NAME_LENGTH);
  const parent = await existingCategory(db, input.parentCategoryId ?? category.parent_id);
  for (const parentId of new Set([category.parent_id, parent.id])) {
    const rights = await rightsOn(db, caller, parentId);
    if (!(rights.view && rights.insert && rights.remove)) throw noAccessRights(caller.userId, 'UPDATE', 'CATEGORY', byId(category.id));
  }
  if (await isInSubtree(db, category.id, parent.id))
    throw invalidInput('parentCategoryId', input.parentCategoryId, 'INVALID_VALUE', 'A category cannot move under itself');
  const fullName = await assertFreeName(db, parent, name, category.id);
  await db
    .updateTable('categories')
    .set({
      name,
      parent_id: parent.id,
      ...(fields.shortName != null && { short_name: fields.shortName }),
      ...(fields.code !== undefined && { code: fields.code }),
      ...(fields.description !== undefined && { description: fields.description }),
      ...(typeof input.runningOrder === 'boolean' && { running_order: Number(input.runningOrder) }),
      ...(fields.color != null && { color: fields.color }),
      ...(fields.keepDateOffset != null && { keep_date_offset: fields.keepDateOffset }),
      ...(fields.endDateOffset != null && { end_date_offset: fields.endDateOffset }),
      ...(fields.killDateOffset != null && { kill_date_offset: fields.killDateOffset }),
    })
    .where('id', '=', category.id)
    .execute();
  if (fullName !== category.full_name) await renameSubtree(db, category.id, fullName);
  return db.selectFrom('categories').selectAll().where('id', '=', category.id).executeTakeFirstOrThrow();
}

interface DeleteFilter {
  ids?: unknown[] | null;
  fullNames?: string[] | null;
  parentIds?: unknown[] | null;
  system?: boolean | null;
  runningOrder?: boolean | null;
}

/** Deletes each category it may; each one it may not is an error beside the ids that were deleted. */
async function deleteCategories(context: DaletContext, info: GraphQLResolveInfo, services: DaletServices, where: DeleteFilter) {
  const { db } = context;
  const caller = await daletCaller(context);
  if (!toIds(where.ids, 'ids') && !given(where.fullNames, 'fullNames') && !toIds(where.parentIds, 'parentIds')) {
    throw invalidInput('categoriesWith', '', 'MISSING_VALUE', 'At least one of ids, fullNames or parentIds must be supplied');
  }
  const matched = await filterCategories(db, caller, where).selectAll().orderBy('id').execute();
  const deletedCategoryIds: string[] = [];
  for (const category of matched) {
    await answerPartially(services.partialErrors, context, info, undefined, async () => {
      const rights = await rightsOn(db, caller, category.id);
      if (!(rights.insert && rights.remove)) throw noAccessRights(caller.userId, 'DELETE', 'CATEGORY', byId(category.id));
      if (category.system === 1 || category.parent_id === null) throw unsupportedResource(byId(category.id), 'CATEGORY');
      const child = await db.selectFrom('categories').select('id').where('parent_id', '=', category.id).executeTakeFirst();
      if (child) throw preconditionViolation(byId(category.id), 'CATEGORY', 'CATEGORY_MUST_BE_EMPTY');
      await db.deleteFrom('categories').where('id', '=', category.id).execute();
      deletedCategoryIds.push(String(category.id));
    });
  }
  await services.notifications.notify(
    context,
    'categories',
    deletedCategoryIds.map((id) => categoryNotice('DELETED', Number(id))),
  );
  return { deletedCategoryIds };
}

type Args<T> = { input: T };

/** A category's notice: seen by those who may View it (a DELETED one by everyone). */
export function categoryNotice(type: 'CREATED' | 'MODIFIED' | 'DELETED', id: number) {
  return { type, id, viewableThrough: [id] };
}

export function categoryMutationResolvers(services: DaletServices) {
  const single =
    (type: 'CREATED' | 'MODIFIED', run: (db: Kysely<DaletDatabase>, caller: DaletCaller, input: any) => Promise<CategoryRow>) =>
    async (_root: unknown, { input }: Args<unknown>, context: DaletContext, info: GraphQLResolveInfo) => {
      const caller = await daletCaller(context);
      return answerPartially<{ category: CategoryRow | null }>(services.partialErrors, context, info, { category: null }, async () => {
        const category = await context.db.transaction().execute((trx) => run(trx, caller, input));
        await services.notifications.notify(context, 'categories', [categoryNotice(type, category.id)]);
        return { category };
      });
    };
  return {
    Mutation: {
      createCategory: single('CREATED', createCategory),
      createShotList: single('CREATED', createShotList),
      updateCategory: single('MODIFIED', updateCategory),
      async deleteCategories(
        _root: unknown,
        { input }: Args<{ categoriesWith: DeleteFilter }>,
        context: DaletContext,
        info: GraphQLResolveInfo,
      ) {
        return answerPartially(services.partialErrors, context, info, { deletedCategoryIds: [] }, () =>
          deleteCategories(context, info, services, input.categoriesWith),
        );
      },
    },
  };
}
