/**
 * First start on an empty store: an owner user, a project that is the owner's default and where the owner is
 * ADMIN, and an ADMIN key for it, so that a fresh install can be used at once. Runs only while the store has
 * no user at all, so a restart never bootstraps twice.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { createApiKey } from './api-keys.ts';
import type { AccountsSettings } from './settings.ts';
import type { AccountsDatabase } from './store.ts';

const BOOTSTRAP_PROJECT_NAME = 'Default project';
const BOOTSTRAP_KEY_NAME = 'Bootstrap admin key';

export interface BootstrapResult {
  /** The generated key, when BOOTSTRAP_ADMIN_KEY was not set; the only moment it exists in plain text. */
  generatedKey: string | undefined;
}

export async function bootstrapIfEmpty(
  db: Kysely<AccountsDatabase>,
  settings: Pick<AccountsSettings, 'bootstrapOwnerEmail' | 'bootstrapAdminKey'>,
  log: Logger,
): Promise<BootstrapResult | undefined> {
  const now = new Date().toISOString();
  const ownerUserId = randomUUID();
  const projectId = randomUUID();
  const key = await db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()) return undefined;
    await trx
      .insertInto('users')
      .values({
        id: ownerUserId,
        email: settings.bootstrapOwnerEmail,
        first_name: null,
        last_name: null,
        default_project_id: projectId,
        picture_file: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('projects')
      .values({
        id: projectId,
        name: BOOTSTRAP_PROJECT_NAME,
        description: null,
        owner_user_id: ownerUserId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('project_members')
      .values({ id: randomUUID(), project_id: projectId, user_id: ownerUserId, role: 'ADMIN', created_at: now, updated_at: now })
      .execute();
    return createApiKey(trx, { projectId, userId: ownerUserId, name: BOOTSTRAP_KEY_NAME, role: 'ADMIN', key: settings.bootstrapAdminKey });
  });
  if (key === undefined) return undefined;

  log.info(
    { ownerEmail: settings.bootstrapOwnerEmail, projectId, keyGiven: settings.bootstrapAdminKey !== undefined },
    'bootstrapped an empty store: owner, project and ADMIN key created',
  );
  return { generatedKey: settings.bootstrapAdminKey === undefined ? key : undefined };
}
