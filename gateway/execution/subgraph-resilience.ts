/**
 * What stands between a subgraph call and a failing subgraph: a circuit breaker per subgraph, and retries
 * of idempotent fetches within a retry budget.
 *
 * The breaker is cockatiel's (kept, small, no timers of its own): consecutive failures or a failure rate
 * open it; while open, fetches fail at once, without waiting SUBGRAPH_TIMEOUT_MS for a frozen subgraph; after
 * the cool-down one probe is let through (half-open, the others still failing at once), and its success
 * closes it again. Failures are what says
 * the subgraph cannot serve: a connection refused or dropped, a timeout, 502, 503, 504.
 *
 * Retries are for query fetches only (a mutation is never sent twice), on a connection failure or a 502,
 * 503 or 504, after a backoff with full jitter or the subgraph's `Retry-After` when it asks for no longer
 * than SUBGRAPH_RETRY_MAX_DELAY_MS.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { BrokenCircuitError, circuitBreaker, CircuitState, ConsecutiveBreaker, CountBreaker, handleWhen, type IBreaker } from 'cockatiel';
import type { SubgraphFetcher } from './fetcher.ts';
import { createRetryBudget } from './retry-budget.ts';
import type { BreakerSettings, RetrySettings } from './subgraph-traffic-settings.ts';

export type CircuitStateName = 'closed' | 'open' | 'half_open';
export const CIRCUIT_STATES: readonly CircuitStateName[] = ['closed', 'half_open', 'open'];
export type RetryOutcome = 'retried' | 'budget_exhausted';

export interface SubgraphResilienceOptions {
  subgraph: string;
  /** The measured fetcher: every attempt is a call. */
  fetcher: SubgraphFetcher;
  retries: RetrySettings;
  breaker: BreakerSettings;
  onRetry?(subgraph: string, outcome: RetryOutcome): void;
  onCircuitChange?(subgraph: string, state: CircuitStateName): void;
  /** Default Math.random: the jitter. */
  random?: () => number;
}

export interface SubgraphResilience {
  /**
   * One fetch through the breaker, retried when `idempotent` and the budget allows; `init` made afresh for each
   * attempt, when it has a connection (fetcher.ts).
   */
  fetch(url: string, init: () => FetcherRequestInit, idempotent: boolean): Promise<FetcherResponse>;
  circuitState(): CircuitStateName;
}

const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/** Codes of a connection that could not be made or was dropped: the subgraph is down or gone, not slow. */
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

export function isConnectionFailure(error: unknown): boolean {
  for (let cause = error as { code?: unknown; cause?: unknown } | undefined; cause; cause = cause.cause as typeof cause) {
    if (typeof cause.code === 'string' && CONNECTION_FAILURES.has(cause.code)) return true;
  }
  return false;
}

const isTimeout = (error: unknown) => (error as Error | undefined)?.name === 'TimeoutError';

/** Opens when any of its breakers says so: consecutive failures, or a failure rate. */
function eitherBreaker(breakers: IBreaker[]): IBreaker {
  return {
    get state() {
      return breakers.map((breaker) => breaker.state);
    },
    set state(states: unknown) {
      (states as unknown[]).forEach((state, index) => (breakers[index]!.state = state));
    },
    success: (state) => breakers.forEach((breaker) => breaker.success(state)),
    failure: (state) => breakers.map((breaker) => breaker.failure(state)).some(Boolean),
  };
}

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};

/** How long `Retry-After` asks to wait, in milliseconds: seconds or an HTTP date. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function createSubgraphResilience({
  subgraph,
  fetcher,
  retries,
  breaker: settings,
  onRetry,
  onCircuitChange,
  random = Math.random,
}: SubgraphResilienceOptions): SubgraphResilience {
  const breakers: IBreaker[] = [];
  if (settings.consecutiveFailures > 0) breakers.push(new ConsecutiveBreaker(settings.consecutiveFailures));
  if (settings.failurePercent > 0)
    breakers.push(new CountBreaker({ threshold: settings.failurePercent / 100, size: 100, minimumNumberOfCalls: 20 }));
  const breaker =
    breakers.length === 0
      ? undefined
      : circuitBreaker(
          handleWhen((error) => isConnectionFailure(error) || isTimeout(error)).orWhenResult((response) =>
            RETRYABLE_STATUSES.has((response as FetcherResponse).status),
          ),
          { halfOpenAfter: settings.cooldownMs, breaker: eitherBreaker(breakers) },
        );
  breaker?.onStateChange((state) => onCircuitChange?.(subgraph, STATE_NAMES[state]));
  const budget = createRetryBudget({ ratio: retries.budgetPercent / 100, min: retries.budgetMin, windowMs: retries.budgetWindowMs });

  const attempt = async (url: string, init: () => FetcherRequestInit) => {
    if (!breaker) return fetcher(url, init);
    // cockatiel makes the others wait for the probe, up to a timeout for a frozen subgraph: they fail at once.
    if (breaker.state === CircuitState.HalfOpen) throw new BrokenCircuitError();
    return breaker.execute(() => fetcher(url, init));
  };
  const backoff = (retry: number) => random() * Math.min(retries.maxDelayMs, retries.backoffMs * 2 ** retry);

  return {
    async fetch(url, init, idempotent) {
      budget.fetched();
      for (let retry = 0; ; retry++) {
        let delayMs: number | undefined;
        let failure: { error: unknown } | undefined;
        let response: FetcherResponse | undefined;
        try {
          response = await attempt(url, init);
          if (!RETRYABLE_STATUSES.has(response.status)) return response;
          const asked = retryAfterMs(response.headers.get('retry-after'));
          delayMs = asked === undefined ? backoff(retry) : asked <= retries.maxDelayMs ? asked : undefined;
        } catch (error) {
          if (!isConnectionFailure(error)) throw error;
          failure = { error };
          delayMs = backoff(retry);
        }
        const retrying = idempotent && retry < retries.maxRetries && delayMs !== undefined;
        if (retrying && budget.tryRetry()) {
          onRetry?.(subgraph, 'retried');
          await sleep(delayMs);
          continue;
        }
        if (retrying) onRetry?.(subgraph, 'budget_exhausted');
        if (failure) throw failure.error;
        return response!;
      }
    },
    circuitState: () => (breaker ? STATE_NAMES[breaker.state] : 'closed'),
  };
}

export interface SubgraphResilienceByName {
  /** The resilience of subgraph `name`, made on first use (its circuit reported closed), then kept. */
  of(name: string): SubgraphResilience;
  /** Each subgraph's circuit state, for `/ready`. */
  circuits(): Record<string, CircuitStateName>;
}

export function subgraphResilienceByName(optionsOf: (name: string) => SubgraphResilienceOptions): SubgraphResilienceByName {
  const made = new Map<string, SubgraphResilience>();
  return {
    of(name) {
      let found = made.get(name);
      if (!found) {
        const options = optionsOf(name);
        found = createSubgraphResilience(options);
        made.set(name, found);
        options.onCircuitChange?.(name, 'closed');
      }
      return found;
    },
    circuits: () => Object.fromEntries([...made].map(([name, { circuitState }]) => [name, circuitState()])),
  };
}
