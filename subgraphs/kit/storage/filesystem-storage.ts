/**
 * The filesystem backend: objects under `<root>/objects/<key>`, each with its content type and ETag in
 * `<root>/meta/<key>.json`; multipart uploads under `<root>/multipart/<uploadId>/` until completed or
 * aborted. Signed URLs point at this service's own routes (filesystem-routes.ts).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import { registerStorageRoutes } from './filesystem-routes.ts';
import { multipartEtag, unquote } from './multipart-etag.ts';
import { grantQuery, type UrlGrant } from './signed-url.ts';
import { spool } from './spool.ts';
import { assertValidKey, StorageError, type CompletedPart, type SignedPutOptions, type Storage, type StoredObject } from './storage.ts';
import { createUsedUrls, type StorageDatabase } from './used-urls.ts';

export interface FilesystemStorageOptions {
  /** Folder that holds everything; e.g. `<DATA_DIR>/storage`. */
  root: string;
  /**
   * The origin clients reach this service at, e.g. `http://127.0.0.1:4004`: signed URLs start with it. A
   * function is asked at each signing (e.g. the address the service listens on, known once it listens).
   */
  publicUrl: string | (() => string);
  /** HMAC key of the signed URLs. */
  signingSecret: string;
  /** Smallest part but the last of a multipart upload. Default 5 MiB, as S3. */
  minPartBytes?: number;
  /** Clock in milliseconds; default Date.now. */
  now?: () => number;
  /**
   * The service's database, with `storageMigrations` applied: where the tokens of used single-use URLs
   * are kept. Without it, `signPut(..., { singleUse: true })` throws.
   */
  db?: Kysely<any>;
}

export const ROUTE_PREFIX = '/storage/o/';
const UPLOAD_ID = /^[0-9a-f-]{36}$/;
/** What a grant signs when it does not set it. */
const NO_GRANT = { contentType: '', maxBytes: 0, uploadId: '', partNumber: 0, token: '', checkBytes: false } as const;

