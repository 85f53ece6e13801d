/**
 * The identity signature between our services is bound to the request it came with: headers captured from
 * one request are refused with another body, by another subgraph, on another path, once too old, and a
 * second time for anything that writes.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphService } from '../subgraphs/kit/build-subgraph.ts';
import { mayWrite } from '../subgraphs/kit/identity-guard.ts';
import { loadOrCreateIdentitySecret, signedRequestHeaders, verifyIdentity, type Principal } from '../core/identity.ts';
import { createReplayGuard } from '../subgraphs/kit/replay-guard.ts';
import { IDENTITY_SECRET, postSigned, silentLogger, startSubgraph } from './helpers/platform.ts';

const admin: Principal = { kind: 'user', userId: 'u1', roles: { p1: 'ADMIN' } };

async function send(url: string, headers: Record<string, string>, body: string) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: (await response.json()) as any };
}

describe('a subgraph reached directly', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'identity-'));
  let accounts: SubgraphService<unknown>;
  let billing: SubgraphService<unknown>;
  let url: string;
  let billingUrl: string;

  beforeAll(async () => {
    ({ service: accounts, url } = await startSubgraph('accounts', dataDir));
    ({ service: billing, url: billingUrl } = await startSubgraph('billing', dataDir));
  });
  afterAll(async () => {
    await accounts?.stop();
    await billing?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const query = '{ get_project(id: "p1") { id } }';
  const body = JSON.stringify({ query });
  const signed = (overrides: Partial<Parameters<typeof signedRequestHeaders>[0]> = {}) =>
    signedRequestHeaders({ principal: admin, audience: 'accounts', path: '/graphql', body, secret: IDENTITY_SECRET, ...overrides });

  it('refuses a request with no signature', async () => {
    const { status, body: answer } = await send(url, {}, body);
    expect(status).toBe(401);
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(answer.data).toBeUndefined();
  });

  it('refuses a signature made with another secret', async () => {
    expect((await send(url, signed({ secret: 'guessed-secret' }), body)).status).toBe(401);
  });

  it('refuses an identity changed after signing', async () => {
    const headers = signed({ principal: { kind: 'user', userId: 'u1', roles: {} } });
    headers['x-fed-identity'] = Buffer.from(JSON.stringify(admin)).toString('base64url');
    expect((await send(url, headers, body)).status).toBe(401);
  });

  it('refuses a signature older than the window (5 s), or from the future', async () => {
    expect((await send(url, signed({ now: Date.now() - 6_000 }), body)).status).toBe(401);
    expect((await send(url, signed({ now: Date.now() + 6_000 }), body)).status).toBe(401);
  });

  it('answers a request signed for it', async () => {
    const { status, body: answer } = await send(url, signed(), body);
    expect(status).toBe(200);
    expect(answer.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses captured headers replayed with another body', async () => {
    const headers = signed();
    expect((await send(url, headers, body)).status).toBe(200);
    const other = JSON.stringify({ query: 'mutation { create_project(name: "mine") { id } }' });
    expect((await send(url, headers, other)).status).toBe(401);
  });

  it('refuses captured headers replayed to another subgraph', async () => {
    const headers = signed({ body: JSON.stringify({ query: '{ _service { sdl } }' }) });
    expect((await send(url, headers, JSON.stringify({ query: '{ _service { sdl } }' }))).status).toBe(200);
    expect((await send(billingUrl, headers, JSON.stringify({ query: '{ _service { sdl } }' }))).status).toBe(401);
  });

  it('refuses captured headers replayed on another path, or with another request id', async () => {
    const origin = new URL(url).origin;
    const payload = JSON.stringify({ key: 'cc_someone-elses-key' });
    const headers = signed({ principal: { kind: 'system' }, path: '/internal/authenticate/user', body: payload });
    expect((await send(`${origin}/internal/authenticate/api-key`, headers, payload)).status).toBe(401);
    const graphql = signed();
    expect((await send(url, { ...graphql, 'x-request-id': 'another-request' }, body)).status).toBe(401);
  });

  it('accepts a mutation, and an /internal call, once: the same headers and body again are refused', async () => {
    const mutation = JSON.stringify({ query: 'mutation { create_project(name: "twice") { id } }' });
    const headers = signed({ body: mutation });
    const first = await send(url, headers, mutation);
    expect(first.status).toBe(200);
    expect((await send(url, headers, mutation)).status).toBe(401);

    const internal = `${new URL(url).origin}/internal/authenticate/api-key`;
    const payload = JSON.stringify({ key: 'cc_unknown' });
    const system = signed({ principal: { kind: 'system' }, path: '/internal/authenticate/api-key', body: payload });
    expect((await send(internal, system, payload)).body).toEqual({ error: 'Unknown API key' });
    expect((await send(internal, system, payload)).body).toEqual({ error: 'This route only answers the gateway' });
  });

  it('lets a query be repeated within the window (reads are not remembered)', async () => {
    const headers = signed();
    expect((await send(url, headers, body)).status).toBe(200);
    expect((await send(url, headers, body)).status).toBe(200);
  });

  it('signs through postSigned as other services do', async () => {
    expect((await postSigned(url, 'accounts', { query }, { principal: admin })).status).toBe(200);
  });
});

describe('identity signatures', () => {
  const request = {
    principal: admin,
    audience: 'billing',
    method: 'POST',
    path: '/graphql',
    body: '{"query":"{ a }"}',
    requestId: 'r1',
    secret: 'secret',
    now: 1_000_000,
  };
  const received = (headers: Record<string, string>, changes: Partial<{ method: string; path: string; body: string }> = {}) => ({
    headers,
    method: 'POST',
    path: '/graphql',
    body: request.body,
    ...changes,
  });

  it('tell why a request is refused', () => {
    const headers = signedRequestHeaders(request);
    const options = { secret: 'secret', audience: 'billing', now: 1_000_000 };
    expect(verifyIdentity(received(headers), options)).toEqual({ ok: true, principal: admin, nonce: headers['x-fed-nonce'] });
    expect(verifyIdentity(received({}), options)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyIdentity(received(headers), { ...options, secret: 'other' })).toEqual({ ok: false, reason: 'forged' });
    expect(verifyIdentity(received(headers), { ...options, audience: 'accounts' })).toEqual({ ok: false, reason: 'forged' });
    expect(verifyIdentity(received(headers, { method: 'GET' }), options)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyIdentity(received(headers, { path: '/graphql?x=1' }), options)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyIdentity(received(headers, { body: '{"query":"{ b }"}' }), options)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyIdentity(received({ ...headers, 'x-request-id': 'r2' }), options)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyIdentity(received(headers), { ...options, now: 1_000_000 + 5_001 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyIdentity(received(headers), { ...options, now: 1_000_000 + 30_000, windowMs: 60_000 }).ok).toBe(true);
  });

  it('make every signature unique, so that a replay guard can tell a replay from a new call', () => {
    const nonces = new Set(Array.from({ length: 100 }, () => signedRequestHeaders(request)['x-fed-nonce']));
    expect(nonces.size).toBe(100);
  });

  it('are remembered by the replay guard once per nonce', async () => {
    const guard = await createReplayGuard({ windowMs: 5_000, namespace: 'test', logger: silentLogger });
    expect(await guard.firstUse('n1')).toBe(true);
    expect(await guard.firstUse('n1')).toBe(false);
    expect(await guard.firstUse('n2')).toBe(true);
    await guard.close();
  });

  it('tell writes from reads', () => {
    expect(mayWrite({ query: '{ a }' })).toBe(false);
    expect(mayWrite({ query: 'query Q { mutation_log }' })).toBe(false);
    expect(mayWrite({ query: 'mutation { a }' })).toBe(true);
    expect(mayWrite({ query: 'query A { a } mutation B { b }', operationName: 'A' })).toBe(true);
    expect(mayWrite({ query: 'mutation {' })).toBe(true);
    expect(mayWrite([{ query: '{ a }' }])).toBe(true);
    expect(mayWrite(undefined)).toBe(false);
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
