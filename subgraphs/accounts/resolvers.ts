import { randomUUID } from 'node:crypto';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { SubgraphContext } from '../kit/build-subgraph.ts';
import { authorize, requireAuthenticated, roleIn } from '../kit/authorize.ts';
import { badUserInput, cognitiveCloudError, notFound } from '../kit/errors.ts';
import type { AccountsDatabase, ProjectRow } from './store.ts';

type Context = SubgraphContext<AccountsDatabase>;

const MAX_NAME_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 2000;

function requireText(value: string, argumentName: string, maxLength: number): string {
  const trimmed = value.trim();
  if (trimmed === '') throw badUserInput(argumentName, 'must not be empty');
  if (trimmed.length > maxLength) throw badUserInput(argumentName, `must be at most ${maxLength} characters`);
  return trimmed;
}

async function findProject(db: Context['db'], id: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}

export const resolvers: GraphQLResolverMap<Context> = {
  Query: {
    async get_me(_root, _args, { principal, db }) {
      requireAuthenticated(principal);
      const user = principal.userId && (await db.selectFrom('users').selectAll().where('id', '=', principal.userId).executeTakeFirst());
      if (!user) throw notFound('User', 'id');
      return user;
    },
    async get_project(_root, { id }: { id: string }, { principal, db }) {
      authorize(principal, id, 'VIEW_PROJECT', 'id');
      const project = await findProject(db, id);
      if (!project) throw notFound('Project', 'id');
      return project;
    },
  },
  Mutation: {
    async create_project(_root, args: { name: string; description?: string | null }, { principal, db }) {
      requireAuthenticated(principal);
      if (principal.kind !== 'user') {
        throw cognitiveCloudError('FORBIDDEN', 'An API key acts within its own project; log in as a user to create a project');
      }
      const name = requireText(args.name, 'name', MAX_NAME_LENGTH);
      const description = args.description == null ? null : requireText(args.description, 'description', MAX_DESCRIPTION_LENGTH);
      const now = new Date().toISOString();
      const project: ProjectRow = { id: randomUUID(), name, description, owner_user_id: principal.userId, created_at: now, updated_at: now };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('projects').values(project).execute();
        await trx
          .insertInto('project_members')
          .values({ id: randomUUID(), project_id: project.id, user_id: principal.userId, role: 'ADMIN', created_at: now, updated_at: now })
          .execute();
      });
      return { ...project, my_role: 'ADMIN' };
    },
  },
  Project: {
    async __resolveReference({ id }: { id: string }, { principal, db }: Context) {
      authorize(principal, id, 'VIEW_PROJECT', 'id');
      return findProject(db, id);
    },
    my_role(project: ProjectRow & { my_role?: string }, _args: unknown, { principal }: Context) {
      return project.my_role ?? roleIn(principal, project.id);
    },
  },
  User: {
    async __resolveReference({ id }: { id: string }, { principal, db }: Context) {
      requireAuthenticated(principal);
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
  },
};
