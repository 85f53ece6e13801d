/**
 * `npm run accounts -- create-admin-key [<project id>]`: a new ADMIN API key for the owner's default
 * project (or the project given), printed once to the terminal. For the operator who lost the bootstrap
 * key: it works on the store directly (DATA_DIR or DATABASE_URL, as the accounts service reads them), so it
 * needs the access to the database that only the operator has, and no running service.
 */
import { parseCommandLine } from '../../core/cli.ts';
import { openStore } from '../kit/store.ts';
import { createApiKey } from './api-keys.ts';
import { parseAccountsSettings } from './settings.ts';
import { migrations, type AccountsDatabase } from './store.ts';

const USAGE = `usage: npm run accounts -- create-admin-key [<project id>]

Creates an ADMIN API key for the owner (BOOTSTRAP_OWNER_EMAIL, default owner@localhost) on their default
project, or on <project id> where they are ADMIN, and prints it once. Reads DATA_DIR or DATABASE_URL as
the accounts service does; the service need not be running.`;

const [command, projectArgument, ...extra] = parseCommandLine(USAGE).positional;
if (command !== 'create-admin-key' || extra.length > 0) {
  console.error(USAGE);
  process.exit(2);
}

const { bootstrapOwnerEmail } = parseAccountsSettings(process.env);
const store = await openStore<AccountsDatabase>({
  name: 'accounts',
  dataDir: process.env.DATA_DIR ?? './data',
  databaseUrl: process.env.DATABASE_URL,
  migrations,
});
try {
  const owner = await store.db
    .selectFrom('users')
    .select(['id', 'default_project_id'])
    .where('email', '=', bootstrapOwnerEmail)
    .executeTakeFirst();
  if (!owner) throw new Error(`no user ${bootstrapOwnerEmail}: set BOOTSTRAP_OWNER_EMAIL to the owner's email`);
  const projectId = projectArgument ?? owner.default_project_id;
  const membership = projectId
    ? await store.db
        .selectFrom('project_members')
        .select('role')
        .where('project_id', '=', projectId)
        .where('user_id', '=', owner.id)
        .executeTakeFirst()
    : undefined;
  if (!projectId || membership?.role !== 'ADMIN')
    throw new Error(`${bootstrapOwnerEmail} is not ADMIN of project ${projectId ?? '(none)'}`);

  const key = await createApiKey(store.db, { projectId, userId: owner.id, name: 'Admin key (npm run accounts)', role: 'ADMIN' });
  // Printed, never logged: stdout is the operator's terminal, logs are shipped and kept.
  process.stdout.write(`ADMIN API key for project ${projectId} (shown once, store it now):\n${key}\n`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await store.close();
}