export function createFilesystemStorage(options: FilesystemStorageOptions): Storage & { readonly root: string } {
  const { root, signingSecret } = options;
  const publicUrl = () => (typeof options.publicUrl === 'function' ? options.publicUrl() : options.publicUrl).replace(/\/+$/, '');
  const minPartBytes = options.minPartBytes ?? 5 * 1024 * 1024;
  const now = options.now ?? Date.now;
  const folders = { objects: join(root, 'objects'), meta: join(root, 'meta'), multipart: join(root, 'multipart'), tmp: join(root, 'tmp') };
  const ready = Promise.all(Object.values(folders).map((folder) => mkdir(folder, { recursive: true, mode: 0o700 })));
  // Awaited by every write and by close(): a failure is the first write's error, not an unhandled rejection.
  ready.catch(() => undefined);
  const usedUrls = options.db && createUsedUrls(options.db, now);
  const listeners: Array<(key: string, object: StoredObject) => unknown> = [];

  const objectFile = (key: string) => (assertValidKey(key), join(folders.objects, key));
  const metaFile = (key: string) => join(folders.meta, `${key}.json`);
  const uploadFolder = (uploadId: string) => {
    if (!UPLOAD_ID.test(uploadId)) throw new StorageError('NoSuchUpload', 'no such upload');
    return join(folders.multipart, uploadId);
  };

  /** Moves a spooled file into place as `key`, then writes its metadata. */
  async function commit(key: string, file: string, object: StoredObject): Promise<StoredObject> {
    const target = objectFile(key);
    await mkdir(dirname(target), { recursive: true });
    await mkdir(dirname(metaFile(key)), { recursive: true });
    await rename(file, target);
    await writeFile(metaFile(key), JSON.stringify(object), { mode: 0o600 });
    return object;
  }

  async function head(key: string): Promise<StoredObject | undefined> {
    objectFile(key);
    const meta = await readFile(metaFile(key), 'utf8').catch(() => undefined);
    return meta === undefined ? undefined : (JSON.parse(meta) as StoredObject);
  }

  async function readUpload(key: string, uploadId: string): Promise<{ key: string; contentType: string }> {
    const upload = await readFile(join(uploadFolder(uploadId), 'upload.json'), 'utf8').catch(() => undefined);
    const parsed = upload === undefined ? undefined : (JSON.parse(upload) as { key: string; contentType: string });
    if (!parsed || parsed.key !== key) throw new StorageError('NoSuchUpload', 'no such upload for this key');
    return parsed;
  }

  const signedUrl = (grant: UrlGrant) => `${publicUrl()}${ROUTE_PREFIX}${grant.key}?${grantQuery(signingSecret, grant)}`;
  const expiry = (seconds: number) => Math.floor(now() / 1000) + seconds;

  const storage = {
    kind: 'filesystem' as const,
    bucket: 'local',
    root,
    async put(key: string, body: Buffer | Readable, { contentType }: { contentType: string }) {
      objectFile(key);
      await ready;
      const spooled = await spool(body, folders.tmp);
      return commit(key, spooled.file, { size: spooled.size, contentType, etag: spooled.md5 });
    },
    head,
    async read(key: string) {
      if (!(await head(key))) return undefined;
      return createReadStream(objectFile(key));
    },
    async delete(key: string) {
      await rm(objectFile(key), { force: true });
      await rm(metaFile(key), { force: true });
    },
    async deletePrefix(prefix: string) {
      const keys = await storage.list(prefix);
      for (const key of keys) await storage.delete(key);
      return keys.length;
    },
    async list(prefix: string) {
      await ready;
      const files = await readdir(folders.objects, { recursive: true, withFileTypes: true });
      return files
        .filter((entry) => entry.isFile())
        .map((entry) => relative(folders.objects, join(entry.parentPath, entry.name)).split(sep).join('/'))
        .filter((key) => key.startsWith(prefix))
        .sort();
    },
    async signPut(key: string, { contentType, maxBytes, expiresInSeconds, singleUse, checkBytes }: SignedPutOptions) {
      assertValidKey(key);
      if (singleUse && !usedUrls) throw new Error('a single-use URL needs the storage to be given the service database (db)');
      return signedUrl({
        ...NO_GRANT,
        method: 'PUT',
        key,
        expires: expiry(expiresInSeconds),
        contentType,
        maxBytes,
        token: singleUse ? randomUUID() : '',
        checkBytes: checkBytes === true,
      });
    },
    async signGet(key: string, { expiresInSeconds }: { expiresInSeconds: number }) {
      assertValidKey(key);
      return signedUrl({ ...NO_GRANT, method: 'GET', key, expires: expiry(expiresInSeconds) });
    },
    async createMultipartUpload(key: string, { contentType }: { contentType: string }) {
      assertValidKey(key);
      await ready;
      const uploadId = randomUUID();
      await mkdir(uploadFolder(uploadId), { mode: 0o700 });
      await writeFile(join(uploadFolder(uploadId), 'upload.json'), JSON.stringify({ key, contentType }), { mode: 0o600 });
      return uploadId;
    },
    async signPart(
      key: string,
      uploadId: string,
      partNumber: number,
      { maxBytes, expiresInSeconds }: { maxBytes: number; expiresInSeconds: number },
    ) {
      assertValidKey(key);
      uploadFolder(uploadId);
      if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000)
        throw new StorageError('InvalidPart', 'part numbers go from 1 to 10000');
      return signedUrl({ ...NO_GRANT, method: 'PUT', key, expires: expiry(expiresInSeconds), maxBytes, uploadId, partNumber });
    },
    async completeMultipartUpload(key: string, uploadId: string, parts: CompletedPart[]) {
      const upload = await readUpload(key, uploadId);
      const folder = uploadFolder(uploadId);
      if (parts.length === 0) throw new StorageError('InvalidPart', 'a multipart upload needs at least one part');
      const sizes: number[] = [];
      for (const [index, part] of parts.entries()) {
        if (index > 0 && part.partNumber <= parts[index - 1]!.partNumber)
          throw new StorageError('InvalidPartOrder', 'parts must be listed in ascending order of part number');
        const stored = await readFile(join(folder, `${part.partNumber}.json`), 'utf8').catch(() => undefined);
        const meta = stored === undefined ? undefined : (JSON.parse(stored) as { size: number; etag: string });
        if (!meta || meta.etag !== unquote(part.etag))
          throw new StorageError('InvalidPart', `part ${part.partNumber} was not uploaded or its ETag does not match`);
        sizes.push(meta.size);
      }
      const tooSmall = sizes.slice(0, -1).findIndex((size) => size < minPartBytes);
      if (tooSmall >= 0)
        throw new StorageError(
          'EntityTooSmall',
          `part ${parts[tooSmall]!.partNumber} is smaller than ${minPartBytes} bytes and is not the last`,
        );

      const joined = join(folders.tmp, randomUUID());
      const out = createWriteStream(joined, { flags: 'wx', mode: 0o600 });
      for (const part of parts) await pipeline(createReadStream(join(folder, String(part.partNumber))), out, { end: false });
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      const object = await commit(key, joined, {
        size: sizes.reduce((sum, size) => sum + size, 0),
        contentType: upload.contentType,
        etag: multipartEtag(parts.map((part) => part.etag)),
      });
      await rm(folder, { recursive: true, force: true });
      return object;
    },
    async abortMultipartUpload(_key: string, uploadId: string) {
      await rm(uploadFolder(uploadId), { recursive: true, force: true });
    },
    registerRoutes(app: import('fastify').FastifyInstance) {
      registerStorageRoutes(app, {
        signingSecret,
        now,
        tmp: folders.tmp,
        ready,
        head,
        objectFile,
        async claim(token, expires) {
          // A URL signed single-use by a replica given the database, received by one that was not.
          if (!usedUrls) throw new Error('a single-use URL reached a storage without the service database (db)');
          return usedUrls.claim(token, expires);
        },
        async storeObject(key, file, object) {
          const stored = await commit(key, file, object);
          await Promise.all(listeners.map((listener) => listener(key, stored)));
        },
        async storePart(key, uploadId, partNumber, file, part) {
          await readUpload(key, uploadId);
          await rename(file, join(uploadFolder(uploadId), String(partNumber)));
          await writeFile(join(uploadFolder(uploadId), `${partNumber}.json`), JSON.stringify(part), { mode: 0o600 });
        },
      });
    },
    onStored(listener: (key: string, object: StoredObject) => unknown) {
      listeners.push(listener);
    },
    async close() {
      // The folders may still be being made: removing DATA_DIR before they are would race with them.
      await ready.catch(() => undefined);
    },
  };
  return storage;
}
