/**
 * `npm run bench:cdn`: cache hits per second, p99 and server CPU per hit of the CDN edge against nginx's
 * `proxy_cache` (Debian's nginx; NGINX_PATH to name another binary) in front of the same origin, in one run.
 * One cached object of 4 KiB. Each round loads the edge and nginx in turn, the order alternating, with the
 * same load generator (bench/load.ts, a process of its own): `BENCH_CDN_CONNECTIONS` (32) keep-alive
 * connections for `BENCH_CDN_SECONDS` (10) after a 2 s warm-up; `BENCH_CDN_ROUNDS` (3) rounds, medians shown.
 * Each server is one process on one thread: the edge by its own entry (`subgraphs/cdn/edge/main.ts`), nginx
 * with `worker_processes 1`. `BENCH_CDN_GZIP=1`: a 55 kB JSON object instead, asked with
 * `Accept-Encoding: gzip`, compressed by the edge (the behavior's `compress`) and by nginx (`gzip on`).
 * Writes bench/results/cdn-edge.json (cdn-edge-gzip.json).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { migrations, type CdnDatabase } from '../subgraphs/cdn/store.ts';
import { openStore } from '../subgraphs/kit/store.ts';
import type { LoadOptions, LoadResult } from './load.ts';
import { cpuMs, freePort, startService, stopAll } from './processes.ts';

const seconds = Number(process.env.BENCH_CDN_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CDN_CONNECTIONS ?? 32);
const rounds = Number(process.env.BENCH_CDN_ROUNDS ?? 3);
const warmupSeconds = 2;
const host = 'dbench.cdn.localhost';
const path = '/object.txt';
const folder = mkdtempSync(join(tmpdir(), 'bench-cdn-'));

const gzip = process.env.BENCH_CDN_GZIP === '1';
// A JSON listing (55 kB) compresses as API answers and scripts do (9:1), unlike a run of one byte.
const body = gzip
  ? Buffer.from(JSON.stringify(Array.from({ length: 1200 }, (_, id) => ({ id, name: `item ${id}`, tags: ['a', 'b'] }))))
  : Buffer.alloc(4096, 'x');
const contentType = gzip ? 'application/json' : 'text/plain';
/** What the load generator and the hit check send beside the Host. */
const acceptEncoding: Record<string, string> = gzip ? { 'accept-encoding': 'gzip' } : {};
let originRequests = 0;
const servers: Server[] = [];
const origin = createServer((_request, response) => {
  originRequests += 1;
  response.writeHead(200, { 'content-type': contentType, 'cache-control': 'max-age=3600' }).end(body);
});
servers.push(origin);
await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
const originPort = (origin.address() as AddressInfo).port;

/** One distribution in front of the origin, written to the store the edge process then reads. */
async function seedStore(): Promise<void> {
  const store = await openStore<CdnDatabase>({ name: 'cdn', dataDir: folder, migrations });
  const config = {
    comment: 'bench',
    enabled: true,
    errorResponses: [],
    distribution_aliases: [],
    origins: [
      { id: 'o', domain_name: '127.0.0.1', custom_origin_http_port: originPort, custom_origin_origin_protocol_policy: 'http_only' },
    ],
    cache_behaviors: [
      {
        path_pattern: '*',
        target_origin_id: 'o',
        viewer_protocol_policy: 'allow_all',
        allowed_methods: { items: ['GET', 'HEAD'], cached_methods: ['GET', 'HEAD'] },
        cache_policy_id: '658327ea-f89d-4fab-a63d-7e88639e58f6', // CachingOptimized
        compress: gzip,
      },
    ],
  };
  await store.db
    .insertInto('distributions')
    .values({
      id: 'EBENCH',
      project_id: 'bench',
      arn: 'arn:bench',
      domain_name: host,
      caller_reference: null,
      config_json: JSON.stringify({ config, tags: [] }),
      config_version: 1,
      deployed_version: 0,
      last_modified_time: new Date().toISOString(),
    })
    .execute();
  await store.close();
}

