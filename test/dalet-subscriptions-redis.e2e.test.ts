/**
 * Two dalet replicas over one store, sharing one redis-server (REDIS_URL), each behind its own gateway: a
 * mutation made through one replica reaches the subscribers of the other, which only Redis can carry.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphService } from '../subgraphs/kit/build-subgraph.ts';
import { ADMIN_LOGIN, ADMIN_PASSWORD, startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';
import { daletSubscriber, until, untilEvent, type DaletSubscriber } from './helpers/dalet-subscriptions.ts';
import { startSubgraph } from './helpers/platform.ts';
import { startRedis, type RedisServer } from './helpers/redis.ts';
import { startSecondGateway, type SecondGateway } from './helpers/second-gateway.ts';

let redis: RedisServer;
let platform: DaletPlatform;
let replica: SubgraphService<unknown>;
let secondGateway: SecondGateway;
let subscriber: DaletSubscriber;
let secondSubscriber: DaletSubscriber;
let watched: { id: string; token: string };
beforeAll(async () => {
  redis = await startRedis();
  const env = { DALET_BOOTSTRAP_USER: ADMIN_LOGIN, DALET_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD, REDIS_URL: redis.url };
  // Idle connections kept past the seconds the second replica takes to start on a loaded machine: the
  // first request after it would otherwise race the gateway closing its socket (ECONNRESET).
  const keepAlive = { KEEP_ALIVE_TIMEOUT_MS: '60000' };
  platform = await startDaletPlatform(env, keepAlive);
  watched = await platform.newUser('replicated');
  // The second replica: the same data folder (its SQLite store and signing key), its own process state.
  const started = await startSubgraph('dalet', platform.dataDir, env);
  replica = started.service;
  const config = join(platform.dataDir, 'supergraph-replica.yaml');
  writeFileSync(config, readFileSync(platform.supergraphConfigPath, 'utf8').replace(/routing_url: .*/, `routing_url: ${started.url}`));
  secondGateway = await startSecondGateway(platform, { SUPERGRAPH_CONFIG: config, LOGIN_RATE_LIMIT: '1000', ...keepAlive });
  subscriber = daletSubscriber(platform.gatewayUrl);
  secondSubscriber = daletSubscriber(secondGateway.url);
}, 60_000);
afterAll(async () => {
  await subscriber?.close();
  await secondSubscriber?.close();
  await secondGateway?.stop();
  await replica?.stop();
  await platform?.stop();
  await redis?.stop();
});

describe('subscriptions across replicas', () => {
  it("an event raised on one replica reaches the other's subscribers, and its own", async () => {
    const query = `subscription { users(input: { notificationTypes: [MODIFIED], userIds: [${watched.id}] }) {
      notifications { contents { type } user { id remarks } } } }`;
    const onReplica = secondSubscriber.subscribe(platform.adminToken, query);
    const onFirst = subscriber.subscribe(platform.adminToken, query);
    let warmUps = 0;
    const update = (remarks: string) =>
      platform.ok(
        platform.adminToken,
        `mutation { updateUser(input: { userWith: { id: "${watched.id}" }, remarks: "${remarks}" }) { user { id } } }`,
      );
    await untilEvent(
      () => onReplica.notifications('users').length > 0 && onFirst.notifications('users').length > 0,
      () => update(`warm-up ${++warmUps}`),
      'both subscriptions',
    );
    // Through the first gateway, so the first replica: the second hears of it through Redis only.
    await update('from the first replica');
    const remarks = (received: typeof onReplica) => received.notifications('users').map((notification) => notification.user.remarks);
    await until(() => remarks(onReplica).includes('from the first replica'), 'the event on the second replica');
    await until(() => remarks(onFirst).includes('from the first replica'), 'the event on the first replica');
    expect(onReplica.notifications('users').at(-1)).toEqual({
      contents: [{ type: 'MODIFIED' }],
      user: { id: watched.id, remarks: 'from the first replica' },
    });
  });
});
