/**
 * The gateway's Prometheus metrics: one registry per gateway, made by buildGateway, with the instruments and
 * the small functions the gateway's modules report through. Every metric is listed in README.md beside this
 * file; the HTTP and process metrics it shares with the subgraphs come from core/metrics.ts.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { createMetricsRegistry, DURATION_BUCKETS } from '../../core/metrics.ts';
import { FALLBACK_REASONS, type FallbackReason } from '../execution/compiled-plan.ts';
import type { SubgraphFetcher } from '../execution/fetcher.ts';
import type { ReloadResult } from '../supergraph/supergraph-source.ts';
import { CIRCUIT_STATES, type CircuitStateName, type RetryOutcome } from '../execution/subgraph-resilience.ts';

/** Label values that cannot be GraphQL names, so they never collide with a real operation's name. */
export const ANONYMOUS_OPERATION = '(anonymous)';
export const OTHER_OPERATION = '(other)';
export const INVALID_OPERATION = '(invalid)';

export type OperationOutcome = 'success' | 'error' | 'invalid';
export type SubgraphFetchOutcome = 'success' | 'http_error' | 'timeout' | 'network_error';
export type RateLimitName = 'requests' | 'login';
/** What a rate limit counted the caller by. */
export type CallerKind = 'api_key' | 'user' | 'address';

export interface GatewayMetricsOptions {
  /**
   * How many distinct operation names get a label of their own; later names are counted as "(other)".
   * Default 50. Bounds the number of series a client can create by inventing names.
   */
  maxOperationNames?: number;
}

export interface GatewayMetrics {
  readonly registry: Registry;
  /** Records operations by name, type and outcome, with their duration. */
  readonly apolloPlugin: ApolloServerPlugin;
  /** Wraps a subgraph's fetcher to count and time its calls. */
  measureFetches(subgraph: string, fetcher: SubgraphFetcher): SubgraphFetcher;
  /** For the subgraph data sources: a fetch was answered by an identical call in flight. */
  subgraphFetchDeduplicated(subgraph: string): void;
  /** For the subgraph data sources: a fetch was retried, or its retry refused by the budget. */
  subgraphRetried(subgraph: string, outcome: RetryOutcome): void;
  /** For the subgraph data sources: a subgraph's circuit changed state (also called with its first state). */
  circuitChanged(subgraph: string, state: CircuitStateName): void;
  /** For authentication: a credential was refused. `reason` is one of a few fixed words, e.g. "expired". */
  authenticationFailed(reason: string): void;
  /** For authentication: a lookup in one of its caches, e.g. `authCacheLookup('api_key', true)`. */
  authCacheLookup(cache: string, hit: boolean): void;
  rateLimited(limit: RateLimitName, caller: CallerKind): void;
  /** Pass as the supergraph source's `onReload`. */
  supergraphReloaded(result: ReloadResult): void;
  /** Pass to ApolloGateway's `onSchemaLoadOrUpdate`: a supergraph was loaded and now serves. */
  supergraphLoaded(): void;
  /** For the plan execution: a request was left to @apollo/gateway, and why. */
  planExecutionFellBack(reason: FallbackReason): void;
  /** For subscriptions (gateway/ws/), by the subgraph of their primary fetch (and the open ones by operation name). */
  subscriptionOpened(subgraph: string, operation: string | undefined): void;
  subscriptionClosed(subgraph: string, operation: string | undefined): void;
  subscriptionEventDelivered(subgraph: string): void;
  subscriptionUpstreamFailed(subgraph: string): void;
}

/** A label whose first `max` values are kept and every later one becomes `overflow`. */
function boundedLabel(max: number, overflow: string): (value: string) => string {
  const kept = new Set<string>();
  return (value) => {
    if (kept.has(value)) return value;
    if (kept.size >= max) return overflow;
    kept.add(value);
    return value;
  };
}