interface Target {
  name: string;
  url: string;
  /** The answer header that tells a cache hit, and its value on a hit. */
  hit: [header: string, value: string];
  /** Every process of the server, for its CPU time. */
  pids(): number[];
}

async function startEdgeProcess(): Promise<Target> {
  const port = await freePort();
  const edge = await startService(
    'cdn edge',
    ['--import', 'tsx', 'subgraphs/cdn/edge/main.ts'],
    { NODE_ENV: 'production', DATA_DIR: folder, CDN_EDGE_PORT: String(port), OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' },
    `http://127.0.0.1:${port}/health`,
  );
  return { name: 'edge', url: `http://127.0.0.1:${port}${path}`, hit: ['x-cache', 'Hit from cloudfront'], pids: () => [edge.pid!] };
}

/**
 * Not a cache: node:http answering the object from memory with the headers the edge sends on a hit. What
 * Node's HTTP server costs before any edge logic runs, in this process (the origin here serves two misses).
 */
async function startNodeFloor(): Promise<Target> {
  const encoding: Record<string, string> = gzip ? { 'content-encoding': 'gzip', vary: 'Accept-Encoding' } : {};
  const headers = { 'content-type': contentType, 'cache-control': 'max-age=3600', age: '1', 'x-cache': 'Hit from node:http', ...encoding };
  // Compressed once, as a cache that keeps the compressed object would.
  const served = gzip ? gzipSync(body) : body;
  const server = createServer((_request, response) => response.writeHead(200, headers).end(served));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return {
    name: 'node:http floor',
    url: `http://127.0.0.1:${port}${path}`,
    hit: ['x-cache', 'Hit from node:http'],
    pids: () => [process.pid],
  };
}

/** nginx's master and its worker: the master's children as /proc lists them. */
function nginxPids(master: number): number[] {
  const children = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return [master, ...children.map(Number)];
}

async function startNginx(): Promise<{ target: Target; child: ChildProcess } | string> {
  const binary = process.env.NGINX_PATH ?? 'nginx';
  const version = spawnSync(binary, ['-v'], { encoding: 'utf8' });
  if (version.error) return 'not run: nginx is not on the PATH (apt-get install nginx, or NGINX_PATH)';
  // Started by root, nginx's worker runs as `nobody`: its folder (cache, temp files) must be open to it.
  const prefix = mkdtempSync(join(tmpdir(), 'bench-cdn-nginx-'));
  chmodSync(prefix, 0o755);
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1; daemon off; pid ${prefix}/nginx.pid; error_log ${prefix}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  proxy_temp_path ${prefix}/proxy-temp;
  proxy_cache_path ${prefix}/cache keys_zone=edge:10m;
  ${gzip ? 'gzip on; gzip_types application/json; gzip_proxied any;' : ''}
  upstream origin { server 127.0.0.1:${originPort}; keepalive 32; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_cache edge;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://origin;
      add_header X-Cache $upstream_cache_status;
    }
  }
}\n`,
  );
  const child = spawn(binary, ['-p', prefix, '-c', conf], { stdio: ['ignore', 'ignore', 'inherit'] });
  child.on('exit', () => rmSync(prefix, { recursive: true, force: true }));
  const target: Target = {
    name: 'nginx',
    url: `http://127.0.0.1:${port}${path}`,
    hit: ['x-cache', 'HIT'],
    pids: () => nginxPids(child.pid!),
  };
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (child.exitCode !== null) break;
    if (
      await getObject(target.url).then(
        ({ status }) => status === 200,
        () => false,
      )
    )
      return { target, child };
    await sleep(100);
  }
  const log = existsSync(`${prefix}/error.log`) ? readFileSync(`${prefix}/error.log`, 'utf8') : '';
  child.kill('SIGTERM');
  throw new Error(`nginx did not answer: ${log}`);
}

