/**
 * View, Insert and Remove rights on categories, held by users and by user groups (see README.md for how
 * they are granted). A caller's right on a category is the union of their own and their groups';
 * administrators hold every right.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { DaletCaller } from '../../common/context.ts';
import type { DaletDatabase } from '../../store/tables.ts';

export interface Rights {
  view: boolean;
  insert: boolean;
  remove: boolean;
}

export const ALL_RIGHTS: Rights = Object.freeze({ view: true, insert: true, remove: true });

type Right = 'can_view' | 'can_insert' | 'can_remove';

/** The rights rows that are the caller's, as a Kysely filter on category_rights. */
function heldBy(caller: DaletCaller) {
  return (eb: ExpressionBuilder<DaletDatabase, 'category_rights'>) =>
    caller.groupIds.length
      ? eb.or([eb('category_rights.user_id', '=', caller.userId), eb('category_rights.user_group_id', 'in', caller.groupIds)])
      : eb('category_rights.user_id', '=', caller.userId);
}

/** The ids of the categories the caller holds `right` on, as a subquery for `where('id', 'in', ...)`. */
export function categoriesWithRight(db: Kysely<DaletDatabase>, caller: DaletCaller, right: Right = 'can_view') {
  return db.selectFrom('category_rights').select('category_rights.category_id').where(right, '=', 1).where(heldBy(caller));
}

export async function rightsOn(db: Kysely<DaletDatabase>, caller: DaletCaller, categoryId: number): Promise<Rights> {
  if (caller.isAdministrator) return ALL_RIGHTS;
  const rows = await db
    .selectFrom('category_rights')
    .select(['can_view', 'can_insert', 'can_remove'])
    .where('category_id', '=', categoryId)
    .where(heldBy(caller))
    .execute();
  return {
    view: rows.some((row) => row.can_view === 1),
    insert: rows.some((row) => row.can_insert === 1),
    remove: rows.some((row) => row.can_remove === 1),
  };
}

export async function grant(
  db: Kysely<DaletDatabase>,
  categoryId: number,
  holder: { userId: number } | { groupId: number },
  rights: Rights,
): Promise<void> {
  await db
    .insertInto('category_rights')
    .values({
      category_id: categoryId,
      user_id: 'userId' in holder ? holder.userId : null,
      user_group_id: 'groupId' in holder ? holder.groupId : null,
      can_view: Number(rights.view),
      can_insert: Number(rights.insert),
      can_remove: Number(rights.remove),
    })
    .execute();
}

/** A new category starts with its parent's rights (so a group's rights on a folder hold in its sub-folders). */
export async function copyRights(db: Kysely<DaletDatabase>, fromCategoryId: number, toCategoryId: number): Promise<void> {
  const rows = await db
    .selectFrom('category_rights')
    .select(['user_id', 'user_group_id', 'can_view', 'can_insert', 'can_remove'])
    .where('category_id', '=', fromCategoryId)
    .execute();
  if (rows.length)
    await db
      .insertInto('category_rights')
      .values(rows.map((row) => ({ ...row, category_id: toCategoryId })))
      .execute();
}
