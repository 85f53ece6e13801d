/**
 * The gateway's configuration: read from the environment once by the entry point, validated, frozen.
 * Every variable is listed in README.md.
 */
import { isIP } from 'node:net';
import {
  readFlag,
  readInteger,
  readLogLevel,
  readMetricsToken,
  readPort,
  readUrl,
  SettingsError as ConfigError,
} from '../shared/settings.ts';
import { RATE_LIMIT_DEFAULTS, RATE_LIMIT_TIERS, type RateLimitTier } from './rate-limit.ts';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './operation-limits.ts';

export interface GatewayConfig {
  /** HOST, default 127.0.0.1. */
  readonly host: string;
  /** PORT, default 4000. */
  readonly port: number;
  /** DATA_DIR, default ./data: where the embedded identity secret lives. */
  readonly dataDir: string;
  /** SUPERGRAPH_CONFIG, default ./supergraph.yaml: the rover supergraph config to compose. */
  readonly supergraphConfigPath: string;
  /** SUPERGRAPH_PATH: a ready supergraph SDL file to serve instead of composing; unset by default. */
  readonly supergraphPath: string | undefined;
  /** SUPERGRAPH_POLL_INTERVAL_MS, default 10000: how often `subgraph_url` schemas are fetched again. */
  readonly pollIntervalMs: number;
  /** SUBGRAPH_TIMEOUT_MS, default 30000: how long a subgraph call may take. */
  readonly subgraphTimeoutMs: number;
  /** SUBGRAPH_TIMEOUTS, e.g. "media=120000,cdn=5000": per-subgraph overrides of SUBGRAPH_TIMEOUT_MS. */
  readonly subgraphTimeouts: Readonly<Record<string, number>>;
  /** IDENTITY_SECRET: HMAC secret shared with the subgraphs; default, generated once into DATA_DIR. */
  readonly identitySecret: string | undefined;
  /** LOG_LEVEL, default info. */
  readonly logLevel: string;
  /** NODE_ENV=production turns introspection and field suggestions off. */
  readonly production: boolean;
  /** ACCOUNTS_URL: where authentication asks accounts; default, the origin of its supergraph routing URL. */
  readonly accountsUrl: string | undefined;
  /** AUTH_CACHE_TTL_MS, default 5000, at most 5000: how long an accepted key or token is trusted unasked. */
  readonly authCacheTtlMs: number;
  /** AUTH_NEGATIVE_CACHE_TTL_MS, default 1000, at most 5000: how long a refused credential stays refused unasked. */
  readonly authNegativeCacheTtlMs: number;
  /** AUTH_CACHE_MAX_ENTRIES, default 10000: how many credentials the cache holds at most. */
  readonly authCacheMaxEntries: number;
  /** MAX_DEPTH, MAX_ALIASES, MAX_ROOT_FIELDS, MAX_TOKENS, MAX_BODY_BYTES, BATCHED_REQUESTS (operation-limits.ts). */
  readonly operationLimits: OperationLimits;
  /**
   * RATE_LIMITS, e.g. "anonymous=100,ADMIN=2000": requests per RATE_LIMIT_WINDOW_MS by kind of caller (anonymous,
   * authenticated: without a role, or a role); default anonymous=100, authenticated=300, READONLY=600, FINANCE=600,
   * DEVELOPER=1200, ADMIN=1200. Kinds not named keep their default.
   */
  readonly rateLimits: Readonly<Record<RateLimitTier, number>>;
  /** RATE_LIMIT_WINDOW_MS, default 60000. */
  readonly rateLimitWindowMs: number;
  /** LOGIN_RATE_LIMIT, default 10: login attempts per LOGIN_RATE_LIMIT_WINDOW_MS by caller. */
  readonly loginRateLimit: number;
  /** LOGIN_RATE_LIMIT_WINDOW_MS, default 600000 (10 minutes). */
  readonly loginRateLimitWindowMs: number;
  /** REDIS_URL: `redis://` or `rediss://` URL where the replicas share rate-limit counters; unset by default (in memory). */
  readonly redisUrl: string | undefined;
  /**
   * TRUST_PROXY, default false: which proxies' `X-Forwarded-For` gives the client address that anonymous
   * callers are rate-limited by: true (any: only when nothing reaches the gateway but through them), or their
   * addresses and CIDRs separated by commas.
   */
  readonly trustProxy: boolean | string[];
  /** METRICS_PORT: serve /metrics on this port, and not on PORT; unset by default. */
  readonly metricsPort: number | undefined;
  /** METRICS_TOKEN: /metrics then requires `Authorization: Bearer <token>`; unset by default. At least 16 characters. */
  readonly metricsToken: string | undefined;
  /** METRICS_MAX_OPERATION_NAMES, default 50: distinct operation names labelled in metrics; later ones count as "(other)". */
  readonly metricsMaxOperationNames: number;
  /** The variables that `${env.NAME}` in the supergraph config expands to. */
  readonly env: Readonly<NodeJS.ProcessEnv>;
}

export { ConfigError };

