/**
 * `npm run bench`: starts the fixture subgraphs, the vanilla Apollo gateway, Hive Gateway with each of its
 * query planners and our gateway, each in its own process, checks that all of them give the same answers,
 * then loads each in turn from a separate autocannon process. Prints a table and writes
 * bench/results/latest.json. See bench/README.md.
 *
 * Settings (environment): BENCH_CONNECTIONS (default 32), BENCH_DURATION seconds (default 10),
 * BENCH_WARMUP seconds (default 3), BENCH_ROUNDS (default 1: each round loads every target once, in turn,
 * and the figures are their means), BENCH_SCENARIOS (default "single,cross,auth,heavy"; add "abstract"
 * for a union across three subgraphs), BENCH_TARGETS (default every one: direct, proxy, vanilla, hive,
 * hive-rust, ours, ours-nodedup), BENCH_BASELINE (the root of another checkout, whose gateway is measured too
 * as the target ours-baseline, for the A/B of a change in one run), BENCH_PROFILE=1 writes a CPU
 * profile of our gateway into <tmpdir>/bench-profiles/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeSupergraph } from '../gateway/supergraph/composition.ts';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags.ts';
import { parseCommandLine } from '../core/cli.ts';
import { ROLES } from '../subgraphs/kit/permissions.ts';
import { FIXTURE_SUBGRAPHS, type FixtureName } from './fixtures/subgraphs.ts';
import type { LoadOptions, LoadResult } from './load.ts';
import { cpuMs, freePort, residentMb, startService, startTs, stopAll } from './processes.ts';
import { combineRuns, printTable, printTargets, type Figures, type Invalid, type Results } from './report.ts';
import { isScenarioName, SCENARIOS, type ScenarioName, type Target } from './scenarios.ts';
import { callsPerRequest, readCallCounts } from './subgraph-calls.ts';

parseCommandLine(`usage: npm run bench

Measures our gateway against direct subgraph calls, a bare proxy, vanilla @apollo/gateway and Hive Gateway
(JS and Rust query planners), and writes bench/results/latest.json. Settings (environment):
BENCH_SCENARIOS (single,cross,auth,heavy; also abstract), BENCH_TARGETS (direct,proxy,vanilla,hive,
hive-rust,ours,ours-nodedup), BENCH_BASELINE (another checkout's root: its gateway is measured as
ours-baseline), BENCH_ROUNDS (1), BENCH_CONNECTIONS (32), BENCH_DURATION (10 s), BENCH_WARMUP (3 s),
BENCH_PROFILE=1 (CPU profiles). bench/README.md explains each figure.`);

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const IDENTITY_SECRET = 'bench-identity-secret';
// The ADMIN key the real accounts service creates at its first start; every `auth` request carries it.
const API_KEY = `bench_${randomBytes(24).toString('base64url')}`;
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
const warmupSeconds = Number(process.env.BENCH_WARMUP ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const chosen = (process.env.BENCH_SCENARIOS ?? 'single,cross,auth,heavy').split(',');
// Another checkout (its own node_modules installed) whose gateway is measured beside ours: an A/B in one run.
const baselineCheckout = process.env.BENCH_BASELINE;
const chosenTargets = (process.env.BENCH_TARGETS ?? 'direct,proxy,vanilla,hive,hive-rust,ours,ours-nodedup')
  .split(',')
  .concat(baselineCheckout ? ['ours-baseline'] : []);
const profile = process.env.BENCH_PROFILE === '1';
const PROFILE_DIR = join(tmpdir(), 'bench-profiles');

const workDir = mkdtempSync(join(tmpdir(), 'bench-'));

/** The real accounts service, which our gateway asks about API keys. */
async function startAccounts(port: number): Promise<ChildProcess> {
  const env = { PORT: String(port), DATA_DIR: join(workDir, 'accounts'), BOOTSTRAP_ADMIN_KEY: API_KEY, IDENTITY_SECRET };
  return startService('accounts', ['--import', 'tsx', here('../subgraphs/main.ts'), 'accounts'], env, `http://127.0.0.1:${port}/health`);
}

