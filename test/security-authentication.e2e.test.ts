import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseGatewayConfig } from '../gateway/config.ts';
import { signedRequestHeaders, type Principal } from '../core/identity.ts';
import { securedSubgraph } from './helpers/secured-subgraph.ts';
import { ADMIN_KEY, newSigningKey, startSecurityPlatform, type SecurityPlatform } from './helpers/security-platform.ts';

const GET_PROJECT = 'query ($id: String!) { get_project(id: $id) { id } }';
const GET_ME = '{ get_me { id email } }';

describe('authentication at the gateway', () => {
  const schemaDir = mkdtempSync(join(tmpdir(), 'secured-schema-'));
  const secured = securedSubgraph(schemaDir);
  let platform: SecurityPlatform;

  beforeAll(async () => {
    platform = await startSecurityPlatform({ extraSubgraphs: [secured.definition] });
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(schemaDir, { recursive: true, force: true });
  });

  /** The answer to a refused credential: HTTP 200, UNAUTHENTICATED, and no subgraph called. */
  async function expectUnauthenticated(headers: Record<string, string>, query = '{ open }') {
    const before = secured.calls();
    const { status, body } = await platform.query(query, undefined, headers);
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(secured.calls()).toBe(before);
  }

  it('lets anonymous callers reach only public fields: the login steps, not the rest', async () => {
    expect((await platform.query('mutation { send_email_otp(email: "someone@example.com") }')).body).toEqual({
      data: { send_email_otp: true },
    });
    const { body } = await platform.query(GET_ME);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('accepts the API key, as the principal of its project', async () => {
    const data = await platform.ok(ADMIN_KEY, GET_PROJECT, { id: platform.projectId });
    expect(data.get_project.id).toBe(platform.projectId);
  });

  it('refuses an unknown key, a malformed header and another scheme, before any subgraph', async () => {
    await expectUnauthenticated({ authorization: 'Bearer cc_not-a-key-that-exists' });
    // Asked twice: the second answer comes from the negative cache, and is the same.
    await expectUnauthenticated({ authorization: 'Bearer cc_not-a-key-that-exists' });
    await expectUnauthenticated({ authorization: 'Bearer' });
    await expectUnauthenticated({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
  });

  it('refuses an over-long API key as invalid credentials, not as accounts being down', async () => {
    await expectUnauthenticated({ authorization: `Bearer cc_${'x'.repeat(2000)}` });
    const { body } = await platform.query('{ open }', undefined, { authorization: `Bearer ${'x'.repeat(4096)}` });
    expect(body.errors?.[0]?.message).toBe('Invalid credentials: an API key has at most 1024 characters');
  });

  it('accepts a login token and refuses it once revoked by logout through this gateway, at once', async () => {
    const token = await platform.login('ada@example.com');
    expect((await platform.ok(token, GET_ME)).get_me.email).toBe('ada@example.com');
    expect((await platform.ok(token, 'mutation { logout }')).logout).toBe(true);
    await expectUnauthenticated({ authorization: `Bearer ${token}` }, GET_ME);
  });

  it('refuses expired, forged, tampered and unknown-key tokens', async () => {
    const token = await platform.login('grace@example.com');
    const { sub, jti } = decodeJwt(token);
    const sign = (key: { privateKey: CryptoKey; kid: string }, expiresAt: number, subject = sub!) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
        .setIssuer('accounts')
        .setSubject(subject)
        .setJti(jti!)
        .setIssuedAt(expiresAt - 3600)
        .setExpirationTime(expiresAt)
        .sign(key.privateKey);
    const now = Math.floor(Date.now() / 1000);

    // Signed with accounts' own key, but expired.
    await expectUnauthenticated({ authorization: `Bearer ${await sign(platform.signingKey, now - 60)}` }, GET_ME);
    // Another key claiming accounts' kid.
    const stranger = await newSigningKey();
    await expectUnauthenticated(
      { authorization: `Bearer ${await sign({ privateKey: stranger.privateKey, kid: platform.signingKey.kid }, now + 3600)}` },
      GET_ME,
    );
    // Another key under a kid accounts never published.
    await expectUnauthenticated({ authorization: `Bearer ${await sign(stranger, now + 3600)}` }, GET_ME);
    // A real token whose payload was changed.
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(token), sub: 'someone-else' })).toString('base64url');
    await expectUnauthenticated({ authorization: `Bearer ${header}.${payload}.${signature}` }, GET_ME);
    // A validly signed token that accounts never issued (unknown jti) is refused by /internal/authenticate/user.
    await expectUnauthenticated({ authorization: `Bearer ${await sign(platform.signingKey, now + 3600, 'nobody')}` }, GET_ME);
    // The real one still works.
    expect((await platform.ok(token, GET_ME)).get_me.email).toBe('grace@example.com');
  });

  it('stops a key changed or deleted through this gateway at once, though it was cached', async () => {
    const created = await platform.ok(ADMIN_KEY, 'mutation ($p: String!) { create_api_key(project_id: $p, name: "ci", role: DEVELOPER) }', {
      p: platform.projectId,
    });
    const key: string = created.create_api_key;
    const keys = await platform.ok(key, 'query ($p: String!) { list_api_keys(project_id: $p) { id name } }', { p: platform.projectId });
    const id = keys.list_api_keys.find((entry: { name: string }) => entry.name === 'ci').id;

    await platform.ok(ADMIN_KEY, 'mutation ($id: String!) { update_api_key(id: $id, name: "ci", role: READONLY) { id } }', { id });
    const demoted = await platform.as(key, 'query ($p: String!) { list_api_keys(project_id: $p) { id } }', { p: platform.projectId });
    expect(demoted.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    await platform.ok(ADMIN_KEY, 'mutation ($id: String!) { delete_api_key(id: $id) }', { id });
    await expectUnauthenticated({ authorization: `Bearer ${key}` }, GET_PROJECT.replace('$id', '"x"').replace('query ($id: String!) ', ''));
  });

  it('takes a removed membership away at once', async () => {
    const token = await platform.login('temp@example.com');
    const added = await platform.ok(
      ADMIN_KEY,
      'mutation ($p: String!) { add_project_member(project_id: $p, email: "temp@example.com", role: READONLY) { user_id } }',
      { p: platform.projectId },
    );
    await platform.ok(token, GET_PROJECT, { id: platform.projectId });
    await platform.ok(ADMIN_KEY, 'mutation ($p: String!, $u: String!) { remove_project_member(project_id: $p, user_id: $u) }', {
      p: platform.projectId,
      u: added.add_project_member.user_id,
    });
    const { body } = await platform.as(token, GET_PROJECT, { id: platform.projectId });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'id' });
  });

  it('reports each refusal by reason, and cache lookups, to the metrics', async () => {
    const metrics = await (await fetch(platform.metricsUrl)).text();
    for (const reason of ['malformed', 'unknown_key', 'expired', 'forged', 'revoked']) {
      expect(metrics).toMatch(new RegExp(`gateway_auth_failures_total\\{reason="${reason}"\\} [1-9]`));
    }
    expect(metrics).toMatch(/gateway_auth_cache_lookups_total\{cache="credentials",result="hit"\} [1-9]/);
  });

  it('a subgraph reached directly refuses the call: unsigned, forged, or signed with another secret', async () => {
    const url = platform.subgraphUrls.accounts!;
    const body = JSON.stringify({ query: '{ list_role_permissions { id } }' });
    const sign = (principal: Principal, secret: string) =>
      signedRequestHeaders({ principal, audience: 'accounts', path: '/graphql', body, secret });
    const forged = {
      ...sign({ kind: 'apiKey', keyId: 'k', userId: null, roles: { [platform.projectId]: 'ADMIN' } }, 'test-identity-secret'),
      'x-fed-signature': 'AAAA',
    };
    for (const headers of [{}, forged, sign({ kind: 'system' }, 'not-the-secret')]) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      expect(response.status).toBe(401);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const internal = await fetch(`${new URL(url).origin}/internal/authenticate/api-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: ADMIN_KEY }),
    });
    expect(internal.status).toBe(401);
  });
});

describe('authentication settings', () => {
  it('cap the cache at 5 seconds, so another replica sees a change within 5 s', () => {
    expect(parseGatewayConfig({}).authCacheTtlMs).toBe(5000);
    expect(() => parseGatewayConfig({ AUTH_CACHE_TTL_MS: '5001' })).toThrow(ConfigError);
    expect(() => parseGatewayConfig({ AUTH_NEGATIVE_CACHE_TTL_MS: '60000' })).toThrow(/AUTH_NEGATIVE_CACHE_TTL_MS/);
    expect(() => parseGatewayConfig({ ACCOUNTS_URL: 'ftp://accounts' })).toThrow(/ACCOUNTS_URL/);
  });
});
