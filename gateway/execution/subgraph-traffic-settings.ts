/**
 * The settings of what happens on the way of every subgraph fetch: the connections per subgraph, in-flight
 * deduplication, retries and their budget, the circuit breaker per subgraph, header propagation. Read once
 * by config.ts, validated, frozen; every variable is in the top README's configuration table.
 */
import { readFlag, readInteger, readOptional, SettingsError, type Env } from '../../core/settings.ts';
import { DEFAULT_SUBGRAPH_CONNECTIONS } from './fetcher.ts';
import { parseHeaderPropagation, type HeaderPropagation } from './header-propagation.ts';

export interface RetrySettings {
  /** SUBGRAPH_RETRIES, default 2: retries of one query fetch at most; 0 turns retries off. */
  readonly maxRetries: number;
  /** SUBGRAPH_RETRY_BACKOFF_MS, default 50: the first retry waits up to this (full jitter), each next one twice as long. */
  readonly backoffMs: number;
  /** SUBGRAPH_RETRY_MAX_DELAY_MS, default 2000: the longest wait before a retry; a longer `Retry-After` is not waited for. */
  readonly maxDelayMs: number;
  /** SUBGRAPH_RETRY_BUDGET_PERCENT, default 20: retries allowed per subgraph, as a share of its fetches over the window. */
  readonly budgetPercent: number;
  /** SUBGRAPH_RETRY_BUDGET_MIN, default 10: retries allowed per subgraph and window whatever the share. */
  readonly budgetMin: number;
  /** SUBGRAPH_RETRY_BUDGET_WINDOW_MS, default 10000: the window the budget counts over. */
  readonly budgetWindowMs: number;
}

export interface BreakerSettings {
  /** SUBGRAPH_BREAKER_FAILURES, default 5: consecutive failed fetches that open a subgraph's circuit; 0 off. */
  readonly consecutiveFailures: number;
  /** SUBGRAPH_BREAKER_FAILURE_PERCENT, default 50: failed share of its last 100 fetches (20 at least) that opens it; 0 off. */
  readonly failurePercent: number;
  /** SUBGRAPH_BREAKER_COOLDOWN_MS, default 10000: how long an open circuit fails fetches before one probe is let through. */
  readonly cooldownMs: number;
}

export interface SubgraphTrafficSettings {
  /**
   * SUBGRAPH_MAX_CONNECTIONS, default 128: connections to one subgraph (origin) at most, so calls in flight to
   * it at most; further calls wait their turn in the gateway (fetcher.ts), within their SUBGRAPH_TIMEOUT_MS.
   */
  readonly maxConnections: number;
  /** SUBGRAPH_DEDUPLICATION, default true: identical query fetches in flight at once share one call. */
  readonly deduplication: boolean;
  readonly retries: RetrySettings;
  readonly breaker: BreakerSettings;
  /** HEADER_PROPAGATION (JSON), default off: client headers copied to subgraphs, subgraphs' Cache-Control to clients. */
  readonly headers: HeaderPropagation;
}

export function readSubgraphTrafficSettings(env: Env): SubgraphTrafficSettings {
  let headers: HeaderPropagation;
  try {
    headers = parseHeaderPropagation(readOptional(env, 'HEADER_PROPAGATION'));
  } catch (error) {
    throw new SettingsError(`HEADER_PROPAGATION: ${(error as Error).message}`);
  }
  return Object.freeze({
    maxConnections: readInteger(env, 'SUBGRAPH_MAX_CONNECTIONS', DEFAULT_SUBGRAPH_CONNECTIONS, { min: 1, max: 10_000 }),
    deduplication: readFlag(env, 'SUBGRAPH_DEDUPLICATION', true),
    retries: Object.freeze({
      maxRetries: readInteger(env, 'SUBGRAPH_RETRIES', 2, { max: 10 }),
      backoffMs: readInteger(env, 'SUBGRAPH_RETRY_BACKOFF_MS', 50, { max: 60_000 }),
      maxDelayMs: readInteger(env, 'SUBGRAPH_RETRY_MAX_DELAY_MS', 2_000, { max: 60_000 }),
      budgetPercent: readInteger(env, 'SUBGRAPH_RETRY_BUDGET_PERCENT', 20, { max: 100 }),
      budgetMin: readInteger(env, 'SUBGRAPH_RETRY_BUDGET_MIN', 10, { max: 1_000_000 }),
      budgetWindowMs: readInteger(env, 'SUBGRAPH_RETRY_BUDGET_WINDOW_MS', 10_000, { min: 100, max: 3_600_000 }),
    }),
    breaker: Object.freeze({
      consecutiveFailures: readInteger(env, 'SUBGRAPH_BREAKER_FAILURES', 5, { max: 1_000 }),
      failurePercent: readInteger(env, 'SUBGRAPH_BREAKER_FAILURE_PERCENT', 50, { max: 100 }),
      cooldownMs: readInteger(env, 'SUBGRAPH_BREAKER_COOLDOWN_MS', 10_000, { min: 1, max: 3_600_000 }),
    }),
    headers,
  });
}
