/**
 * The gateway's configuration: read from the environment once by the entry point, validated, frozen.
 * Every variable is listed in README.md.
 */
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
    env: Object.freeze({ ...env }),
  });
}
