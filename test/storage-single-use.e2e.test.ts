/**
 * The filesystem storage's single-use, byte-checked signed PUTs: the used token is kept in the service's
 * database, so a URL used once is refused by another replica and after a restart; a body whose bytes are
 * not of the signed type, or is empty, is refused and leaves the URL usable.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../subgraphs/kit/store.ts';
import { createFilesystemStorage, storageMigrations, type StorageDatabase } from '../subgraphs/kit/storage/index.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

interface Replica {
  origin: string;
  store: Store<StorageDatabase>;
  storage: ReturnType<typeof createFilesystemStorage>;
  app: FastifyInstance;
}

let dataDir: string;
let replicas: Replica[];

/** A service replica: its own store connection, storage and HTTP server, over the shared DATA_DIR. */
async function startReplica(): Promise<Replica> {
  const store = await openStore<StorageDatabase>({ name: 'uploads', dataDir, migrations: storageMigrations });
  const app = Fastify({ forceCloseConnections: true });
  let origin = '';
  const storage = createFilesystemStorage({ root: join(dataDir, 'storage'), publicUrl: () => origin, signingSecret: 's', db: store.db });
  storage.registerRoutes(app);
  origin = await app.listen({ host: '127.0.0.1', port: 0 });
  const replica = { origin, store, storage, app };
  replicas.push(replica);
  return replica;
}

async function stopReplica(replica: Replica) {
  replicas = replicas.filter((running) => running !== replica);
  await replica.app.close();
  await replica.storage.close();
  await replica.store.close();
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'storage-single-use-'));
  replicas = [];
});
afterEach(async () => {
  for (const replica of [...replicas]) await stopReplica(replica);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Sends the PUT of a URL signed by any replica to `replica`. */
const putTo = (replica: Replica, url: string, body: Buffer, contentType = 'image/png') => {
  const { pathname, search } = new URL(url);
  return fetch(`${replica.origin}${pathname}${search}`, {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body: new Uint8Array(body),
  });
};
const options = { contentType: 'image/png', maxBytes: 1024, expiresInSeconds: 60, singleUse: true, checkBytes: true };

describe('single-use signed PUTs', () => {
  it('refuses the second use of a URL, on the same replica, another one, and after a restart', async () => {
    const first = await startReplica();
    const url = await first.storage.signPut('pictures/a.png', options);
    expect((await putTo(first, url, PNG)).status).toBe(200);
    const again = await putTo(first, url, PNG);
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'This upload URL was already used' });

    const second = await startReplica();
    expect((await putTo(second, url, PNG)).status).toBe(409);
    await stopReplica(first);
    await stopReplica(second);
    const restarted = await startReplica();
    expect((await putTo(restarted, url, PNG)).status).toBe(409);
    expect(await restarted.storage.head('pictures/a.png')).toMatchObject({ size: PNG.length, contentType: 'image/png' });
  });

  it('refuses bytes of another type than signed (415) and an empty body (400), storing nothing, and the URL still works', async () => {
    const replica = await startReplica();
    const url = await replica.storage.signPut('pictures/b.png', options);
    const wrongBytes = await putTo(replica, url, JPEG);
    expect(wrongBytes.status).toBe(415);
    expect(await wrongBytes.json()).toEqual({ error: 'The upload is not image/png: its bytes are image/jpeg' });
    expect((await putTo(replica, url, Buffer.from('<svg onload="alert(1)"></svg>'))).status).toBe(415);
    expect((await putTo(replica, url, Buffer.alloc(0))).status).toBe(400);
    expect((await putTo(replica, url, PNG, 'image/jpeg')).status).toBe(403);
    expect(await replica.storage.list('')).toEqual([]);
    expect(readdirSync(join(dataDir, 'storage', 'tmp'))).toEqual([]);
    expect((await putTo(replica, url, PNG)).status).toBe(200);
  });

  it('keeps the single use and the byte check in the signature', async () => {
    const replica = await startReplica();
    const url = new URL(await replica.storage.signPut('pictures/c.png', options));
    for (const name of ['x-token', 'x-check-bytes']) {
      const stripped = new URL(url);
      stripped.searchParams.delete(name);
      expect((await putTo(replica, stripped.href, PNG)).status).toBe(403);
    }
  });

  it('needs the database to sign a single-use URL', async () => {
    const storage = createFilesystemStorage({ root: join(dataDir, 'storage'), publicUrl: 'http://x', signingSecret: 's' });
    await expect(storage.signPut('k', options)).rejects.toThrow(/db/);
    await storage.close();
  });
});
