/** Writing categories: the full name kept in step with the tree, and the rights a new category starts with. */
import type { Kysely } from 'kysely';
import type { CategoryRow, DaletDatabase } from '../../store/tables.ts';
import { ALL_RIGHTS, copyRights, grant } from './rights.ts';

export const DEFAULT_COLOR = '#FFFFFF';
export const MAX_NAME_LENGTH = 31;
export const MAX_FULL_NAME_LENGTH = 254;

export interface NewCategory {
  name: string;
  shortName?: string | null;
  code?: string | null;
  description?: string | null;
  system?: boolean;
  runningOrder?: boolean | null;
  color?: string | null;
  keepDateOffset?: number | null;
  endDateOffset?: number | null;
  killDateOffset?: number | null;
  /** Whether it starts with its parent's rights; default true (personal categories do not: they are their user's). */
  inheritRights?: boolean;
}

export const fullNameUnder = (parent: Pick<CategoryRow, 'full_name'> | undefined, name: string) =>
  parent ? `${parent.full_name}/${name}` : name;

/**
 * Inserts a category under `parent` (none for the root). It starts with the parent's rights, and every right
 * for `ownerUserId` when given (the creator, or the user a personal category is made for).
 */
export async function insertCategory(
  db: Kysely<DaletDatabase>,
  parent: CategoryRow | undefined,
  fields: NewCategory,
  ownerUserId?: number,
): Promise<CategoryRow> {
  const inserted = await db
    .insertInto('categories')
    .values({
      name: fields.name,
      short_name: fields.shortName ?? fields.name,
      full_name: fullNameUnder(parent, fields.name),
      code: fields.code ?? parent?.code ?? null,
      description: fields.description ?? null,
      parent_id: parent?.id ?? null,
      system: Number(fields.system ?? false),
      running_order: Number(fields.runningOrder ?? false),
      color: fields.color ?? DEFAULT_COLOR,
      keep_date_offset: fields.keepDateOffset ?? 0,
      end_date_offset: fields.endDateOffset ?? 365,
      kill_date_offset: fields.killDateOffset ?? 365,
      created_at: new Date().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (parent && fields.inheritRights !== false) await copyRights(db, parent.id, inserted.id);
  if (ownerUserId !== undefined) await grant(db, inserted.id, { userId: ownerUserId }, ALL_RIGHTS);
  return inserted;
}

/** After a rename or a move: the full names of the category and of everything under it. */
export async function renameSubtree(db: Kysely<DaletDatabase>, categoryId: number, fullName: string): Promise<void> {
  await db.updateTable('categories').set({ full_name: fullName }).where('id', '=', categoryId).execute();
  const children = await db.selectFrom('categories').select(['id', 'name']).where('parent_id', '=', categoryId).execute();
  for (const child of children) await renameSubtree(db, child.id, `${fullName}/${child.name}`);
}

/** Whether `candidateId` is `categoryId` or lies under it (a category cannot move into its own subtree). */
export async function isInSubtree(db: Kysely<DaletDatabase>, categoryId: number, candidateId: number): Promise<boolean> {
  let current: number | null = candidateId;
  while (current !== null) {
    if (current === categoryId) return true;
    const row: { parent_id: number | null } | undefined = await db
      .selectFrom('categories')
      .select('parent_id')
      .where('id', '=', current)
      .executeTakeFirst();
    current = row?.parent_id ?? null;
  }
  return false;
}

/** Deletes a category and everything under it, children first (a user's personal folders when the user goes). */
export async function deleteSubtree(db: Kysely<DaletDatabase>, categoryId: number): Promise<void> {
  const children = await db.selectFrom('categories').select('id').where('parent_id', '=', categoryId).execute();
  for (const child of children) await deleteSubtree(db, child.id);
  await db.deleteFrom('categories').where('id', '=', categoryId).execute();
}
