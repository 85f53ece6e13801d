import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFilesystemStorage, multipartEtag, StorageError, type StoredObject } from '../subgraphs/kit/storage/index.ts';

let app: FastifyInstance;
let root: string;
let clock: number;
let storage: ReturnType<typeof createFilesystemStorage>;
let stored: Array<[string, StoredObject]>;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'storage-test-'));
  clock = Date.parse('2026-01-01T00:00:00Z');
  app = Fastify({ forceCloseConnections: true });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  storage = createFilesystemStorage({
    root,
    publicUrl: `http://127.0.0.1:${port}`,
    signingSecret: 'test-secret',
    minPartBytes: 1024,
    now: () => clock,
  });
  stored = [];
  storage.onStored((key, object) => stored.push([key, object]));
  // Routes are registered before the server listens in a service; here the app is closed and rebuilt.
  await app.close();
  app = Fastify({ forceCloseConnections: true });
  storage.registerRoutes(app);
  await app.listen({ host: '127.0.0.1', port });
});

afterEach(async () => {
  await app.close();
  // close() waits for the folders the storage makes at its creation: a test that wrote nothing removes a finished tree.
  await storage.close();
  rmSync(root, { recursive: true, force: true });
});

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const put = (url: string, body: Buffer | string, contentType = 'image/png') =>
  fetch(url, { method: 'PUT', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'content-type': contentType } });
const objectFiles = () => readdirSync(join(root, 'objects'), { recursive: true });

describe('filesystem storage: signed URLs', () => {
  it('stores a PUT to its signed URL and serves it back through a signed GET', async () => {
    const bytes = Buffer.from('fake png bytes');
    const url = await storage.signPut('lib/a/original', { contentType: 'image/png', maxBytes: 1000, expiresInSeconds: 60 });
    const answer = await put(url, bytes);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toBe(`"${md5(bytes)}"`);
    expect(stored).toEqual([['lib/a/original', { size: bytes.length, contentType: 'image/png', etag: md5(bytes) }]]);

    const download = await fetch(await storage.signGet('lib/a/original', { expiresInSeconds: 60 }));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
  });

  it('refuses a URL whose key, size, type or signature was changed', async () => {
    const url = new URL(await storage.signPut('lib/a/original', { contentType: 'image/png', maxBytes: 1000, expiresInSeconds: 60 }));
    const tampered = [
      (u: URL) => (u.pathname = u.pathname.replace('original', 'other')),
      (u: URL) => u.searchParams.set('x-max-bytes', '999999'),
      (u: URL) => u.searchParams.set('x-content-type', 'text/html'),
      (u: URL) => u.searchParams.set('x-expires', String(Number(u.searchParams.get('x-expires')) + 3600)),
      (u: URL) => u.searchParams.set('x-signature', `${u.searchParams.get('x-signature')!.slice(0, -2)}AA`),
      (u: URL) => u.searchParams.delete('x-signature'),
    ];
    for (const change of tampered) {
      const copy = new URL(url);
      change(copy);
      const answer = await put(copy.href, 'x', copy.searchParams.get('x-content-type') ?? 'image/png');
      expect(answer.status).toBe(403);
    }
    // A GET may not use a PUT's signature.
    expect((await fetch(url)).status).toBe(403);
    expect(objectFiles()).toEqual([]);
  });

  it('refuses an expired URL', async () => {
    const url = await storage.signPut('k', { contentType: 'image/png', maxBytes: 1000, expiresInSeconds: 60 });
    clock += 61_000;
    const answer = await put(url, 'x');
    expect(answer.status).toBe(403);
    expect(await answer.json()).toEqual({ error: 'The URL has expired' });
    expect(objectFiles()).toEqual([]);
  });

  it('refuses another Content-Type than signed', async () => {
    const url = await storage.signPut('k', { contentType: 'image/png', maxBytes: 1000, expiresInSeconds: 60 });
    expect((await put(url, 'x', 'text/html')).status).toBe(403);
    expect(objectFiles()).toEqual([]);
  });

  it('refuses an oversized upload by Content-Length and while streaming, storing nothing', async () => {
    const url = await storage.signPut('k', { contentType: 'image/png', maxBytes: 1000, expiresInSeconds: 60 });
    expect((await put(url, Buffer.alloc(1001))).status).toBe(413);
    const chunked = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i += 1) controller.enqueue(new Uint8Array(400));
        controller.close();
      },
    });
    const streamed = await fetch(url, {
      method: 'PUT',
      body: chunked,
      headers: { 'content-type': 'image/png' },
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(objectFiles()).toEqual([]);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    expect((await put(url, Buffer.alloc(1000))).status).toBe(200);
  });
});

