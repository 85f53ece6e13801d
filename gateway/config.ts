/**
 * The gateway's configuration: read from the environment once by the entry point, validated, frozen.
 * Every variable is listed in README.md.
 */
import { DEFAULT_ERROR_STYLES, ERROR_STYLE_NAMES, type ErrorStyle } from './pipeline/error-shapes.ts';
import { DEFAULT_ISSUERS, parseIssuers, withAccountsUrl, type CredentialIssuer } from './pipeline/credential-issuers.ts';
import { isIP } from 'node:net';
import { RATE_LIMIT_DEFAULTS, RATE_LIMIT_TIERS, type RateLimitTier } from './pipeline/rate-limit.ts';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './pipeline/operation-limits.ts';

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
  /** METRICS_PORT: serve /metrics on this port, and not on PORT; unset by default. */
  readonly metricsPort: number | undefined;
  /** METRICS_TOKEN: /metrics then requires `Authorization: Bearer <token>`; unset by default. At least 16 characters. */
  readonly metricsToken: string | undefined;
  /** METRICS_MAX_OPERATION_NAMES, default 50: distinct operation names labelled in metrics; later ones count as "(other)". */
  readonly metricsMaxOperationNames: number;
  /** The variables that `${env.NAME}` in the supergraph config expands to. */
  readonly env: Readonly<NodeJS.ProcessEnv>;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function url(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  return raw;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'true' && raw !== 'false') throw new ConfigError(`${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

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

function redisUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!URL.canParse(raw) || !/^rediss?:$/.test(new URL(raw).protocol)) throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  return raw;
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
    if (!match || !style) throw new ConfigError(`ERROR_STYLES takes "subgraph=style" pairs separated by commas, style one of ${ERROR_STYLE_NAMES.join(', ')}; got "${pair}"`);
    styles[match[1]!] = style;
  }
  return styles;
}

function metricsToken(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (raw.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters long');
  return raw;
}

export function parseGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  return Object.freeze({
    host: env.HOST ?? '127.0.0.1',
    port: integer(env, 'PORT', 4000, { max: 65535 }),
    dataDir: env.DATA_DIR ?? './data',
    supergraphConfigPath: env.SUPERGRAPH_CONFIG ?? './supergraph.yaml',
    supergraphPath: env.SUPERGRAPH_PATH || undefined,
    pollIntervalMs: integer(env, 'SUPERGRAPH_POLL_INTERVAL_MS', 10_000, { min: 100 }),
    subgraphTimeoutMs: integer(env, 'SUBGRAPH_TIMEOUT_MS', 30_000, { min: 1 }),
    subgraphTimeouts: Object.freeze(timeouts(env.SUBGRAPH_TIMEOUTS)),
    identitySecret: env.IDENTITY_SECRET || undefined,
    logLevel,
    production: env.NODE_ENV === 'production',
    authIssuers: Object.freeze(withAccountsUrl(issuers(env.AUTH_ISSUERS), url(env, 'ACCOUNTS_URL'))),
    authCacheTtlMs: integer(env, 'AUTH_CACHE_TTL_MS', 5_000, { max: 5_000 }),
    authNegativeCacheTtlMs: integer(env, 'AUTH_NEGATIVE_CACHE_TTL_MS', 1_000, { max: 5_000 }),
    authCacheMaxEntries: integer(env, 'AUTH_CACHE_MAX_ENTRIES', 10_000, { min: 1 }),
    authStaleIfErrorMs: integer(env, 'AUTH_STALE_IF_ERROR_MS', 60_000, { max: 3_600_000 }),
    errorStyles: Object.freeze(errorStyles(env.ERROR_STYLES)),
    operationLimits: Object.freeze({
      maxDepth: integer(env, 'MAX_DEPTH', DEFAULT_OPERATION_LIMITS.maxDepth, { min: 1 }),
      maxAliases: integer(env, 'MAX_ALIASES', DEFAULT_OPERATION_LIMITS.maxAliases),
      maxRootFields: integer(env, 'MAX_ROOT_FIELDS', DEFAULT_OPERATION_LIMITS.maxRootFields, { min: 1 }),
      maxTokens: integer(env, 'MAX_TOKENS', DEFAULT_OPERATION_LIMITS.maxTokens, { min: 1 }),
      maxBodyBytes: integer(env, 'MAX_BODY_BYTES', DEFAULT_OPERATION_LIMITS.maxBodyBytes, { min: 1 }),
      batchedRequests: flag(env, 'BATCHED_REQUESTS', DEFAULT_OPERATION_LIMITS.batchedRequests),
      maxNesting: integer(env, 'MAX_NESTING', DEFAULT_OPERATION_LIMITS.maxNesting, { min: 1 }),
      maxRecursiveSelections: integer(env, 'MAX_RECURSIVE_SELECTIONS', DEFAULT_OPERATION_LIMITS.maxRecursiveSelections, { min: 1 }),
    }),
    rateLimits: Object.freeze(rateLimits(env.RATE_LIMITS)),
    rateLimitWindowMs: integer(env, 'RATE_LIMIT_WINDOW_MS', RATE_LIMIT_DEFAULTS.windowMs, { min: 1 }),
    loginRateLimit: integer(env, 'LOGIN_RATE_LIMIT', RATE_LIMIT_DEFAULTS.loginLimit),
    loginRateLimitWindowMs: integer(env, 'LOGIN_RATE_LIMIT_WINDOW_MS', RATE_LIMIT_DEFAULTS.loginWindowMs, { min: 1 }),
    redisUrl: redisUrl(env.REDIS_URL),
    trustProxy: trustProxy(env.TRUST_PROXY),
    metricsPort: env.METRICS_PORT ? integer(env, 'METRICS_PORT', 0, { max: 65535 }) : undefined,
    metricsToken: metricsToken(env.METRICS_TOKEN),
    metricsMaxOperationNames: integer(env, 'METRICS_MAX_OPERATION_NAMES', 50, { min: 1 }),
    env: Object.freeze({ ...env }),
  });
}
