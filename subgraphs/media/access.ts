/**
 * Every media resolver reaches a library or an asset through these, so every read and write is scoped to
 * a project the caller has a role in: a library or asset of another project answers NOT_FOUND, exactly as
 * one that does not exist. Reading takes VIEW_MEDIA_LIBRARIES (any role), writing EDIT_MEDIA_LIBRARIES
 * (ADMIN, DEVELOPER).
 */
import type { Kysely, Selectable } from 'kysely';
import { authorize, requireAuthenticated, roleIn } from '../kit/authorize.ts';
import { notFound } from '../../core/errors.ts';
import type { Principal } from '../../core/identity.ts';
import type { AssetsTable, LibrariesTable, MediaDatabase } from './store.ts';

export type Access = 'read' | 'write';
export type LibraryRow = Selectable<LibrariesTable>;
export type AssetRow = Selectable<AssetsTable>;

const PERMISSION = { read: 'VIEW_MEDIA_LIBRARIES', write: 'EDIT_MEDIA_LIBRARIES' } as const;

export function authorizeProject(principal: Principal, projectId: string, access: Access, argumentName = 'project_id'): void {
  authorize(principal, projectId, PERMISSION[access], argumentName);
}

export async function libraryFor(
  db: Kysely<MediaDatabase>,
  principal: Principal,
  id: string,
  access: Access,
  argumentName: string,
): Promise<LibraryRow> {
  requireAuthenticated(principal);
  const library = await db.selectFrom('libraries').selectAll().where('id', '=', id).executeTakeFirst();
  if (!library || !roleIn(principal, library.project_id)) throw notFound('Library', argumentName);
  authorize(principal, library.project_id, PERMISSION[access], argumentName);
  return library;
}

export async function assetFor(
  db: Kysely<MediaDatabase>,
  principal: Principal,
  id: string,
  access: Access,
  argumentName = 'id',
): Promise<AssetRow> {
  requireAuthenticated(principal);
  const asset = await db.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirst();
  if (!asset || !roleIn(principal, asset.project_id)) throw notFound('Asset', argumentName);
  authorize(principal, asset.project_id, PERMISSION[access], argumentName);
  return asset;
}

/** Whether the caller may read this project's media, without throwing (for entity references). */
export function canRead(principal: Principal, projectId: string): boolean {
  return roleIn(principal, projectId) !== undefined;
}
