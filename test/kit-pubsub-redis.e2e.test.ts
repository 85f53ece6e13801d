import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPubSub, type PubSub } from '../subgraphs/kit/pubsub.ts';
import { silentLogger } from './helpers/platform.ts';
import { startRedis, type RedisServer } from './helpers/redis.ts';

describe('kit.pubsub', () => {
  let redis: RedisServer;
  const opened: PubSub[] = [];
  const open = (redisUrl?: string) => {
    const pubsub = createPubSub({ namespace: 'messages', redisUrl, logger: silentLogger });
    opened.push(pubsub);
    return pubsub;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(opened.map((pubsub) => pubsub.close()));
    await redis?.stop();
  });

  it('delivers in process to current subscribers only, and stops at return()', async () => {
    const pubsub = open();
    const events = pubsub.subscribe<{ n: number }>('topic');
    const next = events.next();
    await pubsub.publish('topic', { n: 1 });
    await pubsub.publish('other', { n: 2 });
    expect((await next).value).toEqual({ n: 1 });
    const pending = events.next();
    await events.return?.();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('with REDIS_URL, delivers what one replica publishes to the subscribers of another', async () => {
    const publisher = open(redis.url);
    const subscriber = open(redis.url);
    const events = subscriber.subscribe<{ text: string }>('topic');
    const next = events.next();
    // Redis takes the subscription asynchronously: publish until it arrives.
    let received: { text: string } | undefined;
    void next.then((result) => (received = result.value));
    for (let tries = 0; tries < 100 && !received; tries++) {
      await publisher.publish('topic', { text: 'from the other replica' });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(received).toEqual({ text: 'from the other replica' });
    await events.return?.();
  });
});
