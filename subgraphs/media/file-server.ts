/**
 * The library file server: under a library's verified custom domain (by the request's Host),
 * `GET /assets/<asset id>` serves a READY asset's file and `/assets/<asset id>/thumbnail` its first
 * thumbnail. Any other host, an unverified domain, another library's asset or one not READY is 404, so
 * nothing is served that a library's owners have not published.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Storage } from '../kit/storage/index.ts';
import type { MediaDatabase } from './store.ts';

const ASSET_ID = /^[0-9a-f-]{36}$/;

export function registerFileServer(app: FastifyInstance, { db, storage }: { db: Kysely<MediaDatabase>; storage: Storage }): void {
  const serve = async (hostname: string, assetId: string, part: 'original' | 'thumbnail', reply: FastifyReply) => {
    if (!ASSET_ID.test(assetId)) return notFound(reply);
    const asset = await db
      .selectFrom('assets')
      .innerJoin('custom_domains', 'custom_domains.library_id', 'assets.library_id')
      .select(['assets.storage_key', 'assets.thumbnail_keys', 'assets.content_type'])
      .where('custom_domains.domain', '=', hostname.toLowerCase())
      .where('custom_domains.verified_at', 'is not', null)
      .where('assets.id', '=', assetId)
      .where('assets.status', '=', 'READY')
      .executeTakeFirst();
    if (!asset) return notFound(reply);
    const key = part === 'original' ? asset.storage_key : (JSON.parse(asset.thumbnail_keys) as string[])[0];
    const object = key && (await storage.head(key));
    const body = key && object && (await storage.read(key));
    if (!object || !body) return notFound(reply);
    return reply
      .header('content-type', part === 'original' ? (asset.content_type ?? object.contentType) : 'image/jpeg')
      .header('content-length', object.size)
      .header('etag', `"${object.etag}"`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'public, max-age=300')
      .send(body);
  };
  app.get<{ Params: { assetId: string } }>('/assets/:assetId', (request, reply) =>
    serve(request.hostname, request.params.assetId, 'original', reply),
  );
  app.get<{ Params: { assetId: string } }>('/assets/:assetId/thumbnail', (request, reply) =>
    serve(request.hostname, request.params.assetId, 'thumbnail', reply),
  );
}

function notFound(reply: FastifyReply) {
  return reply.code(404).send({ error: 'Not found' });
}
