/** Libraries: create, read, update, delete, and the fields of `Library`. */
import type { Resolvers } from './generated/resolvers-types.ts';
import type { MediaServices } from './services.ts';
import { randomUUID } from 'node:crypto';
import { badUserInput } from '../../core/errors.ts';
import { authorizeProject, canRead, libraryFor } from './access.ts';
import { deleteLibrary } from './deletion.ts';
import { ASSET_TYPES, requireDescription, requireName } from './validation.ts';

export function libraryResolvers(deps: MediaServices): Resolvers {
  return {
    Query: {
      get_library: (_, { id }, { db, principal }) => libraryFor(db, principal, id, 'read', 'id'),
      list_libraries: async (_, { project_id }, { db, principal }) => {
        authorizeProject(principal, project_id, 'read');
        return db
          .selectFrom('libraries')
          .selectAll()
          .where('project_id', '=', project_id)
          .orderBy('created_at', 'desc')
          .orderBy('id')
          .execute();
      },
    },
    Mutation: {
      create_library: async (_, args, { db, principal }) => {
        authorizeProject(principal, args.project_id, 'write');
        if (!(ASSET_TYPES as readonly string[]).includes(args.asset_type))
          throw badUserInput('asset_type', `must be one of ${ASSET_TYPES.join(', ')}`);
        const now = new Date().toISOString();
        const library = {
          id: randomUUID(),
          project_id: args.project_id,
          name: requireName(args.name, 'name'),
          description: requireDescription(args.description, 'description'),
          asset_type: args.asset_type,
          created_at: now,
          updated_at: now,
        };
        await db.insertInto('libraries').values(library).execute();
        return library;
      },
      update_library: async (_, args, { db, principal }) => {
        const library = await libraryFor(db, principal, args.id, 'write', 'id');
        const changes = {
          name: requireName(args.name, 'name'),
          description: requireDescription(args.description, 'description'),
          updated_at: new Date().toISOString(),
        };
        await db.updateTable('libraries').set(changes).where('id', '=', library.id).execute();
        return { ...library, ...changes };
      },
      delete_library: async (_, { id }, { db, principal }) => {
        const library = await libraryFor(db, principal, id, 'write', 'id');
        await deleteLibrary(deps, library);
        return true;
      },
    },
    Library: {
      __resolveReference: async ({ id }, { db, principal }) => {
        const library = await db.selectFrom('libraries').selectAll().where('id', '=', id).executeTakeFirst();
        return library && canRead(principal, library.project_id) ? library : null;
      },
      assets: (library, _, { db }) =>
        db.selectFrom('assets').selectAll().where('library_id', '=', library.id).orderBy('created_at', 'desc').orderBy('id').execute(),
      custom_domains: (library, _, { db }) =>
        db.selectFrom('custom_domains').selectAll().where('library_id', '=', library.id).orderBy('created_at').orderBy('id').execute(),
      total_media_assets: async (library, _, { db }) => {
        const { count } = await db
          .selectFrom('assets')
          .select((eb) => eb.fn.countAll().as('count'))
          .where('library_id', '=', library.id)
          .executeTakeFirstOrThrow();
        return Number(count);
      },
    },
  };
}
