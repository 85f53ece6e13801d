/**
 * The four categories createUser makes for each user, as the doc says, each with every right for that user:
 * one folder per user under each of the site's system folders ClipBin, Assignments, Private and Quick Save.
 */
import type { Kysely } from 'kysely';
import type { DaletDatabase } from '../../store/tables.ts';
import { insertCategory } from '../categories/category-store.ts';

export const ROOT_CATEGORY = 'CATEGORIES';

export const PERSONAL_FOLDERS = [
  { column: 'clip_bin_category_id', folder: 'ClipBin', folderCode: 'CLPBN', code: 'UCLB' },
  { column: 'assignments_category_id', folder: 'Assignments', folderCode: 'ASSGN', code: 'UASG' },
  { column: 'private_category_id', folder: 'Private', folderCode: 'PRIVT', code: 'UPRV' },
  { column: 'quick_save_category_id', folder: 'Quick Save', folderCode: 'QSAVE', code: 'UQSV' },
] as const;

export type PersonalCategoryIds = Record<(typeof PERSONAL_FOLDERS)[number]['column'], number>;

export async function createPersonalCategories(
  db: Kysely<DaletDatabase>,
  user: { id: number; login: string },
): Promise<PersonalCategoryIds> {
  const ids = {} as PersonalCategoryIds;
  for (const { column, folder, code } of PERSONAL_FOLDERS) {
    const parent = await db
      .selectFrom('categories')
      .selectAll()
      .where('full_name', '=', `${ROOT_CATEGORY}/${folder}`)
      .executeTakeFirstOrThrow();
    // Named after the user id too: logins may be longer than a category name may be.
    const category = await insertCategory(
      db,
      parent,
      { name: `${user.login.slice(0, 20)} ${user.id}`, code, system: true, inheritRights: false },
      user.id,
    );
    ids[column] = category.id;
  }
  await db.updateTable('users').set(ids).where('id', '=', user.id).execute();
  return ids;
}
