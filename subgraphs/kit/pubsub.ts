/**
 * The events a subgraph's resolvers publish and its `Subscription` resolvers subscribe to. In process by
 * default; with `REDIS_URL`, through Redis pub/sub (channels `pubsub:<subgraph>:<topic>`), so that an event
 * published by one replica reaches the subscribers of every replica.
 */
import { EventEmitter, on } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface PubSub {
  /** Delivers `payload` (JSON-serialisable) to every current subscriber of `topic`. */
  publish(topic: string, payload: unknown): Promise<void>;
  /** The events of `topic` from now on; `return()` (a client gone) stops listening at once. */
  subscribe<T = unknown>(topic: string): AsyncIterableIterator<T>;
  /** How many subscribers of `topic` this replica holds now. */
  subscribers(topic: string): number;
  close(): Promise<void>;
}

export interface PubSubOptions {
  /** The subgraph's name: its Redis channels' prefix. */
  namespace: string;
  /** REDIS_URL; default none: in process. */
  redisUrl?: string;
  logger: Logger;
}

export function createPubSub({ namespace, redisUrl, logger }: PubSubOptions): PubSub {
  const local = new EventEmitter();
  // One listener per open subscription: thousands are expected, not a leak.
  local.setMaxListeners(0);
  const redis = redisUrl ? redisChannels(local, `pubsub:${namespace}:`, redisUrl, logger) : undefined;
  return {
    async publish(topic, payload) {
      if (redis) await redis.publish(topic, payload);
      else local.emit(topic, payload);
    },
    subscribe<T>(topic: string) {
      if (local.listenerCount(topic) === 0) redis?.listen(topic);
      const events = on(local, topic);
      const release = () => {
        if (local.listenerCount(topic) === 0) redis?.stopListening(topic);
      };
      const iterator: AsyncIterableIterator<T> = {
        async next() {
          const result = await events.next();
          return result.done ? { done: true, value: undefined } : { done: false, value: (result.value as [T])[0] };
        },
        async return() {
          await events.return?.();
          release();
          return { done: true, value: undefined };
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
    subscribers: (topic) => local.listenerCount(topic),
    close: async () => {
      local.removeAllListeners();
      await redis?.close();
    },
  };
}

/** Redis pub/sub feeding the local emitter: one connection publishes, one listens (Redis needs two). */
function redisChannels(local: EventEmitter, prefix: string, redisUrl: string, logger: Logger) {
  const publisher = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 });
  const subscriber = new Redis(redisUrl, { lazyConnect: false });
  for (const connection of [publisher, subscriber])
    connection.on('error', (error) => logger.warn({ err: error }, 'pub/sub: Redis unreachable'));
  subscriber.on('message', (channel: string, message: string) => {
    if (channel.startsWith(prefix)) local.emit(channel.slice(prefix.length), JSON.parse(message));
  });
  return {
    publish: async (topic: string, payload: unknown) => void (await publisher.publish(prefix + topic, JSON.stringify(payload))),
    listen: (topic: string) =>
      void subscriber.subscribe(prefix + topic).catch((error) => logger.warn({ err: error, topic }, 'pub/sub: could not subscribe')),
    stopListening: (topic: string) => void subscriber.unsubscribe(prefix + topic).catch(() => {}),
    close: async () => {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
