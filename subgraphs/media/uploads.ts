/**
 * The life of an asset's bytes: signed single and multipart uploads, their arrival (a signed PUT to this
 * service, a finished multipart upload, an import, or an S3 object found by the sweep), which hands the
 * asset to processing, and the sweep of uploads that never came.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { badUserInput } from '../../core/errors.ts';
import { enqueue } from '../kit/queue/index.ts';
import { StorageError, type Storage } from '../kit/storage/index.ts';
import type { LibraryRow } from './access.ts';
import type { MediaSettings } from './settings.ts';
import type { MediaDatabase } from './store.ts';

export const PROCESS_ASSET_JOB = 'process-asset';
const MAX_PARTS = 10_000;
// S3's largest part; a part URL of the filesystem backend is signed with this limit too.
const MAX_PART_BYTES = 5 * 1024 * 1024 * 1024;

export interface UploadDeps {
  db: Kysely<MediaDatabase>;
  storage: Storage;
  settings: MediaSettings;
  log: Logger;
  /** Tells the processing worker there is a new job. */
  wake(): void;
}

export const libraryPrefix = (libraryId: string) => `libraries/${libraryId}/`;
export const assetPrefix = (libraryId: string, assetId: string) => `${libraryPrefix(libraryId)}assets/${assetId}/`;

interface NewAsset {
  library: LibraryRow;
  name: string;
  contentType: string;
}

async function insertPendingAsset(deps: UploadDeps, { library, name, contentType }: NewAsset) {
  const id = randomUUID();
  const now = new Date().toISOString();
  const storageKey = `${assetPrefix(library.id, id)}original`;
  await deps.db
    .insertInto('assets')
    .values({
      id,
      library_id: library.id,
      project_id: library.project_id,
      name,
      declared_content_type: contentType,
      content_type: null,
      size: null,
      duration: null,
      width: null,
      height: null,
      status: 'UPLOAD_PENDING',
      status_reason: null,
      storage_key: storageKey,
      thumbnail_keys: '[]',
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, storageKey };
}

function expiresAt(deps: UploadDeps): string {
  return new Date(Date.now() + deps.settings.uploadUrlTtlSeconds * 1000).toISOString();
}

export async function createSingleUpload(deps: UploadDeps, asset: NewAsset) {
  const { id, storageKey } = await insertPendingAsset(deps, asset);
  await deps.db
    .insertInto('uploads')
    .values({
      id: randomUUID(),
      asset_id: id,
      storage_key: storageKey,
      kind: 'single',
      upload_id: null,
      parts: 1,
      expires_at: expiresAt(deps),
      created_at: new Date().toISOString(),
    })
    .execute();
  const { uploadUrlTtlSeconds, downloadUrlTtlSeconds, maxUploadBytes } = deps.settings;
  return {
    asset_id: id,
    upload_url: await deps.storage.signPut(storageKey, {
      contentType: asset.contentType,
      maxBytes: maxUploadBytes,
      expiresInSeconds: uploadUrlTtlSeconds,
      // A second PUT would replace an original already processed (the filesystem refuses it; see the kit's README for S3).
      singleUse: true,
    }),
    download_url: await deps.storage.signGet(storageKey, { expiresInSeconds: downloadUrlTtlSeconds }),
  };
}

export async function createMultipartUpload(deps: UploadDeps, asset: NewAsset, parts: number) {
  if (!Number.isInteger(parts) || parts < 1 || parts > MAX_PARTS)
    throw badUserInput('parts', `must be a whole number from 1 to ${MAX_PARTS}`);
  const { id, storageKey } = await insertPendingAsset(deps, asset);
  const uploadId = await deps.storage.createMultipartUpload(storageKey, { contentType: asset.contentType });
  await deps.db
    .insertInto('uploads')
    .values({
      id: randomUUID(),
      asset_id: id,
      storage_key: storageKey,
      kind: 'multipart',
      upload_id: uploadId,
      parts,
      expires_at: expiresAt(deps),
      created_at: new Date().toISOString(),
    })
    .execute();
  const maxBytes = Math.min(deps.settings.maxUploadBytes, MAX_PART_BYTES);
  const signedUrls: string[] = [];
  for (let part = 1; part <= parts; part += 1) {
    signedUrls.push(
      await deps.storage.signPart(storageKey, uploadId, part, { maxBytes, expiresInSeconds: deps.settings.uploadUrlTtlSeconds }),
    );
  }
  return { asset_id: id, key: storageKey, bucket: deps.storage.bucket, uploadId, signedUrls };
}

/** The multipart upload row behind (upload_id, key), for the caller to check rights on its asset. */
export async function findMultipartUpload(db: Kysely<MediaDatabase>, uploadId: string, key: string) {
  return db
    .selectFrom('uploads')
    .selectAll()
    .where('upload_id', '=', uploadId)
    .where('storage_key', '=', key)
    .where('kind', '=', 'multipart')
    .executeTakeFirst();
}

/** Joins the parts, part i+1 being `etags[i]`, with S3's rules; a broken rule is the caller's error. */
export async function finishMultipartUpload(
  deps: UploadDeps,
  upload: { asset_id: string; storage_key: string; upload_id: string | null; parts: number },
  etags: string[],
) {
  if (etags.length === 0 || etags.length > upload.parts)
    throw badUserInput('etags', `must list the ETag of each part uploaded, 1 to ${upload.parts}`);
  try {
    await deps.storage.completeMultipartUpload(
      upload.storage_key,
      upload.upload_id!,
      etags.map((etag, index) => ({ partNumber: index + 1, etag })),
    );
  } catch (error) {
    if (error instanceof StorageError) throw badUserInput('etags', `${error.code}: ${error.message}`);
    throw error;
  }
  await uploadArrived(deps, upload.asset_id);
}

/** Stores the bytes of an import (already fetched through the outbound guard). */
export async function storeImported(deps: UploadDeps, asset: NewAsset, body: Readable) {
  const { id, storageKey } = await insertPendingAsset(deps, asset);
  try {
    await deps.storage.put(storageKey, body, { contentType: asset.contentType });
  } catch (error) {
    await deps.storage.delete(storageKey);
    await deps.db.deleteFrom('assets').where('id', '=', id).execute();
    throw error;
  }
  await uploadArrived(deps, id);
  return id;
}

/**
 * The bytes of an asset are stored: its upload row goes, and processing is queued in the same
 * transaction, so an asset is never left arrived but unprocessed. An object whose asset is gone (deleted
 * while the upload ran) is removed.
 */
export async function uploadArrived(deps: UploadDeps, assetId: string): Promise<void> {
  const asset = await deps.db.selectFrom('assets').select(['id', 'storage_key']).where('id', '=', assetId).executeTakeFirst();
  if (!asset) return;
  const object = await deps.storage.head(asset.storage_key);
  if (!object) return;
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('uploads').where('asset_id', '=', assetId).execute();
    await trx
      .updateTable('assets')
      .set({ status: 'UPLOAD_PROCESSING', status_reason: null, size: object.size, updated_at: new Date().toISOString() })
      .where('id', '=', assetId)
      .execute();
    await enqueue(trx, { kind: PROCESS_ASSET_JOB, payload: { assetId }, maxAttempts: 3 });
  });
  deps.wake();
}

