import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal } from '../core/identity.ts';
import { greetingsSubgraph } from './helpers/greetings-subgraph.ts';
import { startPlatform, type GraphQLResponse, type Platform } from './helpers/platform.ts';
import { scrape } from './helpers/prometheus.ts';

const schemaDir = mkdtempSync(join(tmpdir(), 'rate-limit-'));
afterAll(() => rmSync(schemaDir, { recursive: true, force: true }));

const HELLO = 'query Hello { hello(name: "a") }';

function expectRateLimited(answer: GraphQLResponse, limit: number) {
  expect(answer.status).toBe(429);
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(answer.headers.get('ratelimit-limit')).toBe(String(limit));
  expect(answer.headers.get('ratelimit-remaining')).toBe('0');
  expect(answer.headers.get('ratelimit-reset')).toBe(String(retryAfter));
  expect(answer.body).toEqual({
    errors: [{ message: `Too many requests; retry in ${retryAfter} s`, extensions: { code: 'RATE_LIMITED', retryAfter } }],
  });
}

async function withPlatform(
  options: { env: Record<string, string>; authenticate?: (request: FastifyRequest) => Promise<Principal> },
  test: (platform: Platform, calls: { count: number }) => Promise<void>,
) {
  const greetings = greetingsSubgraph(schemaDir);
  const platform = await startPlatform({ subgraphs: [greetings.definition], gatewayEnv: options.env, authenticate: options.authenticate });
  try {
    await test(platform, greetings.calls);
  } finally {
    await platform.stop();
  }
}

describe('the request rate limit', () => {
  it('answers 429 after N requests, with Retry-After, RateLimit-* and a RATE_LIMITED error, and the subgraph sees nothing of it', () =>
    withPlatform({ env: { RATE_LIMITS: 'anonymous=3' } }, async (platform, calls) => {
      for (const remaining of [2, 1, 0]) {
        const answer = await platform.query(HELLO);
        expect(answer.body.data).toEqual({ hello: 'Hello, a' });
        expect(answer.headers.get('ratelimit-limit')).toBe('3');
        expect(answer.headers.get('ratelimit-remaining')).toBe(String(remaining));
        expect(answer.headers.get('retry-after')).toBeNull();
      }
      expect(calls.count).toBe(3);

      expectRateLimited(await platform.query(HELLO), 3);
      expectRateLimited(await platform.query('query Other { hello(name: "b") }'), 3);
      expect(calls.count).toBe(3);

      const metrics = await scrape(platform.metricsUrl);
      expect(metrics.value('gateway_rate_limit_rejections_total', { limit: 'requests', caller: 'address' })).toBe(2);
      expect(metrics.value('gateway_rate_limit_rejections_total')).toBe(2);
      expect(metrics.value('graphql_http_requests_total', { status_code: '429' })).toBe(2);
      // Refused before Apollo Server: no operation was counted for them.
      expect(metrics.value('gateway_operations_total')).toBe(3);
    }));

  it('counts API keys and users apart, each by the limit of its highest role', () => {
    const principals: Record<string, Principal> = {
      'admin-key': { kind: 'apiKey', keyId: 'k1', userId: null, roles: { p1: 'ADMIN' } },
      'readonly-key': { kind: 'apiKey', keyId: 'k2', userId: null, roles: { p1: 'READONLY' } },
      'member-user': { kind: 'user', userId: 'u1', roles: { p1: 'READONLY', p2: 'ADMIN' } },
      'new-user': { kind: 'user', userId: 'u2', roles: {} },
    };
    const authenticate = async (request: FastifyRequest) => principals[String(request.headers['x-test-caller'])] ?? ANONYMOUS;
    return withPlatform({ env: { RATE_LIMITS: 'anonymous=1,authenticated=2,READONLY=3,ADMIN=4' }, authenticate }, async (platform) => {
      const allowed = async (caller: string | undefined) => {
        let count = 0;
        while ((await platform.query(HELLO, undefined, caller ? { 'x-test-caller': caller } : {})).status === 200) count++;
        return count;
      };
      expect(await allowed('admin-key')).toBe(4);
      expect(await allowed('readonly-key')).toBe(3);
      expect(await allowed('member-user')).toBe(4);
      expect(await allowed('new-user')).toBe(2);
      expect(await allowed(undefined)).toBe(1);
      const metrics = await scrape(platform.metricsUrl);
      expect(metrics.value('gateway_rate_limit_rejections_total', { caller: 'api_key' })).toBe(2);
      expect(metrics.value('gateway_rate_limit_rejections_total', { caller: 'user' })).toBe(2);
      expect(metrics.value('gateway_rate_limit_rejections_total', { caller: 'address' })).toBe(1);
    });
  });
});

describe('behind a proxy (TRUST_PROXY)', () => {
  it('counts anonymous callers by the address their trusted proxy forwarded', () =>
    withPlatform({ env: { RATE_LIMITS: 'anonymous=1', TRUST_PROXY: '127.0.0.1' } }, async (platform) => {
      const from = (address: string) => platform.query(HELLO, undefined, { 'x-forwarded-for': address });
      expect((await from('203.0.113.1')).status).toBe(200);
      expect((await from('203.0.113.2')).status).toBe(200);
      expect((await from('203.0.113.1')).status).toBe(429);
    }));

  it('ignores X-Forwarded-For when no proxy is trusted', () =>
    withPlatform({ env: { RATE_LIMITS: 'anonymous=1' } }, async (platform) => {
      expect((await platform.query(HELLO, undefined, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
      expect((await platform.query(HELLO, undefined, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(429);
    }));
});

describe('a request whose authentication failed', () => {
  it('still counts, against its client address', async () => {
    const platform = await startPlatform({ subgraphs: ['accounts'], gatewayEnv: { RATE_LIMITS: 'anonymous=2' } });
    try {
      for (let i = 0; i < 2; i++) {
        const answer = await platform.query('{ __typename }', undefined, { authorization: 'Bearer not-a-real-key-0123456789' });
        expect(answer.status).not.toBe(429);
      }
      expectRateLimited(await platform.query('{ __typename }'), 2);
      const metrics = await scrape(platform.metricsUrl);
      expect(metrics.value('gateway_auth_failures_total')).toBe(2);
      expect(metrics.value('gateway_rate_limit_rejections_total', { limit: 'requests', caller: 'address' })).toBe(1);
    } finally {
      await platform.stop();
    }
  });
});
