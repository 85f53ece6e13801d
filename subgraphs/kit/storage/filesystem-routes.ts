/**
 * The routes behind the filesystem backend's signed URLs, on the service's own fastify app:
 * `PUT /storage/o/<key>?...` stores an object or a multipart part, `GET /storage/o/<key>?...` serves one.
 * A PUT is refused (403) for a bad or expired signature or another Content-Type than signed, (413)
 * when its Content-Length, or the bytes actually sent, pass the signed maximum, (400 / 415) when its bytes
 * are checked and are empty or of another type, and (409) when its single-use URL was used: nothing is
 * stored then.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { fileTypeFromFile } from 'file-type';
import { verifyGrant, type UrlGrant } from './signed-url.ts';
import { spool, TooLarge } from './spool.ts';
import { StorageError, type StoredObject } from './storage.ts';

export interface StorageRouteHandlers {
  signingSecret: string;
  now: () => number;
  tmp: string;
  /** Settles once the storage's folders exist (uploads are spooled into `tmp`). */
  ready: Promise<unknown>;
  head(key: string): Promise<StoredObject | undefined>;
  objectFile(key: string): string;
  /** Records a single-use URL's token as used; false when it already was. */
  claim(token: string, expiresAtSeconds: number): Promise<boolean>;
  storeObject(key: string, file: string, object: StoredObject): Promise<void>;
  storePart(key: string, uploadId: string, partNumber: number, file: string, part: { size: number; etag: string }): Promise<void>;
}

type SignedRequest = { Params: { '*': string }; Querystring: Record<string, string | undefined> };

export function registerStorageRoutes(app: FastifyInstance, handlers: StorageRouteHandlers): void {
  const nowSeconds = () => Math.floor(handlers.now() / 1000);
  app.register(async (scope) => {
    // The body stays a stream: it is spooled to disk with the size limit, never buffered whole.
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    // Signed URLs carry their signature: request lines are not logged (warnings and errors are).
    scope.put<SignedRequest>('/storage/o/*', { logLevel: 'warn' }, async (request, reply) => {
      const key = request.params['*'];
      const verdict = verifyGrant(handlers.signingSecret, 'PUT', key, request.query, nowSeconds());
      if (!verdict.ok) return refuse(reply, verdict.status, verdict.reason);
      const { grant } = verdict;
      const contentType = (request.headers['content-type'] ?? '').trim().toLowerCase();
      if (!grant.uploadId && contentType !== grant.contentType.toLowerCase()) {
        return refuse(reply, 403, `The upload must be sent with Content-Type: ${grant.contentType}`);
      }
      const declared = Number(request.headers['content-length']);
      if (grant.maxBytes && Number.isFinite(declared) && declared > grant.maxBytes) return tooLarge(reply, grant.maxBytes);

      const body = (request.body as Readable | undefined) ?? Buffer.alloc(0);
      await handlers.ready;
      let spooled;
      try {
        spooled = await spool(body, handlers.tmp, grant.maxBytes || undefined);
      } catch (error) {
        if (error instanceof TooLarge) return tooLarge(reply, grant.maxBytes);
        throw error;
      }
      const refusal = await checkSpooled(handlers, grant, spooled);
      if (refusal) {
        await rm(spooled.file, { force: true });
        return refuse(reply, refusal.status, refusal.error);
      }
      try {
        if (grant.uploadId)
          await handlers.storePart(key, grant.uploadId, grant.partNumber, spooled.file, { size: spooled.size, etag: spooled.md5 });
        else await handlers.storeObject(key, spooled.file, { size: spooled.size, contentType: grant.contentType, etag: spooled.md5 });
      } catch (error) {
        await rm(spooled.file, { force: true });
        if (error instanceof StorageError) return refuse(reply, 404, error.message);
        throw error;
      }
      return reply.header('etag', `"${spooled.md5}"`).header('access-control-expose-headers', 'ETag').code(200).send();
    });
  });

  app.get<SignedRequest>('/storage/o/*', { logLevel: 'warn' }, async (request, reply) => {
    const key = request.params['*'];
    const verdict = verifyGrant(handlers.signingSecret, 'GET', key, request.query, nowSeconds());
    if (!verdict.ok) return refuse(reply, verdict.status, verdict.reason);
    const object = await handlers.head(key).catch(() => undefined);
    if (!object) return refuse(reply, 404, 'No such object');
    return sendObject(reply, handlers.objectFile(key), object, 'private, max-age=60');
  });
}

/**
 * The checks that need the bytes, in this order: their type when the URL says so, then the single use,
 * claimed last so that a refused upload leaves the URL usable.
 */
async function checkSpooled(
  handlers: StorageRouteHandlers,
  grant: UrlGrant,
  spooled: { file: string; size: number },
): Promise<{ status: number; error: string } | undefined> {
  if (grant.checkBytes) {
    if (spooled.size === 0) return { status: 400, error: 'The upload is empty' };
    const detected = (await fileTypeFromFile(spooled.file))?.mime;
    if (detected !== grant.contentType.toLowerCase())
      return { status: 415, error: `The upload is not ${grant.contentType}: its bytes are ${detected ?? 'of no known type'}` };
  }
  if (grant.token && !(await handlers.claim(grant.token, grant.expires))) return { status: 409, error: 'This upload URL was already used' };
  return undefined;
}

/** Sends a stored file with headers that keep a browser from running it as a page of this origin. */
export function sendObject(reply: FastifyReply, file: string, object: StoredObject, cacheControl: string) {
  return reply
    .header('content-type', object.contentType)
    .header('content-length', object.size)
    .header('etag', `"${object.etag}"`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', cacheControl)
    .send(createReadStream(file));
}

function tooLarge(reply: FastifyReply, maxBytes: number) {
  // The rest of the body is not read: the connection is closed after the answer.
  return reply
    .header('connection', 'close')
    .code(413)
    .send({ error: `The upload is larger than ${maxBytes} bytes` });
}

function refuse(reply: FastifyReply, status: number, error: string) {
  return reply.code(status).send({ error });
}
