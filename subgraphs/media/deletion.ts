/**
 * Deleting an asset removes its stored files (original and thumbnails) and any unfinished multipart parts
 * before its row, so nothing is left orphaned in storage; a library does the same for all of its assets,
 * under its one key prefix.
 */
import type { AssetRow, LibraryRow } from './access.ts';
import { assetPrefix, libraryPrefix, type UploadDeps } from './uploads.ts';

type Deps = Pick<UploadDeps, 'db' | 'storage'>;

async function abortUploads(deps: Deps, assetIds: string[]): Promise<void> {
  if (assetIds.length === 0) return;
  const uploads = await deps.db.selectFrom('uploads').select(['storage_key', 'upload_id']).where('asset_id', 'in', assetIds).execute();
  for (const upload of uploads) if (upload.upload_id) await deps.storage.abortMultipartUpload(upload.storage_key, upload.upload_id);
}

export async function deleteAsset(deps: Deps, asset: AssetRow): Promise<void> {
  await abortUploads(deps, [asset.id]);
  await deps.storage.deletePrefix(assetPrefix(asset.library_id, asset.id));
  await deps.db.deleteFrom('assets').where('id', '=', asset.id).execute();
}

export async function deleteLibrary(deps: Deps, library: LibraryRow): Promise<void> {
  const assets = await deps.db.selectFrom('assets').select('id').where('library_id', '=', library.id).execute();
  await abortUploads(
    deps,
    assets.map((asset) => asset.id),
  );
  await deps.storage.deletePrefix(libraryPrefix(library.id));
  // Assets, their enhancements and uploads, and the custom domains go with it (ON DELETE CASCADE).
  await deps.db.deleteFrom('libraries').where('id', '=', library.id).execute();
}
