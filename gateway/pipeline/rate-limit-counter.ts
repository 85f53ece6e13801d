/**
 * Fixed-window counters, in memory or in Redis: @fastify/rate-limit's own stores, used directly rather
 * than through its route hooks, so that the rate limits run in the pipeline of any transport. Keys, windows
 * and Redis scripts are the plugin's, so counters are shared with gateways that count through it.
 */
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

interface CounterStore {
  incr(
    key: string,
    callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
    timeWindow: number,
    max: number,
  ): void;
}
type LocalStoreClass = new (continueExceeding: boolean, exponentialBackoff: boolean, cache?: number) => CounterStore;
type RedisStoreClass = new (continueExceeding: boolean, exponentialBackoff: boolean, redis: Redis, key: string) => CounterStore;

const require = createRequire(import.meta.url);
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as LocalStoreClass;
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as RedisStoreClass;

/** A count against a limit, as @fastify/rate-limit reports it. */
export interface Verdict {
  max: number;
  remaining: number;
  /** Seconds until the window ends. */
  ttlInSeconds: number;
  isExceeded: boolean;
}

/** Counts one more for `key`; `max` and `windowMs` as @fastify/rate-limit's `max` and `timeWindow`. */
export type Counter = (key: string, max: number, windowMs: number) => Promise<Verdict>;

/**
 * A counter in `redis` under `nameSpace`, or in this process's memory (the plugin's default LRU of 5000
 * keys). A counter that cannot be reached counts nothing: the request passes (the plugin's `skipOnError`).
 */
export function createCounter({ redis, nameSpace }: { redis?: Redis; nameSpace: string }): Counter {
  const store = redis ? new RedisStore(false, false, redis, nameSpace) : new LocalStore(false, false);
  return async (key, max, windowMs) => {
    let current = 0;
    let ttl = 0;
    try {
      ({ current, ttl } = await new Promise<{ current: number; ttl: number }>((resolve, reject) =>
        store.incr(key, (error, result) => (error ? reject(error) : resolve(result!)), windowMs, max),
      ));
    } catch {
      // Unreachable counters were logged when the connection failed; see rate-limit.ts.
    }
    return { max, remaining: Math.max(0, max - current), ttlInSeconds: Math.ceil(ttl / 1000), isExceeded: current > max };
  };
}

/** Adds `amount` for `key`, in fixed windows as `Counter`'s: a budget spent by weights (costs) rather than by one. */
export type WeightedCounter = (key: string, amount: number, max: number, windowMs: number) => Promise<Verdict>;

// INCRBY in place of the plugin's INCR; the window starts with the key, as in the plugin's script.
const WEIGHTED_INCREMENT = `
  local current = redis.call('INCRBY', KEYS[1], ARGV[1])
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then
    ttl = tonumber(ARGV[2])
    redis.call('PEXPIRE', KEYS[1], ttl)
  end
  return {current, ttl}
`;

/** A weighted counter in `redis` under `nameSpace`, or in memory (an LRU of 5000 keys, as the plugin's). Unreachable, it counts nothing. */
export function createWeightedCounter({ redis, nameSpace }: { redis?: Redis; nameSpace: string }): WeightedCounter {
  const windows = new LRUCache<string, { current: number; startedAt: number }>({ max: 5000 });
  const increment = async (key: string, amount: number, windowMs: number): Promise<{ current: number; ttl: number }> => {
    if (redis) {
      const [current, ttl] = (await redis.eval(WEIGHTED_INCREMENT, 1, `${nameSpace}${key}`, amount, windowMs)) as [number, number];
      return { current, ttl };
    }
    const now = Date.now();
    let window = windows.get(key);
    if (!window || window.startedAt + windowMs <= now) window = { current: 0, startedAt: now };
    window.current += amount;
    windows.set(key, window);
    return { current: window.current, ttl: window.startedAt + windowMs - now };
  };
  return async (key, amount, max, windowMs) => {
    let current = 0;
    let ttl = 0;
    try {
      ({ current, ttl } = await increment(key, Math.ceil(amount), windowMs));
    } catch {
      // As for Counter: logged when the connection failed.
    }
    return { max, remaining: Math.max(0, max - current), ttlInSeconds: Math.ceil(ttl / 1000), isExceeded: current > max };
  };
}
