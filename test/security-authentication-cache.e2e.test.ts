/**
 * The authentication cache against a stand-in accounts service speaking the internal contract over real
 * HTTP, which counts how often it is asked.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, createAuthenticator, type AuthenticationOptions } from '../gateway/authentication.ts';
import { verifyIdentity } from '../subgraphs/kit/identity.ts';
import { silentLogger } from './helpers/platform.ts';

const SECRET = 'cache-test-secret';

describe('the authentication cache', () => {
  let accounts: FastifyInstance;
  let accountsUrl: string;
  const asked: string[] = [];
  let failing = false;
  const agent = new Agent();

  beforeAll(async () => {
    accounts = Fastify();
    accounts.post<{ Body: { key: string } }>('/internal/authenticate/api-key', async (request, reply) => {
      const verdict = verifyIdentity(request.headers, SECRET);
      if (!verdict.ok || verdict.principal.kind !== 'system') return reply.code(401).send({ error: 'not the gateway' });
      asked.push(request.body.key);
      // Answer slowly enough that concurrent requests overlap.
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (failing) return reply.code(503).send({ error: 'down' });
      if (request.body.key !== 'good-key') return reply.code(401).send({ error: 'Unknown API key' });
      return { principal: { kind: 'apiKey', keyId: 'k1', userId: null, roles: { p1: 'ADMIN' } } };
    });
    accountsUrl = await accounts.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await accounts?.close();
    await agent.close();
  });

  const build = (overrides: Partial<AuthenticationOptions> = {}) =>
    createAuthenticator({
      identitySecret: SECRET,
      accountsUrl,
      cacheTtlMs: 5000,
      negativeCacheTtlMs: 1000,
      cacheMaxEntries: 100,
      timeoutMs: 5000,
      dispatcher: agent,
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

  it('with AUTH_CACHE_TTL_MS=0 asks every time', async () => {
    asked.length = 0;
    const authenticator = build({ cacheTtlMs: 0, negativeCacheTtlMs: 0 });
    await authenticator.authenticate(requestWith('good-key'));
    await authenticator.authenticate(requestWith('good-key'));
    expect(timesAsked('good-key')).toBe(2);
  });
});
