/** Projects and their members: the `Project` entity, `ProjectMember`, and the operations on them. */
import { randomUUID } from 'node:crypto';
import type { Resolvers } from './generated/resolvers-types.ts';
import { authorize, requireAuthenticated, roleIn } from '../kit/authorize.ts';
import { badUserInput, cognitiveCloudError, notFound } from '../../core/errors.ts';
import { can, PERMISSIONS, ROLES, type Role } from '../kit/permissions.ts';
import { KEY_COLUMNS } from './api-keys.ts';
import { referenced } from './loaders.ts';
import type { AccountsContext, AccountsServices } from './services.ts';
import type { ProjectMemberRow, ProjectParent, ProjectRow } from './store.ts';
import { requireEmail, requireText } from '../kit/validation.ts';
import { MAX_DESCRIPTION_LENGTH, requireMayGrant } from './validation.ts';

type Db = AccountsContext['db'];

/** How many keys `list_recently_used_api_keys` shows. */
const RECENTLY_USED_KEYS = 10;

export async function findProject(db: Db, id: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A project just written or checked by the caller's own request. */
async function getProject(db: Db, id: string): Promise<ProjectRow> {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function findMember(db: Db, projectId: string, userId: string): Promise<ProjectMemberRow | undefined> {
  return db.selectFrom('project_members').selectAll().where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
}

async function countAdmins(db: Db, projectId: string): Promise<number> {
  const { n } = await db
    .selectFrom('project_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .where('role', '=', 'ADMIN')
    .executeTakeFirstOrThrow();
  return Number(n);
}

function optionalDescription(description: string | null | undefined): string | null | undefined {
  return description == null
    ? description
    : requireText(description, 'description', { maxLength: MAX_DESCRIPTION_LENGTH, multiline: true });
}

export function projectResolvers({ lastUsed, loaders }: AccountsServices): Resolvers {
  // A user's principal may predate a membership made moments ago (create_project); the store has the last word.
  const callerRole = async (project: ProjectParent, { principal, db }: AccountsContext): Promise<Role | undefined> => {
    const known = project.my_role ?? roleIn(principal, project.id);
    if (known || principal.kind !== 'user') return known;
    return (await findMember(db, project.id, principal.userId))?.role;
  };

  return {
    Query: {
      async get_project(_root, { id }, { principal, db }) {
        authorize(principal, id, 'VIEW_PROJECT', 'id');
        const project = await findProject(db, id);
        if (!project) throw notFound('Project', 'id');
        return project;
      },
      async list_project_members(_root, { project_id }, { principal, db }) {
        authorize(principal, project_id, 'VIEW_TEAM_MEMBERS');
        return db
          .selectFrom('project_members')
          .selectAll()
          .where('project_id', '=', project_id)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
      },
      async list_user_projects(_root, _args, { principal, db }) {
        requireAuthenticated(principal);
        if (principal.userId === null) return [];
        let query = db.selectFrom('project_members').selectAll().where('user_id', '=', principal.userId);
        // An API key sees its creator's membership in the key's own project only.
        if (principal.kind === 'apiKey') query = query.where('project_id', 'in', Object.keys(principal.roles));
        return query.orderBy('created_at').orderBy('id').execute();
      },
      list_role_permissions(_root, _args, { principal }) {
        requireAuthenticated(principal);
        return Object.entries(PERMISSIONS).flatMap(([permission, { roles }]) =>
          ROLES.filter((role) => (roles as readonly Role[]).includes(role)).map((role) => ({
            id: `${role}:${permission}`,
            role_id: role,
            permission_id: permission,
          })),
        );
      },
    },
    Mutation: {
      async create_project(_root, args, { principal, db }) {
        requireAuthenticated(principal);
        if (principal.kind !== 'user') {
          throw cognitiveCloudError('FORBIDDEN', 'An API key acts within its own project; log in as a user to create a project');
        }
        const name = requireText(args.name, 'name');
        const description = optionalDescription(args.description) ?? null;
        const now = new Date().toISOString();
        const project: ProjectRow = {
          id: randomUUID(),
          name,
          description,
          owner_user_id: principal.userId,
          created_at: now,
          updated_at: now,
        };
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('projects').values(project).execute();
          await trx
            .insertInto('project_members')
            .values({
              id: randomUUID(),
              project_id: project.id,
              user_id: principal.userId,
              role: 'ADMIN',
              created_at: now,
              updated_at: now,
            })
            .execute();
          // A first project becomes the default one, so that a new user needs no extra step.
          await trx
            .updateTable('users')
            .set({ default_project_id: project.id })
            .where('id', '=', principal.userId)
            .where('default_project_id', 'is', null)
            .execute();
        });
        return { ...project, my_role: 'ADMIN' };
      },
      async update_project(_root, args, { principal, db }) {
        authorize(principal, args.project_id, 'EDIT_PROJECT');
        const name = requireText(args.name, 'name');
        const description = optionalDescription(args.description);
        if (!(await findProject(db, args.project_id))) throw notFound('Project', 'project_id');
        // An omitted description stays as it is; an explicit null clears it.
        const changes = { name, updated_at: new Date().toISOString(), ...(description === undefined ? {} : { description }) };
        await db.updateTable('projects').set(changes).where('id', '=', args.project_id).execute();
        return getProject(db, args.project_id);
      },
      async add_project_member(_root, args, { principal, db }) {
        const myRole = authorize(principal, args.project_id, 'INVITE_TEAM_MEMBERS');
        requireMayGrant(myRole, args.role, 'role');
        const email = requireEmail(args.email);
        if (!(await findProject(db, args.project_id))) throw notFound('Project', 'project_id');
        const now = new Date().toISOString();
        return db.transaction().execute(async (trx) => {
          // Someone who never logged in becomes a user now, and finds the project at first login.
          let user = await trx.selectFrom('users').select(['id', 'default_project_id']).where('email', '=', email).executeTakeFirst();
          if (!user) {
            user = { id: randomUUID(), default_project_id: null };
            await trx
              .insertInto('users')
              .values({
                id: user.id,
                email,
                first_name: null,
                last_name: null,
                default_project_id: null,
                picture_file: null,
                created_at: now,
                updated_at: now,
              })
              .execute();
          }
          if (await findMember(trx, args.project_id, user.id)) throw badUserInput('email', 'this user is already a member of the project');
          const member: ProjectMemberRow = {
            id: randomUUID(),
            project_id: args.project_id,
            user_id: user.id,
            role: args.role,
            created_at: now,
            updated_at: now,
          };
          await trx.insertInto('project_members').values(member).execute();
          if (user.default_project_id === null)
            await trx.updateTable('users').set({ default_project_id: args.project_id }).where('id', '=', user.id).execute();
          return member;
        });
      },
      async update_project_member(_root, args, { principal, db }) {
        const myRole = authorize(principal, args.project_id, 'EDIT_TEAM_MEMBERS');
        requireMayGrant(myRole, args.role, 'role');
        return db.transaction().execute(async (trx) => {
          const member = await findMember(trx, args.project_id, args.user_id);
          if (!member) throw notFound('Project member', 'user_id');
          requireMayGrant(myRole, member.role, 'user_id');
          if (member.role === 'ADMIN' && args.role !== 'ADMIN' && (await countAdmins(trx, args.project_id)) === 1) {
            throw badUserInput('role', 'the last ADMIN of a project cannot be demoted; make another member ADMIN first');
          }
          const updated = { ...member, role: args.role, updated_at: new Date().toISOString() };
          await trx
            .updateTable('project_members')
            .set({ role: updated.role, updated_at: updated.updated_at })
            .where('id', '=', member.id)
            .execute();
          return updated;
        });
      },
      async remove_project_member(_root, args, { principal, db }) {
        const myRole = authorize(principal, args.project_id, 'REMOVE_TEAM_MEMBERS');
        return db.transaction().execute(async (trx) => {
          const member = await findMember(trx, args.project_id, args.user_id);
          if (!member) throw notFound('Project member', 'user_id');
          requireMayGrant(myRole, member.role, 'user_id');
          if (member.role === 'ADMIN' && (await countAdmins(trx, args.project_id)) === 1) {
            throw badUserInput('user_id', 'the last ADMIN of a project cannot be removed; make another member ADMIN first');
          }
          await trx.deleteFrom('project_members').where('id', '=', member.id).execute();
          await trx
            .updateTable('users')
            .set({ default_project_id: null })
            .where('id', '=', args.user_id)
            .where('default_project_id', '=', args.project_id)
            .execute();
          return true;
        });
      },
    },
    Project: {
      __resolveReference({ id }, context) {
        authorize(context.principal, id, 'VIEW_PROJECT', 'id');
        return loaders.project(id, context);
      },
      async my_role(project, _args, context) {
        const role = await callerRole(project, context);
        if (!role) throw cognitiveCloudError('FORBIDDEN', 'The caller has no role in this project');
        return role;
      },
      owner: (project, _args, context) => referenced(loaders.user(project.owner_user_id, context), 'the owner of a project'),
      async members(project, _args, context) {
        if (!can(await callerRole(project, context), 'VIEW_TEAM_MEMBERS')) return [];
        const { db } = context;
        return db
          .selectFrom('project_members')
          .selectAll()
          .where('project_id', '=', project.id)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
      },
      // Roles that may not view keys get an empty list and a null count rather than an error, so that one
      // dashboard query works for every role.
      async list_recently_used_api_keys(project, _args, context) {
        if (!can(await callerRole(project, context), 'VIEW_API_KEYS')) return [];
        const { db } = context;
        const keys = await db.selectFrom('api_keys').select(KEY_COLUMNS).where('project_id', '=', project.id).execute();
        return keys
          .map((key) => ({ ...key, last_used_at: lastUsed.lastUsedAt(key.id, key.last_used_at) }))
          .filter((key) => key.last_used_at !== null)
          .sort((a, b) => b.last_used_at!.localeCompare(a.last_used_at!))
          .slice(0, RECENTLY_USED_KEYS);
      },
      async total_api_keys(project, _args, context) {
        if (!can(await callerRole(project, context), 'VIEW_API_KEYS')) return null;
        const { db } = context;
        const { n } = await db
          .selectFrom('api_keys')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('project_id', '=', project.id)
          .executeTakeFirstOrThrow();
        return Number(n);
      },
    },
    ProjectMember: {
      project: (member, _args, context) => referenced(loaders.project(member.project_id, context), 'the project of a member'),
      user: (member, _args, context) => referenced(loaders.user(member.user_id, context), 'the user of a member'),
    },
  };
}