async function startOurGateway(
  port: number,
  supergraphPath: string,
  accountsPort: number,
  settings: Record<string, string> = {},
  checkout = here('..'),
): Promise<ChildProcess> {
  const profileArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const env = {
    PORT: String(port),
    IDENTITY_SECRET,
    // Its own server on a free port, as by default, off 9090 so that a gateway already running there is no matter.
    METRICS_PORT: '0',
    DATA_DIR: workDir,
    SUPERGRAPH_PATH: supergraphPath,
    ACCOUNTS_URL: `http://127.0.0.1:${accountsPort}`,
    // Rate limits on, for every kind of caller, far above what one run sends.
    RATE_LIMITS: ['anonymous', 'authenticated', ...ROLES].map((tier) => `${tier}=1000000000`).join(','),
    ...settings,
  };
  // LOG_LEVEL=warn (startService): a log line per request is a deployment choice, and the vanilla server logs nothing.
  return startService(
    'our gateway',
    [...profileArgs, ...GATEWAY_NODE_FLAGS, '--import', 'tsx', join(checkout, 'gateway/main.ts')],
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

/** A run whose figures mean nothing: the target is reported invalid for it, and the bench goes on. */
class InvalidRun extends Error {}

/** Runs autocannon in its own process while sampling the target's resident memory and counting subgraph calls. */
async function load(url: string, query: string, headers: Record<string, string>, pid: number, fixtures: ChildProcess[]): Promise<Figures> {
  const options: LoadOptions = { url, body: JSON.stringify({ query }), headers, connections, warmupSeconds, durationSeconds };
  const callsBefore = await readCallCounts(fixtures);
  const generator = spawn(process.execPath, ['--import', 'tsx', here('./load.ts'), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let peakMb = residentMb(pid);
  let cpuAtStart = cpuMs(pid);
  // The measured run starts once the warm-up is over.
  const warmedUp = setTimeout(() => (cpuAtStart = cpuMs(pid)), warmupSeconds * 1000 + 250);
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, residentMb(pid))), 100);
  let output = '';
  generator.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(generator, 'exit')) as [number];
  clearInterval(sampler);
  clearTimeout(warmedUp);
  const cpuUsed = cpuMs(pid) - cpuAtStart;
  const callsAfter = await readCallCounts(fixtures);
  if (code !== 0) throw new Error(`the load generator failed with code ${code}`);
  const result = JSON.parse(output) as LoadResult;
  const { non2xx, errors, timeouts } = result.failures;
  if (non2xx + errors + timeouts > 0) throw new InvalidRun(`${non2xx} non-2xx answers, ${errors} connection errors, ${timeouts} timeouts`);
  if (result.requests === 0) throw new InvalidRun('no request answered in the measured run');
  return {
    rps: result.rps,
    p50_ms: result.p50_ms,
    p99_ms: result.p99_ms,
    rss_mb: Math.round(peakMb * 10) / 10,
    cpu_ms_per_request: cpuUsed / result.requests,
    subgraph_calls_per_request: callsPerRequest(callsBefore, callsAfter, result.sent),
  };
}

async function startTargets(): Promise<{ targets: Partial<Record<Target, { url: string; pid: number }>>; fixtures: ChildProcess[] }> {
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
  if (!composed.ok) throw new Error(`the fixture subgraphs do not compose:\n${composed.errors.join('\n')}`);
  const supergraphPath = join(workDir, 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);

  const subgraphs = Object.fromEntries(
    await Promise.all(
      Object.entries(ports).map(async ([name, port]) => [name, await startTs(here('./fixtures/serve-subgraph.ts'), [name, String(port)])]),
    ),
  ) as Record<FixtureName, ChildProcess>;
  const port = Object.fromEntries(
    await Promise.all(
      (['proxy', 'vanilla', 'hive', 'hive-rust', 'ours', 'ours-nodedup', 'ours-baseline', 'accounts'] as const).map(async (name) => [
        name,
        await freePort(),
      ]),
    ),
  ) as Record<Exclude<Target, 'direct'> | 'accounts', number>;
  const url = (name: keyof typeof port) => `http://127.0.0.1:${port[name]}/graphql`;
  await startAccounts(port.accounts);
  const proxy = await startTs(here('./bare-proxy.ts'), [String(port.proxy), `http://127.0.0.1:${ports.products}/graphql`]);
  const vanilla = await startTs(here('./vanilla-gateway.ts'), [String(port.vanilla), supergraphPath]);
  // Loaded here only: `npm run bench --help`, which the tests run, needs none of Hive's packages.
  const { startHiveGateway } = await import('./hive-gateway.ts');
  const hive = await startHiveGateway(port.hive, supergraphPath, 'js');
  const hiveRust = await startHiveGateway(port['hive-rust'], supergraphPath, 'rust');
  const ours = await startOurGateway(port.ours, supergraphPath, port.accounts);
  const oursNoDedup = await startOurGateway(port['ours-nodedup'], supergraphPath, port.accounts, { SUBGRAPH_DEDUPLICATION: 'false' });
  const baseline = baselineCheckout && (await startOurGateway(port['ours-baseline'], supergraphPath, port.accounts, {}, baselineCheckout));
  const targets = {
    direct: { url: `http://127.0.0.1:${ports.products}/graphql`, pid: subgraphs.products.pid! },
    proxy: { url: url('proxy'), pid: proxy.pid! },
    vanilla: { url: url('vanilla'), pid: vanilla.pid! },
    hive: { url: url('hive'), pid: hive.pid! },
    'hive-rust': { url: url('hive-rust'), pid: hiveRust.pid! },
    ours: { url: url('ours'), pid: ours.pid! },
    'ours-nodedup': { url: url('ours-nodedup'), pid: oursNoDedup.pid! },
    ...(baseline ? { 'ours-baseline': { url: url('ours-baseline'), pid: baseline.pid! } } : {}),
  };
  return { targets, fixtures: Object.values(subgraphs) };
}