function timeouts(raw: string | undefined): Record<string, number> {
  if (!raw) return {};
  return Object.fromEntries(
    raw.split(',').map((pair) => {
      const match = /^\s*([A-Za-z0-9_-]+)\s*=\s*(\d+)\s*$/.exec(pair);
      if (!match) throw new ConfigError(`SUBGRAPH_TIMEOUTS takes "name=milliseconds" pairs separated by commas, got "${pair}"`);
      return [match[1]!, Number(match[2])];
    }),
  );
}

function rateLimits(raw: string | undefined): Record<RateLimitTier, number> {
  const limits: Record<RateLimitTier, number> = { ...RATE_LIMIT_DEFAULTS.limits };
  for (const pair of raw ? raw.split(',') : []) {
    const match = /^\s*(\w+)\s*=\s*(\d{1,15})\s*$/.exec(pair);
    const tier = RATE_LIMIT_TIERS.find((name) => name === match?.[1]);
    if (!match || !tier) throw new ConfigError(`RATE_LIMITS takes "kind=requests" pairs separated by commas, kind one of ${RATE_LIMIT_TIERS.join(', ')}; got "${pair}"`);
    limits[tier] = Number(match[2]);
  }
  return limits;
}

function trustProxy(raw: string | undefined): boolean | string[] {
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return true;
  const addresses = raw.split(',').map((item) => item.trim());
  const bad = addresses.find((item) => !isIP(item.replace(/\/\d{1,3}$/, '')));
  if (bad !== undefined) throw new ConfigError(`TRUST_PROXY takes true, false, or addresses and CIDRs separated by commas; got "${bad}"`);
  return addresses;
}

export function parseGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const logLevel = readLogLevel(env);
  return Object.freeze({
    host: env.HOST ?? '127.0.0.1',
    port: readPort(env, 'PORT', 4000),
    dataDir: env.DATA_DIR ?? './data',
    supergraphConfigPath: env.SUPERGRAPH_CONFIG ?? './supergraph.yaml',
    supergraphPath: env.SUPERGRAPH_PATH || undefined,
    pollIntervalMs: readInteger(env, 'SUPERGRAPH_POLL_INTERVAL_MS', 10_000, { min: 100 }),
    subgraphTimeoutMs: readInteger(env, 'SUBGRAPH_TIMEOUT_MS', 30_000, { min: 1 }),
    subgraphTimeouts: Object.freeze(timeouts(env.SUBGRAPH_TIMEOUTS)),
    identitySecret: env.IDENTITY_SECRET || undefined,
    logLevel,
    production: env.NODE_ENV === 'production',
    accountsUrl: readUrl(env, 'ACCOUNTS_URL'),
    authCacheTtlMs: readInteger(env, 'AUTH_CACHE_TTL_MS', 5_000, { max: 5_000 }),
    authNegativeCacheTtlMs: readInteger(env, 'AUTH_NEGATIVE_CACHE_TTL_MS', 1_000, { max: 5_000 }),
    authCacheMaxEntries: readInteger(env, 'AUTH_CACHE_MAX_ENTRIES', 10_000, { min: 1 }),
    operationLimits: Object.freeze({
      maxDepth: readInteger(env, 'MAX_DEPTH', DEFAULT_OPERATION_LIMITS.maxDepth, { min: 1 }),
      maxAliases: readInteger(env, 'MAX_ALIASES', DEFAULT_OPERATION_LIMITS.maxAliases),
      maxRootFields: readInteger(env, 'MAX_ROOT_FIELDS', DEFAULT_OPERATION_LIMITS.maxRootFields, { min: 1 }),
      maxTokens: readInteger(env, 'MAX_TOKENS', DEFAULT_OPERATION_LIMITS.maxTokens, { min: 1 }),
      maxBodyBytes: readInteger(env, 'MAX_BODY_BYTES', DEFAULT_OPERATION_LIMITS.maxBodyBytes, { min: 1 }),
      batchedRequests: readFlag(env, 'BATCHED_REQUESTS', DEFAULT_OPERATION_LIMITS.batchedRequests),
    }),
    rateLimits: Object.freeze(rateLimits(env.RATE_LIMITS)),
    rateLimitWindowMs: readInteger(env, 'RATE_LIMIT_WINDOW_MS', RATE_LIMIT_DEFAULTS.windowMs, { min: 1 }),
    loginRateLimit: readInteger(env, 'LOGIN_RATE_LIMIT', RATE_LIMIT_DEFAULTS.loginLimit),
    loginRateLimitWindowMs: readInteger(env, 'LOGIN_RATE_LIMIT_WINDOW_MS', RATE_LIMIT_DEFAULTS.loginWindowMs, { min: 1 }),
    redisUrl: readUrl(env, 'REDIS_URL', ['redis', 'rediss']),
    trustProxy: trustProxy(env.TRUST_PROXY),
    metricsPort: env.METRICS_PORT ? readPort(env, 'METRICS_PORT', 0) : undefined,
    metricsToken: readMetricsToken(env),
    metricsMaxOperationNames: readInteger(env, 'METRICS_MAX_OPERATION_NAMES', 50, { min: 1 }),
    env: Object.freeze({ ...env }),
  });
}
