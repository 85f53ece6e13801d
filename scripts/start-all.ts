/**
 * `npm start`: the whole platform on one machine. Starts every subgraph of supergraph.yaml that has a
 * folder under subgraphs/, each in its own process on the port of its routing_url, waits until each is
 * healthy (and then its queue workers, if it has a `worker-entry.ts`), then starts the gateway and waits
 * until it is ready. Ctrl-C or SIGTERM stops them all; a child
 * that dies ends the whole command with a non-zero exit code.
 *
 * Reads the same environment as the services it starts (README.md lists it all).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags.ts';
import { readSupergraphConfig } from '../gateway/supergraph-config.ts';
import { loadOrCreateIdentitySecret } from '../subgraphs/kit/identity.ts';

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
const host = process.env.HOST ?? '127.0.0.1';
const gatewayPort = Number(process.env.PORT ?? 4000);
const configPath = process.env.SUPERGRAPH_CONFIG ?? 'supergraph.yaml';
// The platform's own services may be reached by the workers (e.g. a webhook to a local receiver during
// development), besides whatever the operator lists.
const outboundAllowedHosts = process.env.OUTBOUND_ALLOWED_HOSTS ?? host;
// Created here, once, before any service reads it.
loadOrCreateIdentitySecret(process.env.DATA_DIR ?? './data');

const children = new Map<string, ChildProcess>();
let stopping = false;

function start(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'inherit' });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) return;
    console.error(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
    void stopAll(1);
  });
  return child;
}

async function waitUntilOk(name: string, url: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!children.has(name)) throw new Error(`${name} exited before it was ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} was not ready at ${url} within ${STARTUP_TIMEOUT_MS / 1000} s`);
}

async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  const exits = [...children.values()].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children.values()) child.kill('SIGTERM');
  const forced = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  await Promise.all(exits);
  clearTimeout(forced);
  process.exit(exitCode);
}

process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));

try {
  const subgraphs = readSupergraphConfig(configPath).subgraphs.filter(({ name }) =>
    existsSync(fileURLToPath(new URL(`../subgraphs/${name}/index.ts`, import.meta.url))),
  );
  await Promise.all(
    subgraphs.map(async ({ name, routingUrl }) => {
      const port = new URL(routingUrl).port;
      const child = start(name, ['--import', 'tsx', 'subgraphs/main.ts', name], { PORT: port, HOST: host });
      await waitUntilOk(name, `http://${host}:${port}/ready`);
      console.log(`${name} (pid ${child.pid}) ready on http://${host}:${port}/graphql`);
      // Its queue workers, once its store is migrated: they share it.
      if (existsSync(fileURLToPath(new URL(`../subgraphs/${name}/worker-entry.ts`, import.meta.url)))) {
        const worker = start(`${name} worker`, ['--import', 'tsx', 'subgraphs/worker-main.ts', name], { OUTBOUND_ALLOWED_HOSTS: outboundAllowedHosts });
        console.log(`${name} worker (pid ${worker.pid}) started`);
      }
    }),
  );
  // The CDN edge reads the cdn subgraph's store, migrated by now; it may fetch the platform's own origins.
  if (subgraphs.some(({ name }) => name === 'cdn')) {
    const edge = start('cdn edge', ['--import', 'tsx', 'subgraphs/cdn/edge/main.ts'], { HOST: host, OUTBOUND_ALLOWED_HOSTS: outboundAllowedHosts });
    console.log(`cdn edge (pid ${edge.pid}) started on port ${process.env.CDN_EDGE_PORT ?? 4080}`);
  }
  const gateway = start('gateway', [...GATEWAY_NODE_FLAGS, '--import', 'tsx', 'gateway/main.ts'], {});
  await waitUntilOk('gateway', `http://${host}:${gatewayPort}/ready`);
  console.log(`gateway (pid ${gateway.pid}) ready on http://${host}:${gatewayPort}/graphql`);
} catch (error) {
  console.error(String(error));
  await stopAll(1);
}
