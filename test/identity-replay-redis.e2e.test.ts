/**
 * With REDIS_URL, the replicas of a subgraph share the nonces of signed writes: headers captured on the way
 * to one replica are refused by the other, over real HTTP, against a real redis-server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphService } from '../subgraphs/kit/build-subgraph.ts';
import { signedRequestHeaders } from '../core/identity.ts';
import { createReplayGuard } from '../subgraphs/kit/replay-guard.ts';
import { IDENTITY_SECRET, silentLogger, startSubgraph } from './helpers/platform.ts';
import { startRedis, type RedisServer } from './helpers/redis.ts';

describe('the replay guard with REDIS_URL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'replay-redis-'));
  let redis: RedisServer;
  const services: SubgraphService<unknown>[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const service of services) await service.stop();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses at one replica a write already accepted by another', async () => {
    const env = { REDIS_URL: redis.url, BOOTSTRAP_ADMIN_KEY: 'replay-test-bootstrap-admin-key-0123456789' };
    const first = await startSubgraph('accounts', dataDir, env);
    const second = await startSubgraph('accounts', dataDir, env);
    services.push(first.service, second.service);
    const path = '/internal/authenticate/api-key';
    const body = JSON.stringify({ key: env.BOOTSTRAP_ADMIN_KEY });
    const headers = {
      'content-type': 'application/json',
      ...signedRequestHeaders({ principal: { kind: 'system' }, audience: 'accounts', path, body, secret: IDENTITY_SECRET }),
    };
    const at = (url: string) => fetch(`${new URL(url).origin}${path}`, { method: 'POST', headers, body });
    expect((await at(first.url)).status).toBe(200);
    expect((await at(second.url)).status).toBe(401);
  });

  it('keeps refusing replays to the same replica while Redis is unreachable', async () => {
    const guard = await createReplayGuard({ windowMs: 5_000, redisUrl: 'redis://127.0.0.1:1', namespace: 'down', logger: silentLogger });
    expect(await guard.firstUse('n1')).toBe(true);
    expect(await guard.firstUse('n1')).toBe(false);
    await guard.close();
  });
});
