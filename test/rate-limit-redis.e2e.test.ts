import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greetingsSubgraph } from './helpers/greetings-subgraph.ts';
import { librarySubgraph } from './helpers/library-subgraph.ts';
import { captureLogs } from './helpers/logs.ts';
import { startPlatform } from './helpers/platform.ts';
import { startRedis, type RedisServer } from './helpers/redis.ts';
import { startSecondGateway } from './helpers/second-gateway.ts';
import { REDIS } from './helpers/servers.ts';

const schemaDir = mkdtempSync(join(tmpdir(), 'rate-limit-redis-'));
afterAll(() => rmSync(schemaDir, { recursive: true, force: true }));

const HELLO = 'query Hello { hello(name: "a") }';

describe.skipIf(REDIS.skip)(REDIS.title('with REDIS_URL'), () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('two gateway replicas share one limit', async () => {
    const env = { REDIS_URL: redis.url, RATE_LIMITS: 'anonymous=3' };
    const greetings = greetingsSubgraph(schemaDir);
    const platform = await startPlatform({ subgraphs: [greetings.definition], gatewayEnv: env });
    const replica = await startSecondGateway(platform, env);
    try {
      expect((await platform.query(HELLO)).headers.get('ratelimit-remaining')).toBe('2');
      expect((await replica.query(HELLO)).headers.get('ratelimit-remaining')).toBe('1');
      expect((await platform.query(HELLO)).headers.get('ratelimit-remaining')).toBe('0');
      expect((await replica.query(HELLO)).status).toBe(429);
      expect((await platform.query(HELLO)).status).toBe(429);
      expect(greetings.calls.count).toBe(3);
    } finally {
      await replica.stop();
      await platform.stop();
    }
  });

  it('two gateway replicas share one cost budget per caller', async () => {
    const env = { REDIS_URL: redis.url, DEMAND_CONTROL: 'enforce', COST_BUDGET: '20' };
    const library = librarySubgraph(schemaDir);
    const platform = await startPlatform({ subgraphs: [library.definition], gatewayEnv: env });
    const replica = await startSecondGateway(platform, env);
    // 3 books and their pages cost 9: two fit in the budget of 20, wherever they are sent.
    const BOOKS = '{ books(first: 3) { title pages } }';
    try {
      expect((await platform.query(BOOKS)).status).toBe(200);
      expect((await replica.query(BOOKS)).status).toBe(200);
      const spent = await platform.query(BOOKS);
      expect(spent.status).toBe(429);
      expect(spent.body.errors?.[0]?.extensions?.code).toBe('COST_BUDGET_EXCEEDED');
      expect((await replica.query(BOOKS)).status).toBe(429);
      expect(library.calls.count).toBe(2);
    } finally {
      await replica.stop();
      await platform.stop();
    }
  });

  it('lets requests through while Redis is unreachable, and says so in the log', async () => {
    const own = await startRedis();
    const logs = captureLogs();
    const platform = await startPlatform({
      subgraphs: [greetingsSubgraph(schemaDir).definition],
      gatewayEnv: { REDIS_URL: own.url, RATE_LIMITS: 'anonymous=1' },
      logger: logs.logger,
    });
    try {
      expect((await platform.query(HELLO)).status).toBe(200);
      expect((await platform.query(HELLO)).status).toBe(429);
      await own.stop();
      expect((await platform.query(HELLO)).status).toBe(200);
      await logs.waitFor('rate-limit counters unreachable in Redis');
    } finally {
      await platform.stop();
    }
  });
});

describe('without REDIS_URL', () => {
  it('each replica counts on its own', async () => {
    const env = { RATE_LIMITS: 'anonymous=1' };
    const platform = await startPlatform({ subgraphs: [greetingsSubgraph(schemaDir).definition], gatewayEnv: env });
    const replica = await startSecondGateway(platform, env);
    try {
      expect((await platform.query(HELLO)).status).toBe(200);
      expect((await replica.query(HELLO)).status).toBe(200);
    } finally {
      await replica.stop();
      await platform.stop();
    }
  });
});
