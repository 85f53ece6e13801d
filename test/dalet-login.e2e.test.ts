/**
 * Dalet login through the gateway (the doc's example as printed), the token it answers, and the contract
 * the gateway authenticates Dalet tokens with: dalet's JWKS and /internal/authenticate/user.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_LOGIN, ADMIN_PASSWORD, startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';
import { postSigned } from './helpers/platform.ts';

let platform: DaletPlatform;
beforeAll(async () => (platform = await startDaletPlatform()), 60_000);
afterAll(async () => platform?.stop());

const DOC_LOGIN = (username: string, password: string) => `mutation LoginToDalet {
        login (
            input: {
                username: "${username}",
                password: "${password}" } ) 
            {
            token
        }
    }`;

describe('login', () => {
  it('answers the doc example with an RS512 token of the documented claims, valid 4 hours, verifiable with the JWKS', async () => {
    const { body } = await platform.query(DOC_LOGIN(ADMIN_LOGIN, ADMIN_PASSWORD));
    expect(body.errors).toBeUndefined();
    const token: string = body.data.login.token;
    expect(decodeProtectedHeader(token)).toMatchObject({ typ: 'JWT', alg: 'RS512' });
    const jwks = await (await fetch(`${platform.daletOrigin}/.well-known/jwks.json`)).json();
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: 'dalet', algorithms: ['RS512'] });
    expect(payload).toMatchObject({ sub: ADMIN_LOGIN, userId: '1', iss: 'dalet' });
    expect(payload.exp! - payload.iat!).toBe(4 * 3600);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS512', use: 'sig', kid: expect.any(String) });
  });

  it('keeps the signing key in DATA_DIR, readable by its owner only', () => {
    expect(statSync(join(platform.dataDir, 'dalet-jwt-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('answers bad credentials as the Errors section shows: login null and AuthenticationError', async () => {
    const trigger = `mutation LoginToDalet {
        login(input: {
            username: "BadUser",
            password: "BadPassword"
        }) {
            token
        }
    }`;
    const expected = {
      message: 'Bad credentials',
      locations: [{ line: 2, column: 9 }],
      path: ['login'],
      extensions: { errorCode: 'AuthenticationError', classification: 'ExecutionAborted' },
    };
    const direct = await postSigned(platform.subgraphUrls.dalet!, 'dalet', { query: trigger }, { principal: { kind: 'anonymous' } });
    expect(direct.body).toEqual({ errors: [expected], data: { login: null } });
    // The gateway drops subgraph error locations (they point into the subgraph's query) and names the subgraph.
    const { locations: _dropped, ...throughGateway } = expected;
    const { body } = await platform.query(trigger);
    expect(body).toEqual({
      errors: [{ ...throughGateway, extensions: { ...expected.extensions, serviceName: 'dalet' } }],
      data: { login: null },
    });
  });

  it('refuses a known login with a wrong password the same way', async () => {
    const { body } = await platform.query(DOC_LOGIN(ADMIN_LOGIN, 'not-the-password'));
    expect(body.data).toEqual({ login: null });
    expect(body.errors?.[0]?.extensions).toMatchObject({ errorCode: 'AuthenticationError', classification: 'ExecutionAborted' });
  });
});

describe('login attempts', () => {
  let limited: DaletPlatform;
  beforeAll(async () => (limited = await startDaletPlatform({}, { LOGIN_RATE_LIMIT: '2' })), 60_000);
  afterAll(async () => limited?.stop());

  it('are counted by the gateway like Cognitive Cloud logins', async () => {
    // startDaletPlatform logged the administrator in once: one more attempt is allowed, then 429.
    expect((await limited.query(DOC_LOGIN('BadUser', 'BadPassword'))).status).toBe(200);
    const refused = await limited.query(DOC_LOGIN(ADMIN_LOGIN, ADMIN_PASSWORD));
    expect(refused.status).toBe(429);
    // In the Dalet shape, which has no rate-limit code: UnexpectedError, with retryAfter (and Retry-After).
    expect(refused.body.errors?.[0]?.extensions).toEqual({
      errorCode: 'UnexpectedError',
      classification: 'ExecutionAborted',
      retryAfter: expect.any(Number),
    });
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('a Dalet operation without a Dalet user', () => {
  const query = '{ users { totalCount } }';
  it.each([
    ['anonymous', { kind: 'anonymous' }],
    ['a Cognitive Cloud user', { kind: 'user', userId: '1', roles: {} }],
    ['a user of another issuer', { kind: 'user', issuer: 'accounts', userId: '1', roles: {} }],
    ['an API key', { kind: 'apiKey', keyId: 'k', userId: '1', roles: {} }],
  ])('answers AuthenticationError in the Dalet shape for %s', async (_name, principal) => {
    const { body } = await postSigned(platform.subgraphUrls.dalet!, 'dalet', { query }, { principal: principal as never });
    expect(body).toEqual({
      errors: [
        {
          message: 'User not authenticated',
          locations: [{ line: 1, column: 3 }],
          path: ['users'],
          extensions: { errorCode: 'AuthenticationError', classification: 'ExecutionAborted' },
        },
      ],
      data: { users: null },
    });
  });
});

describe('/internal/authenticate/user', () => {
  it('answers the principal of a token it issued', async () => {
    const { payload } = await jwtVerify(
      platform.adminToken,
      createLocalJWKSet(await (await fetch(`${platform.daletOrigin}/.well-known/jwks.json`)).json()),
    );
    const { status, body } = await platform.internal('/internal/authenticate/user', { userId: payload.userId, tokenId: payload.jti });
    expect(status).toBe(200);
    expect(body).toEqual({ principal: { kind: 'user', issuer: 'dalet', userId: '1', roles: {}, tokenId: payload.jti } });
    // The gateway sends a token's `sub`, here the login: the same principal.
    const bySub = await platform.internal('/internal/authenticate/user', { userId: payload.sub, tokenId: payload.jti });
    expect(bySub).toEqual({ status: 200, body });
  });

  it('refuses a token id it never issued, or issued to someone else', async () => {
    expect((await platform.internal('/internal/authenticate/user', { userId: '1', tokenId: 'forged' })).status).toBe(401);
    const other = await platform.newUser('internal_other');
    const { payload } = await jwtVerify(
      other.token,
      createLocalJWKSet(await (await fetch(`${platform.daletOrigin}/.well-known/jwks.json`)).json()),
    );
    expect((await platform.internal('/internal/authenticate/user', { userId: '1', tokenId: payload.jti })).status).toBe(401);
  });

  it('refuses the token of a deleted user', async () => {
    const gone = await platform.newUser('soon_deleted');
    const { payload } = await jwtVerify(
      gone.token,
      createLocalJWKSet(await (await fetch(`${platform.daletOrigin}/.well-known/jwks.json`)).json()),
    );
    expect((await platform.internal('/internal/authenticate/user', { userId: gone.id, tokenId: payload.jti })).status).toBe(200);
    await platform.ok(platform.adminToken, `mutation { deleteUsers(input: { usersWith: { ids: [${gone.id}] } }) { deletedUserIds } }`);
    expect((await platform.internal('/internal/authenticate/user', { userId: gone.id, tokenId: payload.jti })).status).toBe(401);
  });

  it('answers only callers signing a system identity', async () => {
    const url = `${platform.daletOrigin}/internal/authenticate/user`;
    const body = { userId: '1', tokenId: 'x' };
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(unsigned.status).toBe(401);
    expect((await postSigned(url, 'dalet', body, { principal: { kind: 'user', issuer: 'dalet', userId: '1', roles: {} } })).status).toBe(
      401,
    );
    expect((await postSigned(url, 'dalet', body, { secret: 'another-secret' })).status).toBe(401);
  });
});
