/** Libraries: create, read, update, delete, and the fields of `Library`. */
import { randomUUID } from 'node:crypto';
import type { SubgraphContext } from '../kit/build-subgraph.ts';
import { badUserInput } from '../../core/errors.ts';
import { authorizeProject, canRead, libraryFor, type LibraryRow } from './access.ts';
import { deleteLibrary } from './deletion.ts';
import type { MediaDatabase } from './store.ts';
import type { UploadDeps } from './uploads.ts';
import { ASSET_TYPES, requireDescription, requireName } from './validation.ts';

type Context = SubgraphContext<MediaDatabase>;

export function libraryResolvers(deps: UploadDeps) {
  return {
    Query: {
      get_library: (_: unknown, { id }: { id: string }, { db, principal }: Context) => libraryFor(db, principal, id, 'read', 'id'),
      list_libraries: async (_: unknown, { project_id }: { project_id: string }, { db, principal }: Context) => {
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
      create_library: async (
        _: unknown,
        args: { asset_type: string; description?: string | null; name: string; project_id: string },
        { db, principal }: Context,
      ) => {
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
      update_library: async (_: unknown, args: { description: string; name: string; id: string }, { db, principal }: Context) => {
        const library = await libraryFor(db, principal, args.id, 'write', 'id');
        const changes = {
          name: requireName(args.name, 'name'),
          description: requireDescription(args.description, 'description'),
          updated_at: new Date().toISOString(),
        };
        await db.updateTable('libraries').set(changes).where('id', '=', library.id).execute();
        return { ...library, ...changes };
      },
      delete_library: async (_: unknown, { id }: { id: string }, { db, principal }: Context) => {
        const library = await libraryFor(db, principal, id, 'write', 'id');
        await deleteLibrary(deps, library);
        return true;
      },
    },
    Library: {
      __resolveReference: async ({ id }: { id: string }, { db, principal }: Context) => {
        const library = await db.selectFrom('libraries').selectAll().where('id', '=', id).executeTakeFirst();
        return library && canRead(principal, library.project_id) ? library : null;
      },
      assets: (library: LibraryRow, _: unknown, { db }: Context) =>
        db.selectFrom('assets').selectAll().where('library_id', '=', library.id).orderBy('created_at', 'desc').orderBy('id').execute(),
      custom_domains: (library: LibraryRow, _: unknown, { db }: Context) =>
        db.selectFrom('custom_domains').selectAll().where('library_id', '=', library.id).orderBy('created_at').orderBy('id').execute(),
      total_media_assets: async (library: LibraryRow, _: unknown, { db }: Context) => {
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