/** A GET with the distribution's Host header (which fetch() does not let a caller set). */
function getObject(url: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { host, ...acceptEncoding } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, headers: answer.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/** A second request must be a hit with the origin's body: what is measured is the cache, nothing else. */
async function checkHit(target: Target): Promise<void> {
  await getObject(target.url);
  const answer = await getObject(target.url);
  const [header, value] = target.hit;
  const served = answer.headers['content-encoding'] === 'gzip' ? gunzipSync(answer.body) : answer.body;
  if (answer.headers[header] !== value || !served.equals(body) || (gzip && answer.headers['content-encoding'] !== 'gzip'))
    throw new Error(`${target.name} did not answer a cache hit: ${answer.status} ${header}: ${answer.headers[header]}`);
}

interface Round {
  rps: number;
  p99_ms: number;
  /** Server CPU (user + system) per answered request in the measured run, microseconds. */
  cpu_us_per_hit: number;
}

async function load(target: Target): Promise<Round> {
  const options: LoadOptions = {
    url: target.url,
    method: 'GET',
    headers: { host, ...acceptEncoding },
    connections,
    warmupSeconds,
    durationSeconds: seconds,
  };
  const generator = spawn(process.execPath, ['--import', 'tsx', new URL('./load.ts', import.meta.url).pathname, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const cpu = () => target.pids().reduce((total, pid) => total + cpuMs(pid), 0);
  let cpuAtStart = cpu();
  // The measured run starts once the warm-up is over.
  const warmedUp = setTimeout(() => (cpuAtStart = cpu()), warmupSeconds * 1000 + 250);
  let output = '';
  generator.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(generator, 'exit')) as [number];
  clearTimeout(warmedUp);
  const cpuUsed = cpu() - cpuAtStart;
  if (code !== 0) throw new Error(`the load generator failed with code ${code}`);
  const result = JSON.parse(output) as LoadResult;
  const { non2xx, errors, timeouts } = result.failures;
  if (non2xx + errors + timeouts > 0 || result.requests === 0)
    throw new Error(`${target.name}: ${result.requests} answers, ${non2xx} non-2xx, ${errors} connection errors, ${timeouts} timeouts`);
  return { rps: result.rps, p99_ms: result.p99_ms, cpu_us_per_hit: Math.round((cpuUsed * 1000) / result.requests) };
}

type Summary = Round & { runs: Round[] };
const withoutRuns = ({ runs: _runs, ...summary }: Summary) => summary;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const results: Record<string, unknown> = {
  at: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  load_average_at_start: loadavg()[0]!.toFixed(1),
  connections,
  seconds,
  rounds,
  object_bytes: body.length,
  accept_encoding: gzip ? 'gzip' : 'none',
};
let nginxChild: ChildProcess | undefined;
try {
  await seedStore();
  const targets = [await startEdgeProcess(), await startNodeFloor()];
  const nginx = await startNginx();
  if (typeof nginx === 'string') results.nginx = nginx;
  else {
    targets.push(nginx.target);
    nginxChild = nginx.child;
  }
  for (const target of targets) await checkHit(target);
  const measured = new Map<string, Round[]>(targets.map((target) => [target.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    // Alternating the order keeps either from always running on a machine the other just heated.
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) measured.get(target.name)!.push(await load(target));
  }
  for (const [name, runs] of measured) {
    results[name] = {
      rps: median(runs.map((run) => run.rps)),
      p99_ms: median(runs.map((run) => run.p99_ms)),
      cpu_us_per_hit: median(runs.map((run) => run.cpu_us_per_hit)),
      runs,
    };
  }
  // One miss per server: every other request was a hit.
  results.origin_requests = originRequests;
  results.load_average_at_end = loadavg()[0]!.toFixed(1);
  console.table(Object.fromEntries([...measured.keys()].map((name) => [name, withoutRuns(results[name] as Summary)])));
  console.log(JSON.stringify(results, null, 2));
  writeFileSync(new URL(`./results/cdn-edge${gzip ? '-gzip' : ''}.json`, import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  nginxChild?.kill('SIGTERM');
  await stopAll();
  for (const server of servers) server.close();
  rmSync(folder, { recursive: true, force: true });
}