export function createGatewayMetrics({ maxOperationNames = 50 }: GatewayMetricsOptions = {}): GatewayMetrics {
  const registry = createMetricsRegistry();
  const registers = [registry];

  const operations = new Counter({
    name: 'gateway_operations_total',
    help: 'GraphQL operations by name, type and outcome (success, error: the answer has errors, invalid: not parsed or validated)',
    labelNames: ['operation_name', 'operation_type', 'outcome'],
    registers,
  });
  const operationDuration = new Histogram({
    name: 'gateway_operation_duration_seconds',
    help: 'Time from Apollo Server receiving an operation to its answer, by name, type and outcome',
    labelNames: ['operation_name', 'operation_type', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const subgraphFetches = new Counter({
    name: 'gateway_subgraph_fetches_total',
    help: 'Calls to subgraphs, by subgraph and outcome (success, http_error, timeout, network_error)',
    labelNames: ['subgraph', 'outcome'],
    registers,
  });
  const subgraphFetchDuration = new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Time a subgraph took to answer one call completely, by subgraph',
    labelNames: ['subgraph'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const deduplicatedFetches = new Counter({
    name: 'gateway_subgraph_fetches_deduplicated_total',
    help: 'Subgraph fetches answered by an identical call in flight instead of a call of their own, by subgraph',
    labelNames: ['subgraph'],
    registers,
  });
  const subgraphRetries = new Counter({
    name: 'gateway_subgraph_retries_total',
    help: 'Retries of subgraph query fetches, by subgraph and outcome (retried, budget_exhausted: refused by the retry budget)',
    labelNames: ['subgraph', 'outcome'],
    registers,
  });
  const circuitState = new Gauge({
    name: 'gateway_subgraph_circuit_state',
    help: "State of each subgraph's circuit breaker: 0 closed, 1 half-open (probing), 2 open (fetches fail at once)",
    labelNames: ['subgraph'],
    registers,
  });
  const authFailures = new Counter({
    name: 'gateway_auth_failures_total',
    help: 'Credentials refused by the gateway, by reason',
    labelNames: ['reason'],
    registers,
  });
  const authCache = new Counter({
    name: 'gateway_auth_cache_lookups_total',
    help: 'Lookups in the authentication caches, by cache and result (hit, miss)',
    labelNames: ['cache', 'result'],
    registers,
  });
  const rateLimitRejections = new Counter({
    name: 'gateway_rate_limit_rejections_total',
    help: 'Requests answered 429, by limit (requests, login) and what the caller was counted by (api_key, user, address)',
    labelNames: ['limit', 'caller'],
    registers,
  });
  const supergraphReloads = new Counter({
    name: 'gateway_supergraph_reloads_total',
    help: 'Supergraph reload attempts, by result (success, unchanged, failure: the last good supergraph kept serving)',
    labelNames: ['result'],
    registers,
  });
  const supergraphLoadedAt = new Gauge({
    name: 'gateway_supergraph_last_load_timestamp_seconds',
    help: 'Unix time at which the supergraph now serving was loaded',
    registers,
  });

  const planFallbacks = new Counter({
    name: 'gateway_plan_execution_fallbacks_total',
    help: 'Operations the plan execution left to @apollo/gateway to execute, by reason (see execution/compiled-plan.ts)',
    labelNames: ['reason'],
    registers,
  });

  const subscriptionsOpen = new Gauge({
    name: 'gateway_subscriptions_open',
    help: 'Subscriptions open now, by the subgraph of their primary fetch and the operation name',
    labelNames: ['subgraph', 'operation_name'],
    registers,
  });
  const subscriptionEvents = new Counter({
    name: 'gateway_subscription_events_total',
    help: 'Subscription events delivered to clients, by the subgraph of their primary fetch',
    labelNames: ['subgraph'],
    registers,
  });
  const subscriptionUpstreamFailures = new Counter({
    name: 'gateway_subscription_upstream_failures_total',
    help: 'Subscription upstreams that failed or closed abnormally, by subgraph',
    labelNames: ['subgraph'],
    registers,
  });

  // Known label values start at 0, so that rate() and alerts see their first increase.
  for (const result of ['success', 'unchanged', 'failure'] satisfies ReloadResult[]) supergraphReloads.inc({ result }, 0);
  for (const reason of FALLBACK_REASONS) planFallbacks.inc({ reason }, 0);
  for (const limit of ['requests', 'login'] satisfies RateLimitName[]) {
    for (const caller of ['api_key', 'user', 'address'] satisfies CallerKind[]) rateLimitRejections.inc({ limit, caller }, 0);
  }

  const operationName = boundedLabel(maxOperationNames, OTHER_OPERATION);
  // The reasons and caches are the authentication module's fixed words; the bound only guards against a bug.
  const reason = boundedLabel(20, 'other');
  const cache = boundedLabel(10, 'other');

  return {
    registry,
    apolloPlugin: {
      async requestDidStart() {
        const stopTimer = operationDuration.startTimer();
        return {
          async willSendResponse({ operation, operationName: name, errors }) {
            // Without a resolved operation the document did not parse or validate: its name is the client's invention.
            const labels = {
              operation_name: operation ? operationName(name ?? ANONYMOUS_OPERATION) : INVALID_OPERATION,
              operation_type: operation?.operation ?? 'unknown',
              outcome: (operation ? (errors?.length ? 'error' : 'success') : 'invalid') satisfies OperationOutcome,
            };
            operations.inc(labels);
            stopTimer(labels);
          },
        };
      },
    },
    measureFetches: (subgraph, fetcher) => async (url, init) => {
      const stopTimer = subgraphFetchDuration.startTimer({ subgraph });
      let outcome: SubgraphFetchOutcome = 'network_error';
      try {
        const response = await fetcher(url, init);
        outcome = response.ok ? 'success' : 'http_error';
        return response;
      } catch (error) {
        if ((error as Error | undefined)?.name === 'TimeoutError') outcome = 'timeout';
        throw error;
      } finally {
        stopTimer();
        subgraphFetches.inc({ subgraph, outcome });
      }
    },
    subgraphFetchDeduplicated: (subgraph) => deduplicatedFetches.inc({ subgraph }),
    subgraphRetried: (subgraph, outcome) => subgraphRetries.inc({ subgraph, outcome }),
    circuitChanged: (subgraph, state) => circuitState.set({ subgraph }, CIRCUIT_STATES.indexOf(state)),
    authenticationFailed: (why) => authFailures.inc({ reason: reason(why) }),
    authCacheLookup: (name, hit) => authCache.inc({ cache: cache(name), result: hit ? 'hit' : 'miss' }),
    rateLimited: (limit, caller) => rateLimitRejections.inc({ limit, caller }),
    supergraphReloaded: (result) => supergraphReloads.inc({ result }),
    supergraphLoaded: () => supergraphLoadedAt.setToCurrentTime(),
    planExecutionFellBack: (why) => planFallbacks.inc({ reason: why }),
    // Subgraph names come from the supergraph, not from clients: no bound needed. Operation names are bounded.
    subscriptionOpened: (subgraph, name) => subscriptionsOpen.inc({ subgraph, operation_name: operationName(name ?? ANONYMOUS_OPERATION) }),
    subscriptionClosed: (subgraph, name) => subscriptionsOpen.dec({ subgraph, operation_name: operationName(name ?? ANONYMOUS_OPERATION) }),
    subscriptionEventDelivered: (subgraph) => subscriptionEvents.inc({ subgraph }),
    subscriptionUpstreamFailed: (subgraph) => subscriptionUpstreamFailures.inc({ subgraph }),
  };
}
