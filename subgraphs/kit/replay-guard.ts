/**
 * Remembers the nonces of signed requests that write (identity.ts), so that one captured on the way is
 * accepted once: in this process's memory (lru-cache), or with a Redis URL in Redis, shared by the replicas
 * of a service. A nonce is kept for twice the identity window, the longest span in which its timestamp
 * can be accepted. If Redis cannot be reached, this process's memory still refuses a replay to this
 * replica, and that is logged.
 */
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';

export interface ReplayGuard {
  /** True the first time `nonce` is seen within its window, false ever after. */
  firstUse(nonce: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface ReplayGuardOptions {
  /** The identity window, in milliseconds: nonces are kept for twice as long. */
  windowMs: number;
  /** REDIS_URL: `redis://` URL of the nonces shared by the replicas. Default: this process's memory. */
  redisUrl?: string;
  /** The Redis key prefix, e.g. the service's name. */
  namespace: string;
  /** Nonces kept in memory at most. Default 100000 (a few MB). */
  maxEntries?: number;
  logger: Logger;
}

export async function createReplayGuard(options: ReplayGuardOptions): Promise<ReplayGuard> {
  const ttl = 2 * options.windowMs;
  const seen = new LRUCache<string, true>({ max: options.maxEntries ?? 100_000, ttl });
  const firstUseHere = (nonce: string): boolean => {
    if (seen.has(nonce)) return false;
    seen.set(nonce, true);
    return true;
  };
  if (!options.redisUrl) return { firstUse: async (nonce) => firstUseHere(nonce), close: async () => {} };

  const redis = await connect(options.redisUrl, options.logger);
  return {
    async firstUse(nonce) {
      const here = firstUseHere(nonce);
      try {
        const set = await redis.set(`identity-replay:${options.namespace}:${nonce}`, '1', 'PX', ttl, 'NX');
        return here && set === 'OK';
      } catch {
        return here;
      }
    },
    close: async () => redis.disconnect(),
  };
}

async function connect(url: string, logger: Logger): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 1_000 });
  let reachable = true;
  redis.on('error', (error: Error) => {
    if (reachable)
      logger.warn({ err: error }, 'replay guard unreachable in Redis; replays are refused by this replica only until it is back');
    reachable = false;
  });
  redis.on('ready', () => {
    if (!reachable) logger.info('replay guard reachable in Redis again');
    reachable = true;
  });
  return redis;
}
