/**
 * `npm run bench:memory`: does memory level off when every request brings a new operation text? Starts the
 * fixture subgraphs, the vanilla Apollo gateway and ours (each in its own process, as `npm run bench` does),
 * then sends both the same rounds of unique operations, samples each one's resident memory after every
 * round and after an idle time, and prints the table. Exit code 1 if ours kept growing (see `LEVEL_OFF`).
 * Results go to bench/results/memory.json; bench/README.md records a run.
 *
 * Settings (environment): BENCH_MEMORY_ROUNDS (default 8), BENCH_MEMORY_OPERATIONS per round (default 5000),
 * BENCH_MEMORY_CONCURRENCY (default 16), BENCH_MEMORY_IDLE_SECONDS (default 15).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeSupergraph } from '../gateway/supergraph/composition.ts';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags.ts';
import { FIXTURE_SUBGRAPHS } from './fixtures/subgraphs.ts';

const rounds = Number(process.env.BENCH_MEMORY_ROUNDS ?? 8);
const perRound = Number(process.env.BENCH_MEMORY_OPERATIONS ?? 5000);
const concurrency = Number(process.env.BENCH_MEMORY_CONCURRENCY ?? 16);
const idleSeconds = Number(process.env.BENCH_MEMORY_IDLE_SECONDS ?? 15);
/** Ours has levelled off when its last round grew its memory by less than this share of the second half's start. */
const LEVEL_OFF = 0.05;

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'bench-memory-'));
const children: ChildProcess[] = [];

/** A new text each time, and a new plan: the aliases reach the subgraph operations. */
const operation = (i: number) =>
  `query Op${i} { topProducts(first: ${(i % 10) + 1}) { a${i}: upc name price${i % 2 ? ' weight inStock' : ''} reviews { id b${i}: body author { id username } } } }`;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** A TypeScript entry in its own process, ready once it says so over IPC. */
async function startTs(entry: string, args: string[]): Promise<ChildProcess> {
  const child = fork(entry, args, { execArgv: ['--import', 'tsx'], env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1' } });
  children.push(child);
  await once(child, 'message');
  return child;
}

async function startOurGateway(port: number, supergraphPath: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...GATEWAY_NODE_FLAGS, '--import', 'tsx', here('../gateway/main.ts')], {
    env: {
      ...process.env,
      APOLLO_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      METRICS_PORT: '0',
      DATA_DIR: workDir,
      IDENTITY_SECRET: 'bench-identity-secret',
      SUPERGRAPH_PATH: supergraphPath,
      LOG_LEVEL: 'warn',
      RATE_LIMITS: 'anonymous=1000000000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  for (let waited = 0; waited < 60_000; waited += 200) {
    if ((await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined))?.ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('our gateway was not ready within 60 s');
}

function residentMb(pid: number): number {
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 102.4) / 10;
}

let resent = 0;

/**
 * One request, sent again once if its connection was reset: the targets close keep-alive connections idle for
 * 5 s, which those of one target are while the other is loaded, and one may be reused as it closes.
 */
async function post(url: string, query: string): Promise<Response> {
  const send = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  try {
    return await send();
  } catch (error) {
    if (!/ECONNRESET|other side closed/.test(String((error as Error).cause))) throw error;
    resent += 1;
    return send();
  }
}

/** Sends operations `from` to `from + count` with `concurrency` requests at a time; every one must be answered with data. */
async function sendRound(url: string, from: number, count: number): Promise<void> {
  let next = from;
  const worker = async () => {
    while (next < from + count) {
      const query = operation(next++);
      const response = await post(url, query);
      const body = (await response.json()) as { data?: unknown; errors?: unknown };
      if (response.status !== 200 || !body.data || body.errors)
        throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function main(): Promise<void> {
  const names = Object.keys(FIXTURE_SUBGRAPHS) as (keyof typeof FIXTURE_SUBGRAPHS)[];
  const ports = await Promise.all(names.map(() => freePort()));
  const composed = composeSupergraph(
    names.map((name, i) => ({ name, url: `http://127.0.0.1:${ports[i]}/graphql`, sdl: FIXTURE_SUBGRAPHS[name].typeDefs })),
  );
  if (!composed.ok) throw new Error(`the fixture subgraphs do not compose:\n${composed.errors.join('\n')}`);
  const supergraphPath = join(workDir, 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);
  await Promise.all(names.map((name, i) => startTs(here('./fixtures/serve-subgraph.ts'), [name, String(ports[i])])));
  const [vanillaPort, ourPort] = [await freePort(), await freePort()];
  const targets = {
    vanilla: {
      url: `http://127.0.0.1:${vanillaPort}/graphql`,
      pid: (await startTs(here('./vanilla-gateway.ts'), [String(vanillaPort), supergraphPath])).pid!,
    },
    ours: { url: `http://127.0.0.1:${ourPort}/graphql`, pid: (await startOurGateway(ourPort, supergraphPath)).pid! },
  };

  const samples: { after: string; vanilla: number; ours: number }[] = [
    { after: 'start', vanilla: residentMb(targets.vanilla.pid), ours: residentMb(targets.ours.pid) },
  ];
  for (let round = 0; round < rounds; round++) {
    // The same operations to both, one target after the other, so that neither shares the CPU with the other's load.
    for (const target of Object.values(targets)) await sendRound(target.url, round * perRound, perRound);
    samples.push({
      after: `${(round + 1) * perRound} operations`,
      vanilla: residentMb(targets.vanilla.pid),
      ours: residentMb(targets.ours.pid),
    });
    process.stderr.write(`${JSON.stringify(samples.at(-1))}\n`);
  }
  await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
  samples.push({ after: `${idleSeconds} s idle`, vanilla: residentMb(targets.vanilla.pid), ours: residentMb(targets.ours.pid) });

  console.log(['after', 'vanilla RSS MB', 'ours RSS MB'].join(' | '));
  for (const { after, vanilla, ours } of samples) console.log([after, vanilla.toFixed(1), ours.toFixed(1)].join(' | '));
  const half = samples[Math.ceil(rounds / 2)]!;
  const last = samples[rounds]!;
  const lastGrowth = (target: 'vanilla' | 'ours') => (last[target] - samples[rounds - 1]![target]) / half[target];
  const levelledOff = lastGrowth('ours') < LEVEL_OFF;
  console.log(
    `\nlast round's growth, as a share of the second half's start: ours ${(lastGrowth('ours') * 100).toFixed(1)}%, vanilla ${(lastGrowth('vanilla') * 100).toFixed(1)}% (ours must stay under ${LEVEL_OFF * 100}%)`,
  );
  console.log(`requests sent again after a connection reset: ${resent}`);
  console.log(
    `growth over the second half: ours ${(last.ours - half.ours).toFixed(1)} MB, vanilla ${(last.vanilla - half.vanilla).toFixed(1)} MB`,
  );
  mkdirSync(here('./results'), { recursive: true });
  writeFileSync(here('./results/memory.json'), `${JSON.stringify({ rounds, perRound, concurrency, idleSeconds, samples }, null, 2)}\n`);
  if (!levelledOff) {
    console.error('ours did not level off');
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  console.error(error);
} finally {
  for (const child of children.reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      await exited;
    }
  }
  rmSync(workDir, { recursive: true, force: true });
}
