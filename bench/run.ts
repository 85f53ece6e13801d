/**
 * `npm run bench`: starts the fixture subgraphs, the vanilla Apollo gateway and our gateway, each in its own
 * process, checks that all of them give the same answers, then loads each in turn from a separate
 * autocannon process. Prints a table and writes bench/results/latest.json. See bench/README.md.
 *
 * Settings (environment): BENCH_CONNECTIONS (default 32), BENCH_DURATION seconds (default 10),
 * BENCH_WARMUP seconds (default 3), BENCH_SCENARIOS (default "single,cross,auth"; add "abstract" for a
 * union across three subgraphs), BENCH_TARGETS (default "direct,vanilla,ours"; add "proxy" for
 * bench/bare-proxy.ts under `single`), BENCH_PROFILE=1 writes a CPU profile of our gateway into
 * <tmpdir>/bench-profiles/.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeSupergraph } from '../gateway/supergraph/composition.ts';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags.ts';
import { parseCommandLine } from '../core/cli.ts';
import { ROLES } from '../subgraphs/kit/permissions.ts';
import { FIXTURE_SUBGRAPHS, type FixtureName } from './fixtures/subgraphs.ts';
import type { LoadOptions, LoadResult } from './load.ts';

// ours-nodedup: ours with SUBGRAPH_DEDUPLICATION=false, the A/B of in-flight deduplication.
type Target = 'direct' | 'proxy' | 'vanilla' | 'ours' | 'ours-nodedup';
type ScenarioName = 'single' | 'cross' | 'auth' | 'abstract';
interface Figures {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  rss_mb: number;
  /** Calls the fixture subgraphs served per client request answered (0 for `direct` and `proxy`' own calls). */
  subgraph_calls_per_request: number;
}
/** Printed, not written to latest.json: CPU time of the target per request, steadier than rps on a busy machine. */
const cpuPerRequest = new Map<Figures, number>();

parseCommandLine(`usage: npm run bench

Measures the gateway against direct subgraph calls and vanilla @apollo/gateway, and writes
bench/results/latest.json. Settings (environment): BENCH_SCENARIOS (single,cross,auth; also abstract),
BENCH_TARGETS (direct,vanilla,ours,ours-nodedup; also proxy), BENCH_CONNECTIONS (32), BENCH_DURATION (10 s),
BENCH_WARMUP (3 s), BENCH_PROFILE=1 (CPU profiles). bench/README.md explains each figure.`);

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const IDENTITY_SECRET = 'bench-identity-secret';
// The ADMIN key the real accounts service creates at its first start; every `auth` request carries it.
const API_KEY = `bench_${randomBytes(24).toString('base64url')}`;
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
const warmupSeconds = Number(process.env.BENCH_WARMUP ?? 3);
const chosen = (process.env.BENCH_SCENARIOS ?? 'single,cross,auth').split(',');
const chosenTargets = (process.env.BENCH_TARGETS ?? 'direct,vanilla,ours,ours-nodedup').split(',');
const profile = process.env.BENCH_PROFILE === '1';
const PROFILE_DIR = join(tmpdir(), 'bench-profiles');

const SINGLE = 'query Single { topProducts(first: 5) { upc name price } }';
// Products, then inventory (with @requires) and reviews in parallel, each over 100 entities.
const CROSS = `query Cross {
  topProducts(first: 100) {
    upc name price weight inStock shippingEstimate
    reviews { id body author { id username } }
  }
}`;

// `cross` through a union: 100 entries, 80 products with entity fetches to inventory and reviews, 20
// categories; the reviews under an @include that clients would set, true by default.
const ABSTRACT = `query Abstract($withReviews: Boolean = true) {
  catalog(first: 100) {
    __typename
    ... on Product { upc name price weight inStock shippingEstimate reviews @include(if: $withReviews) { id body author { id username } } }
    ... on Category { id name }
  }
}`;

const scenarios: Record<ScenarioName, { query: string; targets: Target[]; headers?: () => Record<string, string> }> = {
  single: { query: SINGLE, targets: ['direct', 'proxy', 'vanilla', 'ours'] },
  cross: { query: CROSS, targets: ['vanilla', 'ours', 'ours-nodedup'] },
  auth: { query: CROSS, targets: ['ours'], headers: () => ({ authorization: `Bearer ${API_KEY}` }) },
  abstract: { query: ABSTRACT, targets: ['vanilla', 'ours'] },
};