describe('filesystem storage: multipart uploads', () => {
  const parts = [Buffer.alloc(1024, 'a'), Buffer.alloc(2048, 'b'), Buffer.from('end')];

  async function uploadParts(key: string, uploadId: string, bodies: Buffer[]): Promise<string[]> {
    const etags: string[] = [];
    for (const [index, body] of bodies.entries()) {
      const url = await storage.signPart(key, uploadId, index + 1, { maxBytes: 4096, expiresInSeconds: 60 });
      const answer = await fetch(url, { method: 'PUT', body: new Uint8Array(body) });
      expect(answer.status).toBe(200);
      etags.push(answer.headers.get('etag')!);
    }
    return etags;
  }

  it('joins three parts byte for byte with the multipart ETag', async () => {
    const uploadId = await storage.createMultipartUpload('big', { contentType: 'video/mp4' });
    const etags = await uploadParts('big', uploadId, parts);
    const object = await storage.completeMultipartUpload(
      'big',
      uploadId,
      etags.map((etag, i) => ({ partNumber: i + 1, etag })),
    );
    const whole = Buffer.concat(parts);
    expect(object).toEqual({ size: whole.length, contentType: 'video/mp4', etag: multipartEtag(parts.map(md5)) });
    expect(object.etag).toMatch(/^[0-9a-f]{32}-3$/);
    const chunks: Buffer[] = [];
    for await (const chunk of (await storage.read('big'))!) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(whole);
    expect(readdirSync(join(root, 'multipart'))).toEqual([]);
  });

  it("keeps S3's rules: order, known ETags, minimum size but the last", async () => {
    const uploadId = await storage.createMultipartUpload('big', { contentType: 'video/mp4' });
    const etags = await uploadParts('big', uploadId, [Buffer.alloc(10), ...parts]);
    const list = etags.map((etag, i) => ({ partNumber: i + 1, etag }));
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 'completed',
        (error: StorageError) => error.code,
      );
    expect(await code(storage.completeMultipartUpload('big', uploadId, [list[2]!, list[1]!]))).toBe('InvalidPartOrder');
    expect(await code(storage.completeMultipartUpload('big', uploadId, [{ partNumber: 2, etag: md5(Buffer.from('other')) }]))).toBe(
      'InvalidPart',
    );
    expect(await code(storage.completeMultipartUpload('big', uploadId, list))).toBe('EntityTooSmall');
    expect(await code(storage.completeMultipartUpload('other-key', uploadId, list.slice(1)))).toBe('NoSuchUpload');
    expect(await code(storage.completeMultipartUpload('big', uploadId, list.slice(1)))).toBe('completed');
  });

  it('refuses a part over its signed size and forgets an aborted upload', async () => {
    const uploadId = await storage.createMultipartUpload('big', { contentType: 'video/mp4' });
    const url = await storage.signPart('big', uploadId, 1, { maxBytes: 100, expiresInSeconds: 60 });
    expect((await fetch(url, { method: 'PUT', body: new Uint8Array(101) })).status).toBe(413);
    await storage.abortMultipartUpload('big', uploadId);
    expect(readdirSync(join(root, 'multipart'))).toEqual([]);
    expect((await fetch(url, { method: 'PUT', body: new Uint8Array(10) })).status).toBe(404);
  });
});

describe('filesystem storage: objects', () => {
  it('lists and deletes by prefix, leaving no file behind', async () => {
    await storage.put('lib/1/a', Buffer.from('a'), { contentType: 'text/plain' });
    await storage.put('lib/1/b/thumb', Buffer.from('b'), { contentType: 'text/plain' });
    await storage.put('lib/2/a', Buffer.from('c'), { contentType: 'text/plain' });
    expect(await storage.list('lib/1/')).toEqual(['lib/1/a', 'lib/1/b/thumb']);
    expect(await storage.deletePrefix('lib/1/')).toBe(2);
    expect(await storage.list('')).toEqual(['lib/2/a']);
    expect(await storage.head('lib/1/a')).toBeUndefined();
  });

  it('refuses keys that could leave its folder', async () => {
    for (const key of ['../escape', 'a/../../b', '/abs', 'a//b', '.hidden/x']) {
      await expect(storage.put(key, Buffer.from('x'), { contentType: 'text/plain' })).rejects.toThrow(StorageError);
    }
  });
});
