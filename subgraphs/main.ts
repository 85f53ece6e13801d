/**
 * Starts one subgraph: `npm run start:subgraph -- <name>`.
 *
 * Configuration (environment), shared by every subgraph (kit/settings.ts), then the subgraph's own (its
 * README). A bad value stops the start with one line naming the variable, and exit code 1.
 * - PORT: default, the port of the subgraph's routing_url in supergraph.yaml
 * - HOST: default 127.0.0.1
 * - DATA_DIR: where the database and the identity secret live; default ./data
 * - IDENTITY_SECRET: HMAC secret shared with the gateway; default, generated once into DATA_DIR
 * - DATABASE_URL: a postgres:// URL; default, SQLite in DATA_DIR
 * - METRICS_TOKEN: /metrics behind this bearer token (at least 16 characters); default, no token
 * - SUPERGRAPH_CONFIG: default ./supergraph.yaml
 * - LOG_LEVEL: default info; LOG_FORMAT: json (default) or pretty
 * - IDENTITY_WINDOW_MS: how old a signature may be; default 5000
 * - REDIS_URL: where the replicas share the nonces of signed writes; default in memory
 * - REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_CONNECTIONS: core/server-limits.ts
 * - OTEL_EXPORTER_OTLP_ENDPOINT: export traces (core/tracing.ts)
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCommandLine } from '../core/cli.ts';
import { readSupergraphConfig } from '../core/supergraph-config.ts';
import { parseOrExit, SettingsError } from '../core/settings.ts';
import type { SubgraphDefinition } from './kit/build-subgraph.ts';
import { buildSubgraph } from './kit/build-subgraph.ts';
import { stopOnSignals } from '../core/graceful-close.ts';
import { loadOrCreateIdentitySecret } from '../core/identity.ts';
import { createLogger } from '../core/logger.ts';
import { parseSubgraphSettings } from './kit/settings.ts';

const USAGE = `usage: npm run start:subgraph -- <name>

Starts one subgraph, <name> a folder of subgraphs/ (e.g. accounts). It is configured by environment
variables only (README.md, "Configuration").`;
const [name] = parseCommandLine(USAGE).positional;
const entry = new URL(`./${name}/index.ts`, import.meta.url);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name) || !existsSync(fileURLToPath(entry))) {
  process.stderr.write(`no subgraph "${name ?? ''}": <name> is a folder of subgraphs/\n\n${USAGE}\n`);
  process.exit(2);
}

const env = process.env;
const { definition } = (await import(entry.href)) as { definition: SubgraphDefinition<unknown> };
// Every setting, shared and the subgraph's own, is checked before anything starts.
const settings = parseOrExit(name, () => {
  const shared = parseSubgraphSettings(env);
  definition.parseSettings?.(env);
  return { ...shared, port: shared.port ?? portFromSupergraphConfig(name, shared.supergraphConfigPath) };
});
const logger = createLogger(settings.logLevel, name, settings.logFormat);

try {
  const service = await buildSubgraph(definition, {
    dataDir: settings.dataDir,
    identitySecret: settings.identitySecret ?? loadOrCreateIdentitySecret(settings.dataDir),
    logger,
    env,
  });
  stopOnSignals(service.stop, logger);
  await service.app.listen({ host: settings.host, port: settings.port });
} catch (error) {
  // Past this point everything goes through the logger, a failed start too.
  logger.fatal({ err: error }, `${name} failed to start`);
  process.exit(1);
}

function portFromSupergraphConfig(subgraph: string, configPath: string): number {
  const routingUrl = readSupergraphConfig(configPath).subgraphs.find((entry) => entry.name === subgraph)?.routingUrl;
  if (!routingUrl) throw new SettingsError(`PORT must be set: ${subgraph} is not in ${configPath}`);
  return Number(new URL(routingUrl).port);
}
