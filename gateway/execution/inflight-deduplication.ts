/**
 * In-flight deduplication (Apollo Router's `deduplicate_query`, Hive Gateway's `deduplicateInflightRequests`):
 * query fetches to one subgraph that are identical while the first is in flight share its one call.
 * Identical means the same body (query and variables), the same caller and the same propagated headers, so
 * that no answer ever crosses from one caller to another. Nothing is kept once the call has settled.
 */
import type { Principal } from '../../core/identity.ts';

export interface InflightDeduplication {
  /**
   * The call in flight for `body` and `caller` (callerKey()), or the one `start` makes, shared until it
   * settles; `shared` is told when a fetch joins one.
   */
  share<T>(body: string, caller: string, start: () => Promise<T>, shared: () => void): Promise<T>;
}

/** Who a fetch is made for: its principal and the headers propagated to the subgraph. */
export function callerKey(principal: Principal, headers: readonly [string, string][]): string {
  return JSON.stringify(headers.length === 0 ? principal : [principal, headers]);
}

export function createInflightDeduplication(): InflightDeduplication {
  // By body first: a body is a fresh string whose hash is computed once, where a key joining it to the
  // caller would copy bodies of tens of KB on every fetch.
  const inflight = new Map<string, Map<string, Promise<unknown>>>();
  return {
    share<T>(body: string, caller: string, start: () => Promise<T>, shared: () => void): Promise<T> {
      let callers = inflight.get(body);
      const running = callers?.get(caller) as Promise<T> | undefined;
      if (running) {
        shared();
        return running;
      }
      const call = start().finally(() => {
        callers!.delete(caller);
        if (callers!.size === 0 && inflight.get(body) === callers) inflight.delete(body);
      });
      if (!callers) inflight.set(body, (callers = new Map()));
      callers.set(caller, call);
      return call;
    },
  };
}
