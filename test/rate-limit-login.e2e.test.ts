import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countLoginAttempts } from '../gateway/pipeline/rate-limit.ts';
import { greetingsSubgraph } from './helpers/greetings-subgraph.ts';
import { startPlatform } from './helpers/platform.ts';
import { scrape } from './helpers/prometheus.ts';

const schemaDir = mkdtempSync(join(tmpdir(), 'login-limit-'));
afterAll(() => rmSync(schemaDir, { recursive: true, force: true }));

describe('the login rate limit', () => {
  it('counts every login field in a request, through aliases and fragments, and refuses the whole request over the limit', async () => {
    const greetings = greetingsSubgraph(schemaDir);
    const platform = await startPlatform({
      subgraphs: [greetings.definition],
      gatewayEnv: { LOGIN_RATE_LIMIT: '3', RATE_LIMITS: 'anonymous=100' },
    });
    try {
      const twoAttempts = await platform.query(
        'mutation Two { a: send_email_otp(email: "a@example.com") b: send_email_otp(email: "b@example.com") }',
      );
      expect(twoAttempts.body.data).toEqual({ a: true, b: true });
      expect(greetings.calls.count).toBe(2);

      // Two more attempts: the fourth is over the limit of 3, so none of them runs.
      const overTheLimit = await platform.query(`
        mutation Guess { ...Attempts }
        fragment Attempts on Mutation {
          login_with_email_otp(otp: 123456, email: "a@example.com")
          ... on Mutation { dalet: login(username: "a", password: "guess") }
        }`);
      expect(overTheLimit.status).toBe(429);
      const retryAfter = Number(overTheLimit.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(60);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(overTheLimit.headers.get('ratelimit-limit')).toBe('3');
      expect(overTheLimit.headers.get('ratelimit-remaining')).toBe('0');
      expect(overTheLimit.body.errors).toEqual([
        { message: `Too many login attempts; retry in ${retryAfter} s`, extensions: { code: 'RATE_LIMITED', retryAfter } },
      ]);
      expect(greetings.calls.count).toBe(2);

      // Other operations still pass; any further login attempt does not.
      expect((await platform.query('query Hello { hello(name: "login") }')).body.data).toEqual({ hello: 'Hello, login' });
      expect((await platform.query('mutation One { send_email_otp(email: "c@example.com") }')).status).toBe(429);
      expect(greetings.calls.count).toBe(3);

      const metrics = await scrape(platform.metricsUrl);
      expect(metrics.value('gateway_rate_limit_rejections_total', { limit: 'login', caller: 'address' })).toBe(2);
      expect(metrics.value('gateway_rate_limit_rejections_total', { limit: 'requests' })).toBe(0);
    } finally {
      await platform.stop();
    }
  });
});

describe('the login rate limit of a Dalet-style subgraph', () => {
  it('refuses in the Dalet shape, with Retry-After', async () => {
    const greetings = greetingsSubgraph(schemaDir);
    const platform = await startPlatform({
      subgraphs: [greetings.definition],
      gatewayEnv: { LOGIN_RATE_LIMIT: '1', ERROR_STYLES: 'greetings=dalet' },
    });
    try {
      expect((await platform.query('mutation { login(username: "a", password: "b") }')).status).toBe(200);
      const refused = await platform.query('mutation { login(username: "a", password: "c") }');
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(refused.body.errors).toEqual([
        {
          message: `Too many login attempts; retry in ${retryAfter} s`,
          extensions: { errorCode: 'UnexpectedError', classification: 'ExecutionAborted', retryAfter },
        },
      ]);
    } finally {
      await platform.stop();
    }
  });
});

describe('countLoginAttempts', () => {
  const fields = new Set(['send_email_otp', 'login_with_email_otp', 'login']);
  const count = (query: string, operationName?: string) => countLoginAttempts({ query, operationName }, fields);

  it('counts each root login field of the operation that runs', () => {
    expect(count('mutation { send_email_otp(email: "a") }')).toBe(1);
    expect(
      count('mutation { a: login_with_email_otp(otp: 1, email: "a") b: login_with_email_otp(otp: 2, email: "a") c: login(input: {}) }'),
    ).toBe(3);
    expect(count('mutation { ... on Mutation { login(input: {}) ... on Mutation { login(input: {}) } } }')).toBe(2);
  });

  it('counts a fragment as often as it is spread, each fragment walked once', () => {
    expect(
      count(
        'mutation { ...F ...F ...G } fragment F on Mutation { x: login(input: {}) y: login(input: {}) } fragment G on Mutation { ...F }',
      ),
    ).toBe(6);
    // Self-spreading fragments end (validation refuses them later).
    expect(count('mutation { ...A } fragment A on Mutation { login(input: {}) ...B } fragment B on Mutation { ...A }')).toBe(1);
    // Thirty levels of fragments each spread twice: counted without walking 2^30 spreads.
    const levels = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Mutation { ...F${i + 1} ...F${i + 1} }`).join(' ');
    expect(count(`mutation { ...F0 } ${levels} fragment F30 on Mutation { login(input: {}) }`)).toBe(2 ** 30);
  });

  it('counts only root fields, by their name and not their alias', () => {
    expect(count('query { me { login } }')).toBe(0);
    expect(count('query { login: hello(name: "login") }')).toBe(0);
    expect(count('query { hello(name: "send_email_otp") }')).toBe(0);
  });

  it('counts the operation that runs: the named one, or the only one', () => {
    const document = 'mutation A { login(input: {}) } mutation B { x: login(input: {}) y: login(input: {}) }';
    expect(count(document, 'A')).toBe(1);
    expect(count(document, 'B')).toBe(2);
    expect(count(document)).toBe(0);
    expect(count(document, 'C')).toBe(0);
  });

  it('adds up the operations of a batch, and counts nothing in what does not parse', () => {
    const batch = [
      { query: 'mutation { login(input: {}) }' },
      { query: 'mutation { a: send_email_otp(email: "a") b: send_email_otp(email: "b") }' },
      { nothing: true },
      null,
    ];
    expect(countLoginAttempts(batch, fields)).toBe(3);
    expect(count('mutation { login(')).toBe(0);
    expect(countLoginAttempts(undefined, fields)).toBe(0);
  });
});
