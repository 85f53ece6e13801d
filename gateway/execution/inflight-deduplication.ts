/**
 * In-flight deduplication (Apollo Router's `deduplicate_query`, Hive Gateway's `deduplicateInflightRequests`):
 * query fetches to one subgraph that are identical while the first is in flight share its one call.
 * Identical means the same body (query and variables), the same caller and the same propagated headers, so
 * that no answer ever crosses from one caller to another. Nothing is kept once the call has settled.
 */
import type { Principal } from '../../core/identity.ts';

export interface InflightDeduplication {
  /** The call in flight under `key`, or the one `start` makes, shared until it settles. `shared` is told when joined. */
  share<T>(key: string, start: () => Promise<T>, shared: () => void): Promise<T>;
}

/** What makes two fetches to one subgraph the same call. */
export function deduplicationKey(principal: Principal, body: string, headers: readonly [string, string][]): string {
  return JSON.stringify([principal, headers, body]);
}

export function createInflightDeduplication(): InflightDeduplication {
  const inflight = new Map<string, Promise<unknown>>();
  return {
    share<T>(key: string, start: () => Promise<T>, shared: () => void): Promise<T> {
      const running = inflight.get(key) as Promise<T> | undefined;
      if (running) {
        shared();
        return running;
      }
      const call = start().finally(() => inflight.delete(key));
      inflight.set(key, call);
      return call;
    },
  };
}