const children: ChildProcess[] = [];
const workDir = mkdtempSync(join(tmpdir(), 'bench-'));

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Starts a TypeScript entry in its own process; resolves once it says it is ready over IPC. */
async function startTs(entry: string, args: string[]): Promise<ChildProcess> {
  const child = fork(entry, args, { execArgv: ['--import', 'tsx'], env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1' } });
  children.push(child);
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(() => {
      throw new Error(`${entry} exited before it was ready`);
    }),
  ])) as [unknown];
  if (!(message as { ready?: boolean }).ready) throw new Error(`${entry} sent ${JSON.stringify(message)}`);
  return child;
}

/** Starts a service by its own entry point, as in production; resolves once `readyUrl` answers 2xx. */
async function startService(name: string, nodeArgs: string[], env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, nodeArgs, {
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1', HOST: '127.0.0.1', IDENTITY_SECRET, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited before it was ready`);
    try {
      if ((await fetch(readyUrl)).ok) return child;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} was not ready within 60 s`);
}

/** The real accounts service, which our gateway asks about API keys. */
async function startAccounts(port: number): Promise<ChildProcess> {
  const env = { PORT: String(port), DATA_DIR: join(workDir, 'accounts'), BOOTSTRAP_ADMIN_KEY: API_KEY };
  return startService('accounts', ['--import', 'tsx', here('../subgraphs/main.ts'), 'accounts'], env, `http://127.0.0.1:${port}/health`);
}

async function startOurGateway(
  port: number,
  supergraphPath: string,
  accountsPort: number,
  settings: Record<string, string> = {},
): Promise<ChildProcess> {
  const profileArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const env = {
    PORT: String(port),
    // Its own server on a free port, as by default, off 9090 so that a gateway already running there is no matter.
    METRICS_PORT: '0',
    DATA_DIR: workDir,
    SUPERGRAPH_PATH: supergraphPath,
    ACCOUNTS_URL: `http://127.0.0.1:${accountsPort}`,
    // Rate limits on, for every kind of caller, far above what one run sends.
    RATE_LIMITS: ['anonymous', 'authenticated', ...ROLES].map((tier) => `${tier}=1000000000`).join(','),
    ...settings,
  };
  // LOG_LEVEL=warn: a log line per request is a deployment choice, and the vanilla server logs nothing.
  return startService(
    'our gateway',
    [...profileArgs, ...GATEWAY_NODE_FLAGS, '--import', 'tsx', here('../gateway/main.ts')],
    env,
    `http://127.0.0.1:${port}/ready`,
  );
}

async function post(url: string, query: string, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  if (response.status !== 200 || body.errors) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return body.data;
}

/** Proves that the key is really checked: the same request with a wrong key must be refused. */
async function expectRefused(url: string, query: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench_not-a-key-at-all-000000' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  if (body.data || body.errors?.[0]?.extensions?.code !== 'UNAUTHENTICATED')
    throw new Error(`a wrong API key was not refused: ${JSON.stringify(body).slice(0, 300)}`);
}

/** User + system CPU time of a process so far, in milliseconds (clock ticks are 10 ms on Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** Runs autocannon in its own process while sampling the target's resident memory. */
let fixturePorts: number[] = [];
/** GraphQL requests the fixture subgraphs have served so far. */
async function subgraphCalls(): Promise<number> {
  const counts = await Promise.all(
    fixturePorts.map(async (port) => ((await (await fetch(`http://127.0.0.1:${port}/calls`)).json()) as { calls: number }).calls),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

async function load(url: string, query: string, headers: Record<string, string>, pid: number): Promise<Figures> {
  const options: LoadOptions = { url, body: JSON.stringify({ query }), headers, connections, warmupSeconds, durationSeconds };
  const generator = spawn(process.execPath, ['--import', 'tsx', here('./load.ts'), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let peakMb = residentMb(pid);
  let cpuAtStart = cpuMs(pid);
  // Counted over the whole load, warm-up included, and divided by every request sent (load.ts).
  const callsAtStart = await subgraphCalls();
  // The measured run starts once the warm-up is over.
  const warmedUp = setTimeout(() => (cpuAtStart = cpuMs(pid)), warmupSeconds * 1000 + 250);
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, residentMb(pid))), 100);
  let output = '';
  generator.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(generator, 'exit')) as [number];
  clearInterval(sampler);
  clearTimeout(warmedUp);
  const cpuUsed = cpuMs(pid) - cpuAtStart;
  const callsMade = (await subgraphCalls()) - callsAtStart;
  if (code !== 0) throw new Error(`the load generator failed with code ${code}`);
  const result = JSON.parse(output) as LoadResult;
  if (result.failures > 0) throw new Error(`${result.failures} requests to ${url} failed under load: the run is not valid`);
  const figures = {
    rps: result.rps,
    p50_ms: result.p50_ms,
    p99_ms: result.p99_ms,
    rss_mb: Math.round(peakMb * 10) / 10,
    subgraph_calls_per_request: Math.round((callsMade / result.allRequests) * 100) / 100,
  };
  cpuPerRequest.set(figures, cpuUsed / result.requests);
  return figures;
}

async function main(): Promise<void> {
  const started = Date.now();
  const ports = Object.fromEntries(
    await Promise.all(Object.keys(FIXTURE_SUBGRAPHS).map(async (name) => [name, await freePort()])),
  ) as Record<FixtureName, number>;
  const composed = composeSupergraph(
    Object.entries(FIXTURE_SUBGRAPHS).map(([name, { typeDefs }]) => ({
      name,
      url: `http://127.0.0.1:${ports[name as FixtureName]}/graphql`,
      sdl: typeDefs,
    })),
  );
  fixturePorts = Object.values(ports);
  if (!composed.ok) throw new Error(`the fixture subgraphs do not compose:\n${composed.errors.join('\n')}`);
  const supergraphPath = join(workDir, 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);

  const subgraphs = Object.fromEntries(
    await Promise.all(
      Object.entries(ports).map(async ([name, port]) => [name, await startTs(here('./fixtures/serve-subgraph.ts'), [name, String(port)])]),
    ),
  ) as Record<FixtureName, ChildProcess>;
  const [proxyPort, vanillaPort, ourPort, noDedupPort, accountsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  await startAccounts(accountsPort);
  const proxy = await startTs(here('./bare-proxy.ts'), [String(proxyPort), `http://127.0.0.1:${ports.products}/graphql`]);
  const vanilla = await startTs(here('./vanilla-gateway.ts'), [String(vanillaPort), supergraphPath]);
  const ours = await startOurGateway(ourPort, supergraphPath, accountsPort);
  const noDedup = chosenTargets.includes('ours-nodedup')
    ? await startOurGateway(noDedupPort, supergraphPath, accountsPort, { SUBGRAPH_DEDUPLICATION: 'false' })
    : undefined;

  const targets: Record<Target, { url: string; pid: number }> = {
    direct: { url: `http://127.0.0.1:${ports.products}/graphql`, pid: subgraphs.products.pid! },
    proxy: { url: `http://127.0.0.1:${proxyPort}/graphql`, pid: proxy.pid! },
    vanilla: { url: `http://127.0.0.1:${vanillaPort}/graphql`, pid: vanilla.pid! },
    ours: { url: `http://127.0.0.1:${ourPort}/graphql`, pid: ours.pid! },
    'ours-nodedup': { url: `http://127.0.0.1:${noDedupPort}/graphql`, pid: noDedup?.pid ?? 0 },
  };

  const results: Partial<Record<ScenarioName, Partial<Record<Target, Figures>>>> = {};
  for (const name of chosen as ScenarioName[]) {
    const scenario = scenarios[name];
    if (!scenario) throw new Error(`unknown scenario "${name}"; choose from ${Object.keys(scenarios).join(', ')}`);
    const headers = scenario.headers?.() ?? {};
    // Every target must give the very same data before its speed means anything.
    const measured = scenario.targets.filter((target) => chosenTargets.includes(target) || target === 'vanilla');
    const answers = await Promise.all(measured.map((target) => post(targets[target].url, scenario.query, headers)));
    const expected = JSON.stringify(await post(targets.vanilla.url, scenario.query));
    answers.forEach((answer, i) => {
      if (JSON.stringify(answer) !== expected) throw new Error(`${measured[i]} answers ${name} differently from vanilla`);
    });
    if (name === 'auth') await expectRefused(targets.ours.url, scenario.query);
    for (const target of scenario.targets.filter((target) => chosenTargets.includes(target))) {
      process.stderr.write(`${name} / ${target} ...\n`);
      (results[name] ??= {})[target] = await load(targets[target].url, scenario.query, headers, targets[target].pid);
    }
  }
  // The machine's speed drifts between runs; `auth` is compared with `cross` measured just before and just
  // after it (an A-B-A design), so that a drift during the runs cancels out of the ratio.
  const crossBefore = results.cross?.ours;
  if (crossBefore && results.auth?.ours) {
    process.stderr.write('cross / ours, again ...\n');
    const crossAfter = await load(targets.ours.url, scenarios.cross.query, {}, targets.ours.pid);
    results.cross!.ours = averageOf(crossBefore, crossAfter);
  }

  printTable(results);
  mkdirSync(here('./results'), { recursive: true });
  writeFileSync(here('./results/latest.json'), `${JSON.stringify({ scenarios: results }, null, 2)}\n`);
  console.log(
    `\n${connections} connections, ${durationSeconds} s per run after ${warmupSeconds} s of warm-up; ${Math.round((Date.now() - started) / 1000)} s in all.`,
  );
}

/** Two runs of one target as one: the mean of each figure, the peak of the resident memory. */
function averageOf(a: Figures, b: Figures): Figures {
  const mean = (x: number, y: number) => Math.round(((x + y) / 2) * 10) / 10;
  const figures = {
    rps: mean(a.rps, b.rps),
    p50_ms: mean(a.p50_ms, b.p50_ms),
    p99_ms: mean(a.p99_ms, b.p99_ms),
    rss_mb: Math.max(a.rss_mb, b.rss_mb),
    subgraph_calls_per_request: mean(a.subgraph_calls_per_request, b.subgraph_calls_per_request),
  };
  cpuPerRequest.set(figures, (cpuPerRequest.get(a)! + cpuPerRequest.get(b)!) / 2);
  return figures;
}

function printTable(results: Partial<Record<ScenarioName, Partial<Record<Target, Figures>>>>): void {
  const rows = [['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'CPU ms/req', 'subgraph calls/req']];
  for (const [scenario, byTarget] of Object.entries(results)) {
    for (const [target, figures] of Object.entries(byTarget)) {
      const { rps, p50_ms, p99_ms, rss_mb, subgraph_calls_per_request: calls } = figures;
      const cpu = cpuPerRequest.get(figures)!.toFixed(2);
      rows.push([scenario, target, String(rps), String(p50_ms), String(p99_ms), rss_mb.toFixed(1), cpu, calls.toFixed(2)]);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows)
    console.log(row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));

  const ratio = (a: number | undefined, b: number | undefined) => (a && b ? `${(a / b).toFixed(2)}x` : 'n/a');
  const { single, cross, auth } = results;
  console.log('');
  console.log(
    `cross: ours/vanilla rps ${ratio(cross?.ours?.rps, cross?.vanilla?.rps)} (target >= 2x), p99 ${cross?.ours?.p99_ms} vs ${cross?.vanilla?.p99_ms} ms (target: no worse)`,
  );
  console.log(
    `cross: deduplication on/off rps ${ratio(cross?.ours?.rps, cross?.['ours-nodedup']?.rps)}, subgraph calls per request ${cross?.ours?.subgraph_calls_per_request} vs ${cross?.['ours-nodedup']?.subgraph_calls_per_request}`,
  );
  console.log(`single: ours/direct rps ${ratio(single?.ours?.rps, single?.direct?.rps)} (target >= 0.5x)`);
  if (single?.proxy)
    console.log(
      `single: bare proxy/direct rps ${ratio(single.proxy.rps, single.direct?.rps)} (what any gateway on fastify + undici can reach)`,
    );
  console.log(`auth: auth/cross rps for ours ${ratio(auth?.ours?.rps, cross?.ours?.rps)} (target >= 0.9x)`);
  console.log(`peak RSS under load, cross: ours ${cross?.ours?.rss_mb} MB, vanilla ${cross?.vanilla?.rss_mb} MB (target: ours below)`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  await exited;
}

/** In the reverse order of their start: the gateways first, so that none calls a service already gone. */
async function stopAll(): Promise<void> {
  for (const child of children.reverse()) await stop(child);
  rmSync(workDir, { recursive: true, force: true });
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  console.error(error);
} finally {
  await stopAll();
}
