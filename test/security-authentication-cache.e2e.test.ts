/**
 * The authentication cache against a stand-in accounts service speaking the internal contract over real
 * HTTP, which counts how often it is asked.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  AuthenticationUnavailableError,
  createAuthenticator,
  type AuthenticationOptions,
} from '../gateway/pipeline/authentication.ts';
import { DEFAULT_ISSUERS, withAccountsUrl } from '../gateway/pipeline/credential-issuers.ts';
import { keepRawBodies, receivedRequest } from '../subgraphs/kit/identity-guard.ts';
import { verifyIdentity } from '../core/identity.ts';
import { createSubgraphFetcher, createSubgraphPool } from '../gateway/execution/fetcher.ts';
import { silentLogger } from './helpers/platform.ts';

const SECRET = 'cache-test-secret';

describe('the authentication cache', () => {
  let accounts: FastifyInstance;
  let accountsUrl: string;
  const asked: string[] = [];
  let failing = false;
  /** Keys the stand-in answers as unknown though they are good, as after a deletion. */
  const deleted = new Set<string>();
  const pool = createSubgraphPool();

  beforeAll(async () => {
    accounts = Fastify();
    keepRawBodies(accounts);
    accounts.post<{ Body: { key: string } }>('/internal/authenticate/api-key', async (request, reply) => {
      const verdict = verifyIdentity(receivedRequest(request), { secret: SECRET, audience: 'accounts' });
      if (!verdict.ok || verdict.principal.kind !== 'system') return reply.code(401).send({ error: 'not the gateway' });
      asked.push(request.body.key);
      // Answer slowly enough that concurrent requests overlap.
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (failing) return reply.code(503).send({ error: 'down' });
      if (request.body.key !== 'good-key' || deleted.has(request.body.key)) return reply.code(401).send({ error: 'Unknown API key' });
      return { principal: { kind: 'apiKey', keyId: 'k1', userId: null, roles: { p1: 'ADMIN' } } };
    });
    accountsUrl = await accounts.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await accounts?.close();
    await pool.agent.close();
  });

  const build = (overrides: Partial<AuthenticationOptions> = {}) =>
    createAuthenticator({
      identitySecret: SECRET,
      issuers: withAccountsUrl(DEFAULT_ISSUERS, accountsUrl),
      cacheTtlMs: 5000,
      negativeCacheTtlMs: 1000,
      cacheMaxEntries: 100,
      staleIfErrorMs: 60_000,
      fetcher: createSubgraphFetcher({ timeoutMs: 5000, pool }),
      logger: silentLogger,
      ...overrides,
    });
  const requestWith = (key: string) => ({ headers: { authorization: `Bearer ${key}` }, log: silentLogger }) as unknown as FastifyRequest;
  const timesAsked = (key: string) => asked.filter((entry) => entry === key).length;

  it('asks once for many concurrent requests, then answers from the cache until forgetAll', async () => {
    asked.length = 0;
    const authenticator = build();
    const principals = await Promise.all(Array.from({ length: 20 }, () => authenticator.authenticate(requestWith('good-key'))));
    expect(principals.every((principal) => principal.kind === 'apiKey')).toBe(true);
    await authenticator.authenticate(requestWith('good-key'));
    expect(timesAsked('good-key')).toBe(1);
    authenticator.forgetAll();
    await authenticator.authenticate(requestWith('good-key'));
    expect(timesAsked('good-key')).toBe(2);
  });

  it('caches a refusal too', async () => {
    asked.length = 0;
    const authenticator = build();
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(authenticator.authenticate(requestWith('bad-key'))).rejects.toThrow(AuthenticationError);
    }
    expect(timesAsked('bad-key')).toBe(1);
  });

  it('does not cache when accounts fails, and refuses meanwhile', async () => {
    asked.length = 0;
    const authenticator = build();
    failing = true;
    await expect(authenticator.authenticate(requestWith('good-key'))).rejects.toThrow(/could not be checked/);
    failing = false;
    expect((await authenticator.authenticate(requestWith('good-key'))).kind).toBe('apiKey');
    expect(timesAsked('good-key')).toBe(2);
  });

  it('refuses an API key of 1,025 to 4,096 characters as invalid, without asking accounts', async () => {
    asked.length = 0;
    const reasons: string[] = [];
    const authenticator = build({ onFailure: (reason) => reasons.push(reason) });
    for (const length of [1025, 2048, 4096]) {
      const key = 'k'.repeat(length);
      await expect(authenticator.authenticate(requestWith(key))).rejects.toThrow(
        /^Invalid credentials: an API key has at most 1024 characters$/,
      );
    }
    expect(asked).toEqual([]);
    expect(reasons).toEqual(['malformed', 'malformed', 'malformed']);
  });

  describe('while accounts cannot be reached', () => {
    const down = async (run: () => Promise<void>) => {
      failing = true;
      try {
        await run();
      } finally {
        failing = false;
      }
    };

    it('still accepts a credential accepted lately, with the principal it had, but not one never seen', async () => {
      const lookups: string[] = [];
      const authenticator = build({ cacheTtlMs: 0, onCacheLookup: (cache, hit) => lookups.push(`${cache}:${hit}`) });
      const accepted = await authenticator.authenticate(requestWith('good-key'));
      await down(async () => {
        expect(await authenticator.authenticate(requestWith('good-key'))).toEqual(accepted);
        await expect(authenticator.authenticate(requestWith('never-seen-key'))).rejects.toThrow(AuthenticationUnavailableError);
      });
      expect(lookups.filter((lookup) => lookup.startsWith('stale'))).toEqual(['stale:true', 'stale:false']);
    });

    it('does not with AUTH_STALE_IF_ERROR_MS=0, nor after a credential change through this gateway, nor after accounts refused it', async () => {
      const off = build({ cacheTtlMs: 0, staleIfErrorMs: 0 });
      await off.authenticate(requestWith('good-key'));
      await down(() => expect(off.authenticate(requestWith('good-key'))).rejects.toThrow(AuthenticationUnavailableError));

      const forgotten = build({ cacheTtlMs: 0 });
      await forgotten.authenticate(requestWith('good-key'));
      forgotten.forgetAll();
      await down(() => expect(forgotten.authenticate(requestWith('good-key'))).rejects.toThrow(AuthenticationUnavailableError));
    });

    it('forgets a credential once accounts refused it', async () => {
      const authenticator = build({ cacheTtlMs: 0, negativeCacheTtlMs: 0 });
      await authenticator.authenticate(requestWith('good-key'));
      deleted.add('good-key');
      try {
        await expect(authenticator.authenticate(requestWith('good-key'))).rejects.toThrow(/Unknown API key/);
      } finally {
        deleted.delete('good-key');
      }
      await down(() => expect(authenticator.authenticate(requestWith('good-key'))).rejects.toThrow(AuthenticationUnavailableError));
    });
  });

  it('refuses a token of an issuer whose subgraph is not served, without reporting it unreachable', async () => {
    const reasons: string[] = [];
    const authenticator = build({ onFailure: (reason) => reasons.push(reason) });
    const { privateKey } = await generateKeyPair('RS512', { modulusLength: 2048 });
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS512' })
      .setIssuer('dalet')
      .setSubject('u')
      .setJti('t')
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(authenticator.authenticate({ ...requestWith(token) })).rejects.toThrow(
      /^Invalid credentials: the token comes from no issuer this gateway accepts$/,
    );
    expect(reasons).toEqual(['unknown_issuer']);
  });

  it('with AUTH_CACHE_TTL_MS=0 asks every time', async () => {
    asked.length = 0;
    const authenticator = build({ cacheTtlMs: 0, negativeCacheTtlMs: 0 });
    await authenticator.authenticate(requestWith('good-key'));
    await authenticator.authenticate(requestWith('good-key'));
    expect(timesAsked('good-key')).toBe(2);
  });
});
