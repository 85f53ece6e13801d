/**
 * Starts one subgraph: `npm run start:subgraph -- <name>`.
 *
 * Configuration (environment):
 * - PORT: default, the port of the subgraph's routing_url in supergraph.yaml
 * - HOST: default 127.0.0.1
 * - DATA_DIR: where the database and the identity secret live; default ./data
 * - IDENTITY_SECRET: HMAC secret shared with the gateway; default, generated once into DATA_DIR
 * - IDENTITY_WINDOW_MS: how old a signature may be; default 5000
 * - REDIS_URL: where the replicas share the nonces of signed writes; default in memory
 * - SUPERGRAPH_CONFIG: default ./supergraph.yaml
 * - LOG_LEVEL: default info
 * - REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_CONNECTIONS: kit/server-limits.ts
 * - METRICS_TOKEN: serve /metrics behind this bearer token; without it, no /metrics
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCommandLine } from '../core/cli.ts';
import { readSupergraphConfig } from '../gateway/supergraph-config.ts';
import type { SubgraphDefinition } from './kit/build-subgraph.ts';
import { buildSubgraph } from './kit/build-subgraph.ts';
import { stopOnSignals } from './kit/graceful-close.ts';
import { loadOrCreateIdentitySecret } from './kit/identity.ts';
import { createLogger, LOG_FORMATS, type LogFormat } from './kit/logger.ts';

const USAGE = `usage: npm run start:subgraph -- <name>

Starts one subgraph, <name> a folder of subgraphs/ (e.g. accounts). It is configured by environment
variables only (README.md, "Configuration").`;
const [name] = parseCommandLine(USAGE).positional;
const entry = new URL(`./${name}/index.ts`, import.meta.url);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name) || !existsSync(fileURLToPath(entry))) {
  console.error(`no subgraph "${name ?? ''}": <name> is a folder of subgraphs/\n\n${USAGE}`);
  process.exit(2);
}

const env = process.env;
const dataDir = env.DATA_DIR ?? './data';
const logFormat = LOG_FORMATS.find((format) => format === (env.LOG_FORMAT || 'json'));
if (!logFormat) {
  console.error(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}, got "${env.LOG_FORMAT}"`);
  process.exit(1);
}
const logger = createLogger(env.LOG_LEVEL, name, logFormat satisfies LogFormat);
const port = Number(env.PORT ?? portFromSupergraphConfig(name, env.SUPERGRAPH_CONFIG ?? 'supergraph.yaml'));

const { definition } = (await import(entry.href)) as { definition: SubgraphDefinition<unknown> };
const service = await buildSubgraph(definition, {
  dataDir,
  identitySecret: env.IDENTITY_SECRET ?? loadOrCreateIdentitySecret(dataDir),
  logger,
  env,
});
await service.app.listen({ host: env.HOST ?? '127.0.0.1', port });

stopOnSignals(service.stop, logger);

function portFromSupergraphConfig(subgraph: string, configPath: string): number {
  const config = readSupergraphConfig(configPath);
  const routingUrl = config.subgraphs.find((entry) => entry.name === subgraph)?.routingUrl;
  if (!routingUrl) throw new Error(`${subgraph} is not in ${configPath}; set PORT`);
  return Number(new URL(routingUrl).port);
}
