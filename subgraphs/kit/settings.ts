/**
 * The settings every subgraph shares, read from the environment with the readers in core/settings.ts.
 * A subgraph's own settings are its `settings` parser (defineSubgraph); `buildSubgraph()` checks both
 * before it opens anything.
 */
import {
  readInteger,
  readLogFormat,
  readLogLevel,
  readMetricsToken,
  readOptional,
  readPort,
  readUrl,
  type Env,
  type LogFormat,
  type LogLevel,
} from '../../core/settings.ts';
import { DEFAULT_IDENTITY_WINDOW_MS } from '../../core/identity.ts';
import { readServerLimits, type ServerLimits } from '../../core/server-limits.ts';

export interface SubgraphSettings {
  /** HOST, default 127.0.0.1. */
  readonly host: string;
  /** PORT; unset = the port of the subgraph's routing_url in SUPERGRAPH_CONFIG. */
  readonly port: number | undefined;
  /** DATA_DIR, default ./data: the SQLite files, the generated secrets, the mail outbox. */
  readonly dataDir: string;
  /** IDENTITY_SECRET: HMAC secret shared with the gateway; unset = generated once into DATA_DIR. */
  readonly identitySecret: string | undefined;
  /** LOG_LEVEL, default info: one of fatal, error, warn, info, debug, trace, silent. */
  readonly logLevel: LogLevel;
  /** LOG_FORMAT, default json: `pretty` for a terminal. */
  readonly logFormat: LogFormat;
  /** DATABASE_URL: a postgres:// URL; unset = the embedded SQLite file. */
  readonly databaseUrl: string | undefined;
  /** METRICS_TOKEN: /metrics then requires `Authorization: Bearer <token>`; at least 16 characters, as the gateway asks. */
  readonly metricsToken: string | undefined;
  /** SUPERGRAPH_CONFIG, default ./supergraph.yaml: where PORT's default comes from. */
  readonly supergraphConfigPath: string;
  /** IDENTITY_WINDOW_MS, default 5000: how far a signature's time may be from this service's clock. */
  readonly identityWindowMs: number;
  /** REDIS_URL: where the replicas share the nonces of signed writes; unset = in memory. */
  readonly redisUrl: string | undefined;
  /** REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_CONNECTIONS (server-limits.ts). */
  readonly serverLimits: ServerLimits;
}

export function parseSubgraphSettings(env: Env): SubgraphSettings {
  return Object.freeze({
    host: readOptional(env, 'HOST') ?? '127.0.0.1',
    port: env.PORT === undefined || env.PORT === '' ? undefined : readPort(env, 'PORT', 0),
    dataDir: readOptional(env, 'DATA_DIR') ?? './data',
    identitySecret: readOptional(env, 'IDENTITY_SECRET'),
    logLevel: readLogLevel(env),
    logFormat: readLogFormat(env),
    databaseUrl: readUrl(env, 'DATABASE_URL', ['postgres', 'postgresql']),
    metricsToken: readMetricsToken(env),
    supergraphConfigPath: readOptional(env, 'SUPERGRAPH_CONFIG') ?? './supergraph.yaml',
    identityWindowMs: readInteger(env, 'IDENTITY_WINDOW_MS', DEFAULT_IDENTITY_WINDOW_MS, { min: 100, max: 300_000 }),
    redisUrl: readUrl(env, 'REDIS_URL', ['redis', 'rediss']),
    serverLimits: readServerLimits(env),
  });
}
