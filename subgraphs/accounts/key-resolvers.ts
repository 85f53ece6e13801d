/** API keys: `Key` and the operations on keys. A change or deletion takes effect at the next request. */
import type { Resolvers } from './generated/resolvers-types.ts';
import { authorize, requireAuthenticated, roleIn } from '../kit/authorize.ts';
import { notFound } from '../../core/errors.ts';
import type { Permission, Role } from '../kit/permissions.ts';
import { createApiKey, KEY_COLUMNS, type KeyParent } from './api-keys.ts';
import { referenced } from './loaders.ts';
import { findProject } from './project-resolvers.ts';
import type { AccountsContext, AccountsServices } from './services.ts';
import { requireText } from '../kit/validation.ts';
import { requireMayGrant } from './validation.ts';

/** What `create_api_key` grants when no role is given: enough to run jobs, nothing of team or billing. */
export const DEFAULT_KEY_ROLE: Role = 'DEVELOPER';

/**
 * The key with this id, if the caller may act on it with `permission`: a key of a project the caller has
 * no role in is NOT_FOUND, like a key that does not exist; a key whose role is above the caller's own may
 * not be touched (a DEVELOPER cannot rename, demote or delete an ADMIN key).
 */
async function findKeyToChange(context: AccountsContext, id: string, permission: Permission): Promise<{ key: KeyParent; myRole: Role }> {
  const { principal, db } = context;
  requireAuthenticated(principal);
  const key = await db.selectFrom('api_keys').select(KEY_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!key || !roleIn(principal, key.project_id)) throw notFound('API key', 'id');
  const myRole = authorize(principal, key.project_id, permission, 'id');
  requireMayGrant(myRole, key.role, 'id');
  return { key, myRole };
}

export function keyResolvers({ lastUsed, loaders }: AccountsServices): Resolvers {
  return {
    Query: {
      async list_api_keys(_root, { project_id }, { principal, db }) {
        authorize(principal, project_id, 'VIEW_API_KEYS');
        return db
          .selectFrom('api_keys')
          .select(KEY_COLUMNS)
          .where('project_id', '=', project_id)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
      },
      async is_valid_api_key(_root, _args, { principal, db }) {
        requireAuthenticated(principal);
        if (principal.kind !== 'apiKey') return false;
        return (await db.selectFrom('api_keys').select('id').where('id', '=', principal.keyId).executeTakeFirst()) !== undefined;
      },
    },
    Mutation: {
      async create_api_key(_root, args, { principal, db }) {
        requireAuthenticated(principal);
        const myRole = authorize(principal, args.project_id, 'CREATE_API_KEYS');
        const role = args.role ?? DEFAULT_KEY_ROLE;
        requireMayGrant(myRole, role, 'role');
        const name = requireText(args.name, 'name');
        if (!(await findProject(db, args.project_id))) throw notFound('Project', 'project_id');
        return createApiKey(db, { projectId: args.project_id, userId: principal.userId, name, role });
      },
      async update_api_key(_root, args, context) {
        const name = requireText(args.name, 'name');
        const { key, myRole } = await findKeyToChange(context, args.id, 'EDIT_API_KEYS');
        requireMayGrant(myRole, args.role, 'role');
        const updated = { ...key, name, role: args.role, updated_at: new Date().toISOString() };
        await context.db
          .updateTable('api_keys')
          .set({ name, role: args.role, updated_at: updated.updated_at })
          .where('id', '=', key.id)
          .execute();
        return updated;
      },
      async delete_api_key(_root, { id }, context) {
        const { key } = await findKeyToChange(context, id, 'DELETE_API_KEYS');
        await context.db.deleteFrom('api_keys').where('id', '=', key.id).execute();
        return true;
      },
    },
    Key: {
      last_used_at: (key: KeyParent) => lastUsed.lastUsedAt(key.id, key.last_used_at),
      project: (key, _args, context) => referenced(loaders.project(key.project_id, context), 'the project of a key'),
    },
  };
}