async function main(): Promise<void> {
  const started = Date.now();
  const unknown = chosen.filter((name) => !isScenarioName(name));
  if (unknown.length > 0) throw new Error(`unknown scenario "${unknown[0]}"; choose from ${Object.keys(SCENARIOS).join(', ')}`);
  const scenarioNames = chosen as ScenarioName[];
  const { targets, fixtures } = await startTargets();
  // Every target but ours-baseline, started only with BENCH_BASELINE.
  const startedTargets = (name: ScenarioName) => SCENARIOS[name].targets.filter((target) => targets[target]);

  // Every target must give the very same data before its speed means anything.
  for (const name of scenarioNames) {
    const scenario = SCENARIOS[name];
    const headers = scenario.headers?.(API_KEY) ?? {};
    const checked = startedTargets(name);
    const answers = await Promise.all(checked.map((target) => post(targets[target]!.url, scenario.query, headers)));
    const expected = JSON.stringify(await post(targets.vanilla!.url, scenario.query));
    answers.forEach((answer, i) => {
      if (JSON.stringify(answer) !== expected) throw new Error(`${checked[i]} answers ${name} differently from vanilla`);
    });
    if (name === 'auth') await expectRefused(targets.ours!.url, scenario.query);
  }

  const runs: Partial<Record<ScenarioName, Partial<Record<Target, Figures[]>>>> = {};
  const invalid: Invalid = {};
  const measure = async (name: ScenarioName, target: Target, round: number) => {
    const scenario = SCENARIOS[name];
    process.stderr.write(`round ${round}: ${name} / ${target} ...\n`);
    try {
      const { url, pid } = targets[target]!;
      const figures = await load(url, scenario.query, scenario.headers?.(API_KEY) ?? {}, pid, fixtures);
      ((runs[name] ??= {})[target] ??= []).push(figures);
    } catch (error) {
      if (!(error instanceof InvalidRun)) throw error;
      process.stderr.write(`round ${round}: ${name} / ${target} is not valid: ${error.message}\n`);
      ((invalid[name] ??= {})[target] ??= []).push(`round ${round}: ${error.message}`);
    }
  };
  for (let round = 1; round <= rounds; round++) {
    for (const name of scenarioNames) {
      for (const target of startedTargets(name).filter((target) => chosenTargets.includes(target))) await measure(name, target, round);
      // The machine's speed drifts; `auth` is compared with `cross` measured just before and just after it
      // (an A-B-A design), so that a steady drift during the runs cancels out of the ratio.
      if (name === 'auth' && runs.cross?.ours && chosenTargets.includes('ours')) await measure('cross', 'ours', round);
    }
  }

  const results: Results = Object.fromEntries(
    Object.entries(runs).map(([name, byTarget]) => [
      name,
      Object.fromEntries(Object.entries(byTarget).map(([target, list]) => [target, combineRuns(list)])),
    ]),
  );
  printTable(results, invalid);
  printTargets(results);
  mkdirSync(here('./results'), { recursive: true });
  writeFileSync(here('./results/latest.json'), `${JSON.stringify({ scenarios: results, invalid }, null, 2)}\n`);
  console.log(
    `\n${connections} connections, ${rounds} round(s) of ${durationSeconds} s per target after ${warmupSeconds} s of warm-up; ${Math.round((Date.now() - started) / 1000)} s in all.`,
  );
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  console.error(error);
} finally {
  await stopAll();
  rmSync(workDir, { recursive: true, force: true });
}
