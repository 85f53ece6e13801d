/**
 * The `process-asset` job: the type detected from the bytes (file-type), a file of another kind than its
 * library's rejected with the reason and its bytes removed, then metadata, thumbnails, tags and labels
 * (analyse.ts), recorded in one transaction with the asset READY. A job runs at least once: each run
 * replaces what an earlier one recorded.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile } from 'file-type';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Storage } from '../../kit/storage/index.ts';
import type { MediaSettings } from '../settings.ts';
import type { MediaDatabase } from '../store.ts';
import { assetPrefix } from '../uploads.ts';
import { kindOfMimeType, type AssetType } from '../validation.ts';
import { analyse, type AnalyseDeps, type Analysis } from './analyse.ts';

export interface ProcessingDeps extends AnalyseDeps {
  db: Kysely<MediaDatabase>;
  storage: Storage;
  settings: MediaSettings;
  log: Logger;
}

type Verdict = { status: 'REJECTED' | 'FAILED'; reason: string } | { status: 'READY'; contentType: string; analysis: Analysis };

export function createProcessAsset(deps: ProcessingDeps) {
  return async function processAsset({ assetId }: { assetId: string }): Promise<{ status: string }> {
    const asset = await deps.db
      .selectFrom('assets')
      .innerJoin('libraries', 'libraries.id', 'assets.library_id')
      .select(['assets.id', 'assets.library_id', 'assets.storage_key', 'assets.status', 'libraries.asset_type'])
      .where('assets.id', '=', assetId)
      .executeTakeFirst();
    if (!asset || asset.status !== 'UPLOAD_PROCESSING') return { status: asset?.status ?? 'DELETED' };

    const verdict = await judge(deps, asset.storage_key, asset.asset_type as AssetType);
    if (verdict.status === 'REJECTED') await deps.storage.delete(asset.storage_key);
    const thumbnailKeys =
      verdict.status === 'READY' ? await storeThumbnails(deps, asset.library_id, asset.id, verdict.analysis.thumbnails) : [];

    const recorded = await deps.db.transaction().execute(async (trx) => {
      const now = new Date().toISOString();
      const current = await trx.selectFrom('assets').select(['status', 'thumbnail_keys']).where('id', '=', assetId).executeTakeFirst();
      if (!current || current.status !== 'UPLOAD_PROCESSING') return undefined;
      await trx.deleteFrom('asset_enhancements').where('asset_id', '=', assetId).execute();
      if (verdict.status !== 'READY') {
        await trx
          .updateTable('assets')
          .set({ status: verdict.status, status_reason: verdict.reason, updated_at: now })
          .where('id', '=', assetId)
          .execute();
        return current;
      }
      const { analysis } = verdict;
      await trx
        .updateTable('assets')
        .set({
          status: 'READY',
          status_reason: null,
          content_type: verdict.contentType,
          width: analysis.width,
          height: analysis.height,
          duration: analysis.duration,
          thumbnail_keys: JSON.stringify(thumbnailKeys),
          updated_at: now,
        })
        .where('id', '=', assetId)
        .execute();
      await trx
        .insertInto('asset_enhancements')
        .values(
          analysis.enhancements.map((result) => ({
            id: randomUUID(),
            asset_id: assetId,
            enhancement_id: result.enhancement_id,
            status: result.status,
            thumbnail_count: result.thumbnail_count ?? null,
            file_size: result.file_size ?? null,
            image_tags: result.image_tags ? JSON.stringify(result.image_tags) : null,
            image_moderation_labels: result.image_moderation_labels ? JSON.stringify(result.image_moderation_labels) : null,
            created_at: now,
          })),
        )
        .execute();
      return current;
    });
    // Deleted or changed while processing: what this run stored must not outlive it.
    if (!recorded) {
      for (const key of thumbnailKeys) await deps.storage.delete(key);
      return { status: 'SUPERSEDED' };
    }
    const previous = (JSON.parse(recorded.thumbnail_keys) as string[]).filter((key) => !thumbnailKeys.includes(key));
    for (const key of previous) await deps.storage.delete(key);
    deps.log.info({ assetId, status: verdict.status }, 'processed an asset');
    return { status: verdict.status };
  };
}

async function judge(deps: ProcessingDeps, key: string, assetType: AssetType): Promise<Verdict> {
  const object = await deps.storage.head(key);
  if (!object) return { status: 'FAILED', reason: 'The file is missing from storage' };
  // S3 cannot cap a presigned PUT: the limit is checked here, and the bytes removed.
  if (object.size > deps.settings.maxUploadBytes)
    return { status: 'REJECTED', reason: `The file is larger than ${deps.settings.maxUploadBytes} bytes` };
  const folder = await mkdtemp(join(tmpdir(), 'media-'));
  try {
    const file = join(folder, 'original');
    await pipeline((await deps.storage.read(key))!, createWriteStream(file));
    const detected = await fileTypeFromFile(file);
    if (!detected) return { status: 'REJECTED', reason: 'The type of the file could not be recognised from its bytes' };
    if (kindOfMimeType(detected.mime) !== assetType) {
      return { status: 'REJECTED', reason: `The file is ${detected.mime} (from its bytes), but this library holds ${assetType} assets` };
    }
    try {
      return { status: 'READY', contentType: detected.mime, analysis: await analyse(deps, assetType, file) };
    } catch (error) {
      deps.log.warn({ err: error, key }, 'could not analyse a file');
      return { status: 'FAILED', reason: `The file could not be read as ${detected.mime}: ${(error as Error).message.split('\n')[0]}` };
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function storeThumbnails(deps: ProcessingDeps, libraryId: string, assetId: string, thumbnails: Buffer[]): Promise<string[]> {
  const keys: string[] = [];
  for (const [index, thumbnail] of thumbnails.entries()) {
    const key = `${assetPrefix(libraryId, assetId)}thumbnail-${index + 1}.jpg`;
    await deps.storage.put(key, thumbnail, { contentType: 'image/jpeg' });
    keys.push(key);
  }
  return keys;
}
