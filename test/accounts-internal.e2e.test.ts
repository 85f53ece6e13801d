/**
 * The accounts internal contract the gateway relies on (JWKS, API key and user authentication), and the
 * bootstrap of an empty store, over real HTTP against the accounts service.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../core/identity.ts';
import { postSigned, startSubgraph, type SignedPostOptions } from './helpers/platform.ts';

const ADMIN_KEY = 'test-bootstrap-admin-key-0123456789';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'accounts-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startAccounts(dataDir: string, env: Record<string, string> = {}) {
  const started = await startSubgraph('accounts', dataDir, env);
  let stopped = false;
  const stop = async () => {
    if (!stopped) await started.service.stop();
    stopped = true;
  };
  cleanups.push(stop);
  return { ...started, origin: new URL(started.url).origin, stop };
}

/** Signed as the gateway's system identity, unless `signer` says otherwise (`unsigned`: no identity at all). */
async function post(url: string, body: unknown, signer: SignedPostOptions | 'unsigned' = {}) {
  if (signer !== 'unsigned') return postSigned(url, 'accounts', body, signer) as Promise<{ status: number; body: any }>;
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

describe('accounts internal routes', () => {
  it('publishes an Ed25519 JWKS with a kid, and keeps the same key across restarts', async () => {
    const dataDir = tempDir();
    const first = await startAccounts(dataDir, { BOOTSTRAP_ADMIN_KEY: ADMIN_KEY });
    const jwks = (await (await fetch(`${first.origin}/.well-known/jwks.json`)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwks.keys[0]!.kid).toMatch(/^[\w-]{20,}$/);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(statSync(join(dataDir, 'accounts-jwt-key.pem')).mode & 0o077).toBe(0);
    await first.stop();

    const second = await startAccounts(dataDir, { BOOTSTRAP_ADMIN_KEY: ADMIN_KEY });
    expect(await (await fetch(`${second.origin}/.well-known/jwks.json`)).json()).toEqual(jwks);
  });

  it('authenticates an API key for a system caller only', async () => {
    const { origin, service } = await startAccounts(tempDir(), { BOOTSTRAP_ADMIN_KEY: ADMIN_KEY });
    const url = `${origin}/internal/authenticate/api-key`;

    const ok = await post(url, { key: ADMIN_KEY });
    expect(ok.status).toBe(200);
    const project = await service.store.db.selectFrom('projects').select('id').executeTakeFirstOrThrow();
    expect(ok.body.principal).toMatchObject({ kind: 'apiKey', roles: { [project.id]: 'ADMIN' } });
    expect(ok.body.principal.keyId).toEqual(expect.any(String));

    expect((await post(url, { key: `${ADMIN_KEY}x` })).status).toBe(401);
    expect((await post(url, { key: ADMIN_KEY }, 'unsigned')).status).toBe(401);
    const user: Principal = { kind: 'user', userId: 'u', roles: {} };
    expect((await post(url, { key: ADMIN_KEY }, { principal: user })).status).toBe(401);
    expect((await post(url, { key: ADMIN_KEY }, { secret: 'another secret' })).status).toBe(401);
  });

  it('refuses a user token that was never issued, and unsigned callers', async () => {
    const { origin, service } = await startAccounts(tempDir(), { BOOTSTRAP_ADMIN_KEY: ADMIN_KEY });
    const owner = await service.store.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    const url = `${origin}/internal/authenticate/user`;
    expect((await post(url, { userId: owner.id, tokenId: 'never-issued' })).status).toBe(401);
    expect((await post(url, { userId: owner.id, tokenId: 'never-issued' }, 'unsigned')).status).toBe(401);
  });
});

describe('accounts bootstrap', () => {
  it('creates the owner, their default project as ADMIN, and the given ADMIN key, once', async () => {
    const dataDir = tempDir();
    const first = await startAccounts(dataDir, { BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, BOOTSTRAP_OWNER_EMAIL: 'Boss@Example.com' });
    const db = first.service.store.db;
    const owner = await db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    expect(owner.email).toBe('boss@example.com');
    const membership = await db.selectFrom('project_members').selectAll().where('user_id', '=', owner.id).executeTakeFirstOrThrow();
    expect(membership).toMatchObject({ project_id: owner.default_project_id, role: 'ADMIN' });
    const key = await db.selectFrom('api_keys').selectAll().executeTakeFirstOrThrow();
    expect(key).toMatchObject({ project_id: owner.default_project_id, role: 'ADMIN', user_id: owner.id });
    expect(JSON.stringify(key)).not.toContain(ADMIN_KEY);
    await first.stop();

    const second = await startAccounts(dataDir, { BOOTSTRAP_ADMIN_KEY: 'another-key-that-must-not-be-used-0000' });
    const counts = await Promise.all(
      (['users', 'projects', 'project_members', 'api_keys'] as const).map((table) =>
        second.service.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ),
    );
    expect(counts.map((count) => Number(count.n))).toEqual([1, 1, 1, 1]);
    expect((await post(`${second.origin}/internal/authenticate/api-key`, { key: ADMIN_KEY })).status).toBe(200);
    expect((await post(`${second.origin}/internal/authenticate/api-key`, { key: 'another-key-that-must-not-be-used-0000' })).status).toBe(
      401,
    );
  });

  it('without BOOTSTRAP_ADMIN_KEY prints a generated key once, which works, and never prints it again', async () => {
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    cleanups.push(() => spy.mockRestore());
    const dataDir = tempDir();
    const first = await startAccounts(dataDir);
    const key = /API key \(shown once, store it now\): (\S+)/.exec(printed.join(''))?.[1];
    expect(key).toMatch(/^cc_[\w-]{43}$/);
    expect((await post(`${first.origin}/internal/authenticate/api-key`, { key })).status).toBe(200);
    const owner = await first.service.store.db.selectFrom('users').select('email').executeTakeFirstOrThrow();
    expect(owner.email).toBe('owner@localhost');
    await first.stop();

    printed.length = 0;
    const second = await startAccounts(dataDir);
    expect(printed.join('')).not.toContain(key);
    expect((await post(`${second.origin}/internal/authenticate/api-key`, { key })).status).toBe(200);
  });

  it('refuses a BOOTSTRAP_ADMIN_KEY too short to be safe, naming the setting', async () => {
    await expect(startAccounts(tempDir(), { BOOTSTRAP_ADMIN_KEY: 'short' })).rejects.toThrow(/BOOTSTRAP_ADMIN_KEY/);
  });
});
