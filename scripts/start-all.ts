/**
 * `npm start`: the whole platform on one machine. Starts every subgraph of supergraph.yaml that has a
 * folder under subgraphs/, each in its own process on the port of its routing_url, waits until each is
 * ready, then the queue workers of those that have a `worker-entry.ts`, then the gateway, and waits until
 * it is ready. Ctrl-C or SIGTERM stops them all.
 *
 * A service that dies is restarted after a growing delay, and the others keep serving meanwhile (the gateway
 * answers what does not need a subgraph that is down); one that crashes RESTART_MAX_CRASHES times within
 * RESTART_WINDOW_MS stops everything with exit code 1 (restart-policy.ts). Crashes, restarts and giving up
 * are logged as JSON lines through pino, as the services log.
 *
 * Reads the same environment as the services it starts (README.md lists it all).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCommandLine } from '../core/cli.ts';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags.ts';
import { readSupergraphConfig } from '../core/supergraph-config.ts';
import { loadOrCreateIdentitySecret } from '../core/identity.ts';
import { busyPortMessage } from './port-check.ts';

parseCommandLine(`usage: npm start

Starts every subgraph of supergraph.yaml (or SUPERGRAPH_CONFIG) and the gateway on this machine; Ctrl-C
stops them all. Configured by environment variables only (README.md, "Configuration").`);
import { createLogger } from '../core/logger.ts';
import { createRestartPolicy, readRestartPolicy, type RestartPolicy } from './restart-policy.ts';

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
const host = process.env.HOST ?? '127.0.0.1';
const gatewayPort = Number(process.env.PORT ?? 4000);
const configPath = process.env.SUPERGRAPH_CONFIG ?? 'supergraph.yaml';
const logger = createLogger(process.env.LOG_LEVEL, 'supervisor');
const restartPolicy = readRestartPolicy(process.env);
// The platform's own services may be reached by the workers (e.g. a webhook to a local receiver during
// development), besides whatever the operator lists.
const outboundAllowedHosts = process.env.OUTBOUND_ALLOWED_HOSTS ?? host;
// Created here, once, before any service reads it.
loadOrCreateIdentitySecret(process.env.DATA_DIR ?? './data');

interface Service {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Answers 2xx once the service serves; `url` is what is printed then. A worker serves nothing: none. */
  readyUrl?: string;
  url?: string;
  policy: RestartPolicy;
  child?: ChildProcess;
  restartTimer?: NodeJS.Timeout;
}

const services: Service[] = [];
let stopping = false;

function run(service: Service): ChildProcess {
  const child = spawn(process.execPath, service.args, { env: { ...process.env, ...service.env }, stdio: 'inherit' });
  service.child = child;
  child.once('exit', (code, signal) => {
    service.child = undefined;
    if (stopping) return;
    const exit = { service: service.name, pid: child.pid, code, signal };
    const verdict = service.policy.crashed();
    if (verdict.giveUp) {
      logger.error(
        { ...exit, crashes: verdict.crashesInWindow, windowMs: restartPolicy.windowMs },
        `${service.name} crashed too often; stopping everything`,
      );
      void stopAll(1);
      return;
    }
    logger.warn(
      { ...exit, crashes: verdict.crashesInWindow, restartInMs: verdict.delayMs },
      `${service.name} exited unexpectedly; restarting it`,
    );
    service.restartTimer = setTimeout(() => {
      service.restartTimer = undefined;
      const restarted = run(service);
      logger.info({ service: service.name, pid: restarted.pid }, `${service.name} restarted`);
      waitUntilReady(service).catch((error: unknown) =>
        logger.error({ err: error, service: service.name }, `${service.name} did not become ready`),
      );
    }, verdict.delayMs);
  });
  return child;
}

/** Waits until the service answers, through any restarts meanwhile, then prints which process serves. */
async function waitUntilReady(service: Service): Promise<void> {
  if (!service.readyUrl) {
    console.log(`${service.name} (pid ${service.child?.pid}) started`);
    return;
  }
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline && !stopping) {
    try {
      if ((await fetch(service.readyUrl)).ok && service.child) {
        console.log(`${service.name} (pid ${service.child.pid}) ready on ${service.url}`);
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!stopping) throw new Error(`${service.name} was not ready at ${service.readyUrl} within ${STARTUP_TIMEOUT_MS / 1000} s`);
}

async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  for (const service of services) clearTimeout(service.restartTimer);
  const children = services.flatMap((service) => (service.child ? [service.child] : []));
  const exits = children.map(
    (child) =>
      new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve))),
  );
  for (const child of children) child.kill('SIGTERM');
  const forced = setTimeout(() => {
    for (const child of children) child.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  await Promise.all(exits);
  clearTimeout(forced);
  process.exit(exitCode);
}

function supervise(name: string, args: string[], env: NodeJS.ProcessEnv, readyUrl?: string, url?: string): Service {
  const service: Service = { name, args, env, readyUrl, url, policy: createRestartPolicy(restartPolicy) };
  services.push(service);
  run(service);
  return service;
}

process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));

try {
  const subgraphs = readSupergraphConfig(configPath).subgraphs.filter(({ name }) =>
    existsSync(fileURLToPath(new URL(`../subgraphs/${name}/index.ts`, import.meta.url))),
  );
  const busy = await busyPortMessage(host, [
    ...subgraphs.map(({ name, routingUrl }) => ({
      service: name,
      port: Number(new URL(routingUrl).port),
      variable: `${name.toUpperCase()}_PORT`,
    })),
    { service: 'the gateway', port: gatewayPort, variable: 'PORT' },
  ]);
  if (busy) {
    console.error(busy);
    process.exit(1);
  }
  await Promise.all(
    subgraphs.map(({ name, routingUrl }) => {
      const port = new URL(routingUrl).port;
      const origin = `http://${host}:${port}`;
      return waitUntilReady(
        supervise(name, ['--import', 'tsx', 'subgraphs/main.ts', name], { PORT: port, HOST: host }, `${origin}/ready`, `${origin}/graphql`),
      );
    }),
  );
  // Queue workers once every subgraph is up: their store is migrated by then, and they do not slow the
  // subgraphs' own start.
  for (const { name } of subgraphs) {
    if (!existsSync(fileURLToPath(new URL(`../subgraphs/${name}/worker-entry.ts`, import.meta.url)))) continue;
    await waitUntilReady(
      supervise(`${name} worker`, ['--import', 'tsx', 'subgraphs/worker-main.ts', name], { OUTBOUND_ALLOWED_HOSTS: outboundAllowedHosts }),
    );
  }
  // The CDN edge reads the cdn subgraph's store, migrated by now; it may fetch the platform's own origins.
  if (subgraphs.some(({ name }) => name === 'cdn')) {
    await waitUntilReady(
      supervise('cdn edge', ['--import', 'tsx', 'subgraphs/cdn/edge/main.ts'], {
        HOST: host,
        OUTBOUND_ALLOWED_HOSTS: outboundAllowedHosts,
      }),
    );
  }
  const origin = `http://${host}:${gatewayPort}`;
  await waitUntilReady(
    supervise('gateway', [...GATEWAY_NODE_FLAGS, '--import', 'tsx', 'gateway/main.ts'], {}, `${origin}/ready`, `${origin}/graphql`),
  );
} catch (error) {
  logger.error({ err: error }, 'the platform did not start');
  await stopAll(1);
}
