import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphService } from '../subgraphs/kit/build-subgraph.ts';
import { loadOrCreateIdentitySecret, signIdentity, verifyIdentity, type Principal } from '../subgraphs/kit/identity.ts';
import { IDENTITY_SECRET, postGraphQL, startSubgraph } from './helpers/platform.ts';

const admin: Principal = { kind: 'user', userId: 'u1', roles: { p1: 'ADMIN' } };

describe('a subgraph reached directly', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'identity-'));
  let service: SubgraphService<unknown>;
  let url: string;

  beforeAll(async () => ({ service, url } = await startSubgraph('accounts', dataDir)));
  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const query = '{ get_project(id: "p1") { id } }';

  it('refuses a request with no signature', async () => {
    const { status, body } = await postGraphQL(url, query);
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.data).toBeUndefined();
  });

  it('refuses a signature made with another secret', async () => {
    const { status } = await postGraphQL(url, query, undefined, signIdentity(admin, 'guessed-secret'));
    expect(status).toBe(401);
  });

  it('refuses an identity changed after signing', async () => {
    const headers = signIdentity({ kind: 'user', userId: 'u1', roles: {} }, IDENTITY_SECRET);
    headers['x-fed-identity'] = Buffer.from(JSON.stringify(admin)).toString('base64url');
    const { status } = await postGraphQL(url, query, undefined, headers);
    expect(status).toBe(401);
  });

  it('refuses a stale signature', async () => {
    const { status } = await postGraphQL(url, query, undefined, signIdentity(admin, IDENTITY_SECRET, Date.now() - 5 * 60_000));
    expect(status).toBe(401);
  });

  it('answers a request the gateway signed', async () => {
    const { status, body } = await postGraphQL(url, query, undefined, signIdentity(admin, IDENTITY_SECRET));
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('identity signatures', () => {
  it('tell why a request is refused', () => {
    const headers = signIdentity(admin, 'secret', 1_000_000);
    expect(verifyIdentity(headers, 'secret', { now: 1_000_000 })).toEqual({ ok: true, principal: admin });
    expect(verifyIdentity({}, 'secret')).toEqual({ ok: false, reason: 'missing' });
    expect(verifyIdentity(headers, 'other', { now: 1_000_000 })).toEqual({ ok: false, reason: 'forged' });
    expect(verifyIdentity(headers, 'secret', { now: 1_000_000 + 61_000 })).toEqual({ ok: false, reason: 'stale' });
  });

  it('generate the embedded secret once, readable by its owner only', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'secret-'));
    try {
      const first = loadOrCreateIdentitySecret(dataDir);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(loadOrCreateIdentitySecret(dataDir)).toBe(first);
      expect(statSync(join(dataDir, 'identity-secret')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
