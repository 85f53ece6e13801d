/**
 * The gateway's configuration: read from the environment once by the entry point, validated, frozen.
 * Every variable is listed in README.md.
 */
import { DEFAULT_ERROR_STYLES, ERROR_STYLE_NAMES, type ErrorStyle } from './pipeline/error-shapes.ts';
import { DEFAULT_ISSUERS, parseIssuers, withAccountsUrl, type CredentialIssuer } from './pipeline/credential-issuers.ts';
import { isIP } from 'node:net';
import {
  readFlag,
  readInteger,
  readLogFormat,
  readLogLevel,
  readMetricsToken,
  readPort,
  readUrl,
  SettingsError as ConfigError,
  type LogFormat,
} from '../core/settings.ts';
import { RATE_LIMIT_DEFAULTS, RATE_LIMIT_TIERS, type RateLimitTier } from './pipeline/rate-limit.ts';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './pipeline/operation-limits.ts';
import { DEFAULT_OPERATION_CACHE_MB } from './execution/operation-caches.ts';
import { readServerLimits, type ServerLimits } from '../core/server-limits.ts';
import { readSubgraphTrafficSettings, type SubgraphTrafficSettings } from './execution/subgraph-traffic-settings.ts';

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
  /** MAX_SUBSCRIPTIONS_PER_CALLER: subscriptions one caller may have open at once (default 10). */
  readonly maxSubscriptionsPerCaller: number;
  /** SUBGRAPH_TIMEOUTS, e.g. "media=120000,cdn=5000": per-subgraph overrides of SUBGRAPH_TIMEOUT_MS. */
  readonly subgraphTimeouts: Readonly<Record<string, number>>;
  /**
   * SUBGRAPH_DEDUPLICATION, SUBGRAPH_RETRIES, SUBGRAPH_RETRY_*, SUBGRAPH_BREAKER_*, HEADER_PROPAGATION: what happens
   * on the way of each subgraph fetch (execution/subgraph-traffic-settings.ts).
   */
  readonly subgraphTraffic: SubgraphTrafficSettings;
  /** IDENTITY_SECRET: HMAC secret shared with the subgraphs; default, generated once into DATA_DIR. */
  readonly identitySecret: string | undefined;
  /** LOG_LEVEL, default info. */
  readonly logLevel: string;
  /** LOG_FORMAT, default json: `pretty` for a terminal (pino-pretty). */
  readonly logFormat: LogFormat;
  /** NODE_ENV=production turns field suggestions off, and introspection by default. */
  readonly production: boolean;
  /** INTROSPECTION, default true outside production, false in it: `__schema`/`__type`, and the explorer. */
  readonly introspection: boolean;
  /** SUBGRAPH_HEALTH_INTERVAL_MS, default 5000: how often each subgraph is asked whether it answers. */
  readonly subgraphHealthIntervalMs: number;
  /** READY_GRACE_MS, default 30000: how long a subgraph may not answer before /ready fails; 0 never. */
  readonly readyGraceMs: number;
  /** CORS_ORIGINS, default none: the browser origins allowed to call the gateway ("*" for any). */
  readonly corsOrigins: readonly string[];
  /** ACCOUNTS_URL: where authentication asks accounts; default, the origin of its supergraph routing URL. */
  /**
   * AUTH_ISSUERS: the credential issuers, a JSON array (pipeline/credential-issuers.ts); default accounts and
   * dalet. ACCOUNTS_URL sets the `url` of the issuer named accounts (default, the origin of its routing URL).
   */
  readonly authIssuers: readonly CredentialIssuer[];
  /** AUTH_CACHE_TTL_MS, default 5000, at most 5000: how long an accepted key or token is trusted unasked. */
  readonly authCacheTtlMs: number;
  /** AUTH_NEGATIVE_CACHE_TTL_MS, default 1000, at most 5000: how long a refused credential stays refused unasked. */
  readonly authNegativeCacheTtlMs: number;
  /** AUTH_CACHE_MAX_ENTRIES, default 10000: how many credentials the cache holds at most. */
  readonly authCacheMaxEntries: number;
  /** AUTH_STALE_IF_ERROR_MS, default 60000 (0 off): how long an accepted credential is still accepted while its issuer is unreachable. */
  readonly authStaleIfErrorMs: number;
  /**
   * ERROR_STYLES, e.g. "dalet=dalet,media=cognitive-cloud": the error shape of each subgraph, for the errors
   * the gateway makes on its fields; default dalet=dalet, every subgraph not named cognitive-cloud.
   */
  readonly errorStyles: Readonly<Record<string, ErrorStyle>>;
  /** MAX_DEPTH, MAX_ALIASES, MAX_ROOT_FIELDS, MAX_TOKENS, MAX_BODY_BYTES, BATCHED_REQUESTS, MAX_NESTING, MAX_RECURSIVE_SELECTIONS (pipeline/operation-limits.ts). */
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
  /**
   * METRICS_PORT, default 9090: the port of the server of `/metrics`, on METRICS_HOST, as Apollo Router serves
   * its metrics. Set to the value of PORT to serve `/metrics` beside `/graphql` instead, which needs METRICS_TOKEN.
   */
  readonly metricsPort: number;
  /** METRICS_HOST, default 127.0.0.1: the address of the server of `/metrics`, apart from HOST so that it stays off the public network. */
  readonly metricsHost: string;
  /** METRICS_TOKEN: /metrics then requires `Authorization: Bearer <token>`; unset by default. At least 16 characters. */
  readonly metricsToken: string | undefined;
  /** METRICS_MAX_OPERATION_NAMES, default 50: distinct operation names labelled in metrics; later ones count as "(other)". */
  readonly metricsMaxOperationNames: number;
  /** DOCUMENT_CACHE_MB, default 32: heap bytes of parsed operations kept (operation-caches.ts). */
  readonly documentCacheBytes: number;
  /** QUERY_PLAN_CACHE_MB, default 32: heap bytes of query plans kept (operation-caches.ts). */
  readonly queryPlanCacheBytes: number;
  /** REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_CONNECTIONS (core/server-limits.ts). */
  readonly serverLimits: ServerLimits;
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
    if (!match || !tier)
      throw new ConfigError(
        `RATE_LIMITS takes "kind=requests" pairs separated by commas, kind one of ${RATE_LIMIT_TIERS.join(', ')}; got "${pair}"`,
      );
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

