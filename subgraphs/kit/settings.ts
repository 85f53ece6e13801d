/**
 * The settings every subgraph shares, read from the environment with the readers in shared/settings.ts.
 * A subgraph's own settings are its `settings` parser (defineSubgraph); `buildSubgraph()` checks both
 * before it opens anything.
 */
import { readLogLevel, readMetricsToken, readOptional, readPort, readUrl, type Env, type LogLevel } from '../../shared/settings.ts';

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
  /** DATABASE_URL: a postgres:// URL; unset = the embedded SQLite file. */
  readonly databaseUrl: string | undefined;
  /** METRICS_TOKEN: /metrics then requires `Authorization: Bearer <token>`; at least 16 characters, as the gateway asks. */
  readonly metricsToken: string | undefined;
  /** SUPERGRAPH_CONFIG, default ./supergraph.yaml: where PORT's default comes from. */
  readonly supergraphConfigPath: string;
}

export function parseSubgraphSettings(env: Env): SubgraphSettings {
  return Object.freeze({
    host: readOptional(env, 'HOST') ?? '127.0.0.1',
    port: env.PORT === undefined || env.PORT === '' ? undefined : readPort(env, 'PORT', 0),
    dataDir: readOptional(env, 'DATA_DIR') ?? './data',
    identitySecret: readOptional(env, 'IDENTITY_SECRET'),
    logLevel: readLogLevel(env),
    databaseUrl: readUrl(env, 'DATABASE_URL', ['postgres', 'postgresql']),
    metricsToken: readMetricsToken(env),
    supergraphConfigPath: readOptional(env, 'SUPERGRAPH_CONFIG') ?? './supergraph.yaml',
  });
}