/** A signed PUT stored `key` (filesystem): the asset it belongs to moves on. */
export async function objectStored(deps: UploadDeps, key: string): Promise<void> {
  const asset = await deps.db.selectFrom('assets').select('id').where('storage_key', '=', key).executeTakeFirst();
  if (!asset) {
    await deps.storage.delete(key);
    return;
  }
  await uploadArrived(deps, asset.id);
}

/**
 * Runs every MEDIA_SWEEP_INTERVAL_MS: on S3, single uploads whose object has appeared are handed on
 * (S3 tells nobody); uploads past their expiry are swept: parts aborted, any object deleted, the asset
 * FAILED with the reason.
 */
export async function sweepUploads(deps: UploadDeps): Promise<void> {
  const now = new Date().toISOString();
  if (deps.storage.kind === 's3') {
    const waiting = await deps.db
      .selectFrom('uploads')
      .select(['asset_id', 'storage_key'])
      .where('kind', '=', 'single')
      .where('expires_at', '>', now)
      .execute();
    for (const upload of waiting) if (await deps.storage.head(upload.storage_key)) await uploadArrived(deps, upload.asset_id);
  }
  const expired = await deps.db.selectFrom('uploads').selectAll().where('expires_at', '<=', now).execute();
  for (const upload of expired) {
    if (upload.kind === 'single' && (await deps.storage.head(upload.storage_key))) {
      await uploadArrived(deps, upload.asset_id);
      continue;
    }
    if (upload.upload_id) await deps.storage.abortMultipartUpload(upload.storage_key, upload.upload_id);
    await deps.storage.delete(upload.storage_key);
    await deps.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('uploads').where('id', '=', upload.id).execute();
      await trx
        .updateTable('assets')
        .set({ status: 'FAILED', status_reason: 'The upload was not finished before its URL expired', updated_at: now })
        .where('id', '=', upload.asset_id)
        .where('status', '=', 'UPLOAD_PENDING')
        .execute();
    });
    deps.log.info({ assetId: upload.asset_id }, 'swept an upload that was not finished in time');
  }
}