function issuers(raw: string | undefined): readonly CredentialIssuer[] {
  if (!raw) return DEFAULT_ISSUERS;
  try {
    return parseIssuers(raw);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function errorStyles(raw: string | undefined): Record<string, ErrorStyle> {
  const styles: Record<string, ErrorStyle> = { ...DEFAULT_ERROR_STYLES };
  for (const pair of raw ? raw.split(',') : []) {
    const match = /^\s*([A-Za-z0-9_-]+)\s*=\s*([a-z-]+)\s*$/.exec(pair);
    const style = ERROR_STYLE_NAMES.find((name) => name === match?.[2]);
    if (!match || !style)
      throw new ConfigError(
        `ERROR_STYLES takes "subgraph=style" pairs separated by commas, style one of ${ERROR_STYLE_NAMES.join(', ')}; got "${pair}"`,
      );
    styles[match[1]!] = style;
  }
  return styles;
}

function corsOrigins(raw: string | undefined): string[] {
  if (!raw) return [];
  const origins = raw.split(',').map((origin) => origin.trim());
  const bad = origins.find((origin) => origin !== '*' && (!URL.canParse(origin) || new URL(origin).origin !== origin));
  if (bad !== undefined)
    throw new ConfigError(`CORS_ORIGINS takes "*" or origins such as https://app.example.com separated by commas; got "${bad}"`);
  return origins;
}

export function parseGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const production = env.NODE_ENV === 'production';
  const port = readPort(env, 'PORT', 4000);
  const metricsPort = readPort(env, 'METRICS_PORT', 9090);
  if (metricsPort === port && !env.METRICS_TOKEN) {
    throw new ConfigError('METRICS_PORT equal to PORT serves /metrics on the public port: set METRICS_TOKEN too');
  }
  return Object.freeze({
    host: env.HOST ?? '127.0.0.1',
    port,
    dataDir: env.DATA_DIR ?? './data',
    supergraphConfigPath: env.SUPERGRAPH_CONFIG ?? './supergraph.yaml',
    supergraphPath: env.SUPERGRAPH_PATH || undefined,
    pollIntervalMs: readInteger(env, 'SUPERGRAPH_POLL_INTERVAL_MS', 10_000, { min: 100 }),
    subgraphTimeoutMs: readInteger(env, 'SUBGRAPH_TIMEOUT_MS', 30_000, { min: 1 }),
    maxSubscriptionsPerCaller: readInteger(env, 'MAX_SUBSCRIPTIONS_PER_CALLER', 10, { min: 1 }),
    subgraphTimeouts: Object.freeze(timeouts(env.SUBGRAPH_TIMEOUTS)),
    subgraphTraffic: readSubgraphTrafficSettings(env),
    identitySecret: env.IDENTITY_SECRET || undefined,
    logLevel: readLogLevel(env),
    logFormat: readLogFormat(env),
    production,
    introspection: readFlag(env, 'INTROSPECTION', !production),
    corsOrigins: Object.freeze(corsOrigins(env.CORS_ORIGINS)),
    subgraphHealthIntervalMs: readInteger(env, 'SUBGRAPH_HEALTH_INTERVAL_MS', 5_000, { min: 10 }),
    readyGraceMs: readInteger(env, 'READY_GRACE_MS', 30_000, { min: 0 }),
    authIssuers: Object.freeze(withAccountsUrl(issuers(env.AUTH_ISSUERS), readUrl(env, 'ACCOUNTS_URL'))),
    authCacheTtlMs: readInteger(env, 'AUTH_CACHE_TTL_MS', 5_000, { max: 5_000 }),
    authNegativeCacheTtlMs: readInteger(env, 'AUTH_NEGATIVE_CACHE_TTL_MS', 1_000, { max: 5_000 }),
    authCacheMaxEntries: readInteger(env, 'AUTH_CACHE_MAX_ENTRIES', 10_000, { min: 1 }),
    authStaleIfErrorMs: readInteger(env, 'AUTH_STALE_IF_ERROR_MS', 60_000, { max: 3_600_000 }),
    errorStyles: Object.freeze(errorStyles(env.ERROR_STYLES)),
    operationLimits: Object.freeze({
      maxDepth: readInteger(env, 'MAX_DEPTH', DEFAULT_OPERATION_LIMITS.maxDepth, { min: 1 }),
      maxAliases: readInteger(env, 'MAX_ALIASES', DEFAULT_OPERATION_LIMITS.maxAliases),
      maxRootFields: readInteger(env, 'MAX_ROOT_FIELDS', DEFAULT_OPERATION_LIMITS.maxRootFields, { min: 1 }),
      maxTokens: readInteger(env, 'MAX_TOKENS', DEFAULT_OPERATION_LIMITS.maxTokens, { min: 1 }),
      maxBodyBytes: readInteger(env, 'MAX_BODY_BYTES', DEFAULT_OPERATION_LIMITS.maxBodyBytes, { min: 1 }),
      batchedRequests: readFlag(env, 'BATCHED_REQUESTS', DEFAULT_OPERATION_LIMITS.batchedRequests),
      maxNesting: readInteger(env, 'MAX_NESTING', DEFAULT_OPERATION_LIMITS.maxNesting, { min: 1 }),
      maxRecursiveSelections: readInteger(env, 'MAX_RECURSIVE_SELECTIONS', DEFAULT_OPERATION_LIMITS.maxRecursiveSelections, { min: 1 }),
    }),
    rateLimits: Object.freeze(rateLimits(env.RATE_LIMITS)),
    rateLimitWindowMs: readInteger(env, 'RATE_LIMIT_WINDOW_MS', RATE_LIMIT_DEFAULTS.windowMs, { min: 1 }),
    loginRateLimit: readInteger(env, 'LOGIN_RATE_LIMIT', RATE_LIMIT_DEFAULTS.loginLimit),
    loginRateLimitWindowMs: readInteger(env, 'LOGIN_RATE_LIMIT_WINDOW_MS', RATE_LIMIT_DEFAULTS.loginWindowMs, { min: 1 }),
    redisUrl: readUrl(env, 'REDIS_URL', ['redis', 'rediss']),
    trustProxy: trustProxy(env.TRUST_PROXY),
    metricsPort,
    metricsHost: env.METRICS_HOST || '127.0.0.1',
    metricsToken: readMetricsToken(env),
    metricsMaxOperationNames: readInteger(env, 'METRICS_MAX_OPERATION_NAMES', 50, { min: 1 }),
    documentCacheBytes: readInteger(env, 'DOCUMENT_CACHE_MB', DEFAULT_OPERATION_CACHE_MB, { min: 1, max: 65_536 }) * 2 ** 20,
    queryPlanCacheBytes: readInteger(env, 'QUERY_PLAN_CACHE_MB', DEFAULT_OPERATION_CACHE_MB, { min: 1, max: 65_536 }) * 2 ** 20,
    serverLimits: readServerLimits(env),
    env: Object.freeze({ ...env }),
  });
}
