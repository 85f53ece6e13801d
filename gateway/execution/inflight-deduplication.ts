/**
 * In-flight deduplication (Apollo Router's `deduplicate_query`, Hive Gateway's `deduplicateInflightRequests`):
 * query fetches to one subgraph that are identical while the first is in flight share its one call.
 * Identical means the same body (query and variables), the same caller and the same propagated headers, so
 * that no answer ever crosses from one caller to another. Nothing is kept once the call has settled.
 */
import type { Principal } from '../../core/identity.ts';

/** What a fetch gets of a call: its value, and whether another fetch shares it (always, for one that joined). */
export interface SharedCall<T> {
  value: T;
  shared: boolean;
}

export interface InflightDeduplication {
  /**
   * The call in flight for `body` and `caller` (callerKey()), or the one `start` makes, shared until it
   * settles; `joined` is told when a fetch joins one.
   */
  share<T>(body: string, caller: string, start: () => Promise<T>, joined: () => void): Promise<SharedCall<T>>;
}

/** Who a fetch is made for: its principal and the headers propagated to the subgraph. */
export function callerKey(principal: Principal, headers: readonly [string, string][]): string {
  return JSON.stringify(headers.length === 0 ? principal : [principal, headers]);
}

interface Call {
  settled: Promise<unknown>;
  joined: boolean;
}

export function createInflightDeduplication(): InflightDeduplication {
  // By body first: a body is a fresh string whose hash is computed once, where a key joining it to the
  // caller would copy bodies of tens of KB on every fetch.
  const inflight = new Map<string, Map<string, Call>>();
  return {
    share<T>(body: string, caller: string, start: () => Promise<T>, joined: () => void): Promise<SharedCall<T>> {
      let callers = inflight.get(body);
      const running = callers?.get(caller);
      if (running) {
        running.joined = true;
        joined();
        return running.settled.then((value) => ({ value: value as T, shared: true }));
      }
      const call: Call = {
        settled: start().finally(() => {
          callers!.delete(caller);
          if (callers!.size === 0 && inflight.get(body) === callers) inflight.delete(body);
        }),
        joined: false,
      };
      if (!callers) inflight.set(body, (callers = new Map()));
      callers.set(caller, call);
      // Read once settled, when no fetch can join any more: the call has left the map before.
      return call.settled.then((value) => ({ value: value as T, shared: call.joined }));
    },
  };
}
