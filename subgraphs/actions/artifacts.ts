/**
 * Files actions write (a resized image, a PDF, a zip): kept under DATA_DIR/artifacts for a while
 * (ARTIFACT_TTL_SECONDS, 24 h by default), served by this subgraph at /artifacts/<key> under URLs signed
 * with the subgraph's key that expire with the file; a sweeper deletes them once expired. Workers write the
 * files and the subgraph serves them, so both must share DATA_DIR.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../kit/queue/index.ts';
import type { Keyring } from './secret.ts';
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
  dataDir: string;
  publicUrl: string;
  keyring: Keyring;
  ttlSeconds: number;
  clock?: Clock;
}

export interface ArtifactStore {
  save(jobId: string, bytes: Buffer, contentType: string): Promise<string>;
  /** Deletes every expired artifact; returns how many. */
  sweep(): Promise<number>;
  registerRoutes(app: FastifyInstance): void;
}

export function createArtifactStore({ db, dataDir, publicUrl, keyring, ttlSeconds, clock = { now: Date.now } }: ArtifactStoreOptions): ArtifactStore {
  const folder = join(dataDir, 'artifacts');
  const signature = (key: string, expires: string) => keyring.sign('artifact', `${key}\n${expires}`);

  return {
    async save(jobId, bytes, contentType) {
      const extension = EXTENSIONS[contentType];
      if (!extension) throw new Error(`no artifact type for ${contentType}`);
      const key = `${randomUUID()}.${extension}`;
      const now = clock.now();
      const expires = String(Math.floor(now / 1000) + ttlSeconds);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, key), bytes, { mode: 0o600 });
      await db
        .insertInto('artifacts')
        .values({ key, job_id: jobId, content_type: contentType, bytes: bytes.length, created_at: new Date(now).toISOString(), expires_at: new Date(Number(expires) * 1000).toISOString() })
        .execute();
      return `${publicUrl}/artifacts/${key}?expires=${expires}&signature=${signature(key, expires)}`;
    },
    async sweep() {
      const expired = await db.selectFrom('artifacts').select('key').where('expires_at', '<=', new Date(clock.now()).toISOString()).execute();
      for (const { key } of expired) {
        await rm(join(folder, key), { force: true });
        await db.deleteFrom('artifacts').where('key', '=', key).execute();
      }
      return expired.length;
    },
    registerRoutes(app) {
      app.get<{ Params: { key: string }; Querystring: { expires?: string; signature?: string } }>('/artifacts/:key', async (request, reply) => {
        const { key } = request.params;
        const { expires = '', signature: given = '' } = request.query;
        const expected = Buffer.from(signature(key, expires));
        const valid = /^\d+$/.test(expires) && Buffer.byteLength(given) === expected.length && timingSafeEqual(expected, Buffer.from(given));
        if (!valid || Number(expires) * 1000 <= clock.now()) return reply.code(403).send({ error: 'This link is invalid or has expired' });
        const artifact = await db.selectFrom('artifacts').select(['content_type', 'bytes']).where('key', '=', key).executeTakeFirst();
        if (!artifact) return reply.code(404).send({ error: 'Not found' });
        // Served as a download, never as a page of this origin (an SVG could hold script).
        reply.header('content-type', artifact.content_type);
        reply.header('content-length', artifact.bytes);
        reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
        reply.header('x-content-type-options', 'nosniff');
        reply.header('cache-control', 'private, max-age=3600');
        return reply.send(createReadStream(join(folder, key)));
      });
    },
  };
}
