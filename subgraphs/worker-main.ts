/**
 * Starts the queue workers of one subgraph in their own process: `npm run start:worker -- <name>`, where
 * subgraphs/<name>/worker-entry.ts exports `workerDefinition`. Several may run, on several machines, against
 * one DATABASE_URL. SIGTERM or SIGINT stops claiming and lets running jobs finish; a worker killed outright
 * leaves its jobs to expire and be claimed again.
 *
 * Configuration (environment): DATA_DIR, DATABASE_URL, IDENTITY_SECRET, SUPERGRAPH_CONFIG, LOG_LEVEL, and
 * the subgraph's own settings (its README).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readSupergraphConfig } from '../core/supergraph-config.ts';
import { loadOrCreateIdentitySecret } from '../core/identity.ts';
import { createLogger } from '../core/logger.ts';
import { openStore } from './kit/store.ts';
import type { WorkerDefinition } from './kit/worker.ts';

const name = process.argv[2];
const entry = new URL(`./${name}/worker-entry.ts`, import.meta.url);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name) || !existsSync(fileURLToPath(entry))) {
  console.error(`usage: npm run start:worker -- <name>, where subgraphs/<name>/worker-entry.ts exists (got "${name ?? ''}")`);
  process.exit(2);
}

const env = process.env;
const dataDir = env.DATA_DIR ?? './data';
const log = createLogger(env.LOG_LEVEL, `${name}-worker`);
const config = readSupergraphConfig(env.SUPERGRAPH_CONFIG ?? 'supergraph.yaml');
const routingUrls = Object.fromEntries(config.subgraphs.map((subgraph) => [subgraph.name, subgraph.routingUrl]));

const { workerDefinition } = (await import(entry.href)) as { workerDefinition: WorkerDefinition<unknown> };
const store = await openStore({
  name: workerDefinition.name,
  dataDir,
  databaseUrl: env.DATABASE_URL,
  migrations: workerDefinition.migrations,
  log,
});
const workers = workerDefinition.create({
  store,
  dataDir,
  identitySecret: env.IDENTITY_SECRET ?? loadOrCreateIdentitySecret(dataDir),
  env,
  routingUrls,
  log,
});
workers.start();
log.info({ pid: process.pid }, 'worker started');
// Told on stdout too, so that whoever started the process (npm start, a test) knows it is claiming.
process.stdout.write(`${name} worker ready (pid ${process.pid})\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker stopping');
    void workers
      .stop()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'worker did not stop cleanly');
          process.exit(1);
        },
      );
  });
}
