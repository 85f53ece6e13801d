/**
 * Files actions write (a resized image, a PDF, a zip), kept in the kit's storage (the filesystem under
 * DATA_DIR by default, S3 with S3_BUCKET) for ARTIFACT_TTL_SECONDS (24 h by default) under the key
 * `artifacts/<uuid>.<ext>`, and handed out as signed GET URLs that expire with the file. A sweeper deletes
 * them once expired: the `artifacts` table says which and when. On the filesystem the subgraph serves the
 * URLs, so its workers must share its DATA_DIR (or use S3).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Storage } from '../kit/storage/index.ts';
import type { Clock } from '../kit/queue/index.ts';
import type { ActionsDatabase } from './store.ts';

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/svg+xml': 'svg',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
};

export interface ArtifactStoreOptions {
  db: Kysely<ActionsDatabase>;
  storage: Storage;
  ttlSeconds: number;
  clock?: Clock;
}

export interface ArtifactStore {
  /** Stores the file and returns its signed URL, valid as long as the file is kept. */
  save(jobId: string, bytes: Buffer, contentType: string): Promise<string>;
  /** Deletes every expired artifact; returns how many. */
  sweep(): Promise<number>;
}

export function createArtifactStore({ db, storage, ttlSeconds, clock = { now: Date.now } }: ArtifactStoreOptions): ArtifactStore {
  return {
    async save(jobId, bytes, contentType) {
      const extension = EXTENSIONS[contentType];
      if (!extension) throw new Error(`no artifact type for ${contentType}`);
      const key = `artifacts/${randomUUID()}.${extension}`;
      const now = clock.now();
      await storage.put(key, bytes, { contentType });
      await db
        .insertInto('artifacts')
        .values({
          key,
          job_id: jobId,
          content_type: contentType,
          bytes: bytes.length,
          created_at: new Date(now).toISOString(),
          expires_at: new Date(now + ttlSeconds * 1000).toISOString(),
        })
        .execute();
      return storage.signGet(key, { expiresInSeconds: ttlSeconds });
    },
    async sweep() {
      const expired = await db
        .selectFrom('artifacts')
        .select('key')
        .where('expires_at', '<=', new Date(clock.now()).toISOString())
        .execute();
      for (const { key } of expired) {
        await storage.delete(key);
        await db.deleteFrom('artifacts').where('key', '=', key).execute();
      }
      return expired.length;
    },
  };
}
