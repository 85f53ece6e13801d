/**
 * On an empty store: the three system groups, the root category tree with its rights, and the
 * administrator of DALET_BOOTSTRAP_USER / DALET_BOOTSTRAP_PASSWORD. See README.md for the tree.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { ADMINISTRATORS, EDITORS, PUBLIC_GROUP } from './common/context.ts';
import { hashPassword } from './modules/authentication/passwords.ts';
import { insertCategory } from './modules/categories/category-store.ts';
import { grant } from './modules/categories/rights.ts';
import { createPersonalCategories, PERSONAL_FOLDERS, ROOT_CATEGORY } from './modules/users/personal-categories.ts';
import type { DaletSettings } from './settings.ts';
import type { DaletDatabase } from './store/tables.ts';

/** The shared folders under the root, beside the personal ones; EDITORS may write in these. */
const SHARED_FOLDERS = [
  { name: 'Glossaries', code: 'GLOSSARIES', system: true, editable: false },
  { name: 'Rundowns', code: 'RNDWN', runningOrder: true, editable: true },
  { name: 'To review', code: 'REVIEW', editable: true },
  { name: 'Archive', code: 'ARCH', editable: true },
];

const VIEW = { view: true, insert: false, remove: false };
const FULL = { view: true, insert: true, remove: true };

export async function bootstrapIfEmpty(db: Kysely<DaletDatabase>, settings: DaletSettings, log: Logger): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()) return;
    const group = (name: string, description: string, priority: number) =>
      trx.insertInto('user_groups').values({ name, description, priority, system: 1 }).returningAll().executeTakeFirstOrThrow();
    const administrators = await group(ADMINISTRATORS, 'Every right on every category; manage users and groups', 100);
    const everyone = await group(PUBLIC_GROUP, 'Every user: View on the shared tree', 0);
    const editors = await group(EDITORS, 'Insert and Remove in the shared folders', 10);

    const root = await insertCategory(trx, undefined, { name: ROOT_CATEGORY, code: 'ROOT', system: true });
    await grant(trx, root.id, { groupId: everyone.id }, VIEW);
    for (const { folder, folderCode } of PERSONAL_FOLDERS)
      await insertCategory(trx, root, { name: folder, code: folderCode, system: true });
    for (const { editable, ...folder } of SHARED_FOLDERS) {
      const category = await insertCategory(trx, root, folder);
      if (editable) await grant(trx, category.id, { groupId: editors.id }, FULL);
    }

    const admin = await trx
      .insertInto('users')
      .values({
        login: settings.bootstrapUser,
        first_name: 'Dalet',
        last_name: 'Administrator',
        remarks: 'Created at the first start',
        password_hash: await hashPassword(settings.bootstrapPassword),
        created_at: new Date().toISOString(),
      })
      .returning(['id', 'login'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('user_group_members')
      .values([administrators, everyone].map((member) => ({ user_group_id: member.id, user_id: admin.id })))
      .execute();
    await createPersonalCategories(trx, admin);
    log.info({ login: admin.login }, 'created the Dalet administrator and the root category tree');
  });
}
