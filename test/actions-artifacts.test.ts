import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createArtifactStore } from '../subgraphs/actions/artifacts.ts';
import { migrations, type ActionsDatabase } from '../subgraphs/actions/store.ts';
import { createFilesystemStorage } from '../subgraphs/kit/storage/index.ts';
import { openStore, type Store } from '../subgraphs/kit/store.ts';

describe('artifacts', () => {
  let dataDir: string;
  let store: Store<ActionsDatabase>;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'artifacts-test-'));
    store = await openStore<ActionsDatabase>({ name: 'actions', dataDir, migrations });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a file for its time to live, under a URL that expires with it, then the sweeper deletes it', async () => {
    let now = Date.now();
    const storage = createFilesystemStorage({ root: join(dataDir, 'storage'), publicUrl: 'http://actions.test', signingSecret: 'secret' });
    const artifacts = createArtifactStore({ db: store.db, storage, ttlSeconds: 86_400, clock: { now: () => now } });
    const url = new URL(await artifacts.save('job-1', Buffer.from('%PDF-1.7'), 'application/pdf'));
    const key = decodeURIComponent(url.pathname.replace('/storage/o/', ''));
    expect(key).toMatch(/^artifacts\/[0-9a-f-]+\.pdf$/);
    expect(Number(url.searchParams.get('x-expires'))).toBeCloseTo(Math.floor(now / 1000) + 86_400, -1);
    expect(await storage.head(key)).toMatchObject({ size: 8, contentType: 'application/pdf' });

    now += 86_399_000;
    expect(await artifacts.sweep()).toBe(0);
    expect(await storage.head(key)).toBeDefined();

    now += 2000;
    expect(await artifacts.sweep()).toBe(1);
    expect(await storage.head(key)).toBeUndefined();
    expect(await store.db.selectFrom('artifacts').selectAll().execute()).toEqual([]);
  });

  it('refuses a content type it has no artifact type for', async () => {
    const storage = createFilesystemStorage({ root: join(dataDir, 'storage'), publicUrl: 'http://actions.test', signingSecret: 'secret' });
    const artifacts = createArtifactStore({ db: store.db, storage, ttlSeconds: 60 });
    await expect(artifacts.save('job-1', Buffer.from('<html>'), 'text/html')).rejects.toThrow(/no artifact type/);
  });
});
