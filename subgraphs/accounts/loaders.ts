/**
 * The rows accounts' entities and parent fields fetch, loaded in batches (kit/batch-loader.ts): one
 * query per request and type however many `_entities` representations or list items ask for them.
 */
import { byKey, createBatchLoader } from '../kit/batch-loader.ts';
import { notFound } from '../../core/errors.ts';
import type { Principal } from '../../core/identity.ts';
import type { AccountsContext } from './services.ts';
import type { ProjectRow, PublicUserRow, UserRow } from './store.ts';

export type AccountsLoaders = ReturnType<typeof createAccountsLoaders>;

/** The project ids of the caller's roles; another user is visible when they share one of them. */
function callerProjectIds(principal: Principal): string[] {
  return principal.kind === 'user' || principal.kind === 'apiKey' ? Object.keys(principal.roles) : [];
}

export function createAccountsLoaders() {
  return {
    project: createBatchLoader<ProjectRow, AccountsContext>(async (ids, { db }) =>
      byKey(await db.selectFrom('projects').selectAll().where('id', 'in', ids).execute(), (row) => row.id),
    ),
    /** Users the caller is entitled to (members of a project of theirs: owners, members); no visibility check. */
    user: createBatchLoader<UserRow, AccountsContext>(async (ids, { db }) =>
      byKey(await db.selectFrom('users').selectAll().where('id', 'in', ids).execute(), (row) => row.id),
    ),
    /**
     * Users as an entity: the caller themself, or one who shares a project with the caller; anyone else
     * is NOT_FOUND, as a user that does not exist. Two queries per batch.
     */
    visibleUser: createBatchLoader<UserRow, AccountsContext>(async (ids, { db, principal }) => {
      const projectIds = callerProjectIds(principal);
      const [rows, shared] = await Promise.all([
        db.selectFrom('users').selectAll().where('id', 'in', ids).execute(),
        projectIds.length === 0
          ? []
          : db
              .selectFrom('project_members')
              .select('user_id')
              .distinct()
              .where('user_id', 'in', ids)
              .where('project_id', 'in', projectIds)
              .execute(),
      ]);
      const visible = new Set(shared.map((row) => row.user_id));
      if (principal.kind === 'user') visible.add(principal.userId);
      const found = new Map<string, UserRow | Error>(ids.filter((id) => !visible.has(id)).map((id) => [id, notFound('User', 'id')]));
      for (const row of rows) if (visible.has(row.id)) found.set(row.id, row);
      return found;
    }),
    publicUser: createBatchLoader<PublicUserRow, AccountsContext>(async (ids, { db }) =>
      byKey(
        await db.selectFrom('users').select(['id', 'first_name', 'last_name', 'picture_file']).where('id', 'in', ids).execute(),
        (row) => row.id,
      ),
    ),
  };
}

/** A row a foreign key points at: found, or the store is inconsistent (an unexpected error, masked). */
export async function referenced<Row>(row: Promise<Row | null>, what: string): Promise<Row> {
  const found = await row;
  if (found === null) throw new Error(`${what} is missing from the store`);
  return found;
}
