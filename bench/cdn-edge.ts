/**
 * `npm run bench:cdn`: cache hits per second and their p99 latency of the CDN edge, and of nginx's
 * `proxy_cache` in front of the same origin when nginx is on the PATH (Debian's `nginx`; NGINX_PATH to
 * name another binary). One small cached object, `BENCH_CDN_CONNECTIONS` (default 32) connections for
 * `BENCH_CDN_SECONDS` (default 10) each, after a warm-up. The edge runs in this process, autocannon in
 * worker threads. Writes bench/results/cdn-edge.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { startEdge } from '../subgraphs/cdn/edge/start-edge.ts';
import { parseCdnSettings } from '../subgraphs/cdn/settings.ts';
import { migrations, type CdnDatabase } from '../subgraphs/cdn/store.ts';
import { createLogger } from '../core/logger.ts';
import { openStore } from '../subgraphs/kit/store.ts';

const seconds = Number(process.env.BENCH_CDN_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CDN_CONNECTIONS ?? 32);
const host = 'dbench.cdn.localhost';
const folder = mkdtempSync(join(tmpdir(), 'bench-cdn-'));

const body = Buffer.alloc(4096, 'x');
const origin = createServer((_request, response) =>
  response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=3600' }).end(body),
);
await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
const originPort = (origin.address() as AddressInfo).port;

const store = await openStore<CdnDatabase>({ name: 'cdn', dataDir: folder, migrations });
const config = {
  comment: 'bench',
  enabled: true,
  errorResponses: [],
  distribution_aliases: [],
  origins: [{ id: 'o', domain_name: '127.0.0.1', custom_origin_http_port: originPort, custom_origin_origin_protocol_policy: 'http_only' }],
  cache_behaviors: [
    {
      path_pattern: '*',
      target_origin_id: 'o',
      viewer_protocol_policy: 'allow_all',
      allowed_methods: { items: ['GET', 'HEAD'], cached_methods: ['GET', 'HEAD'] },
      cache_policy_id: '658327ea-f89d-4fab-a63d-7e88639e58f6',
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
const edge = await startEdge({
  db: store.db,
  settings: parseCdnSettings({ CDN_EDGE_PORT: '0', OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' }),
  log: createLogger('silent'),
  dataDir: folder,
});

async function load(url: string, duration: number) {
  const result = await autocannon({ url, headers: { host }, connections, duration, workers: 2 });
  return { requestsPerSecond: Math.round(result.requests.average), p99Ms: result.latency.p99, non2xx: result.non2xx };
}

async function measure(url: string) {
  await load(url, 2);
  return load(url, seconds);
}

async function startNginx(): Promise<{ url: string; stop(): void } | undefined> {
  const binary = process.env.NGINX_PATH ?? 'nginx';
  if (spawnSync(binary, ['-v']).error) return undefined;
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const conf = join(folder, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1; daemon off; pid ${folder}/nginx.pid; error_log ${folder}/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; proxy_cache_path ${folder}/nginx-cache keys_zone=edge:10m;
  server { listen 127.0.0.1:${port}; location / { proxy_cache edge; proxy_pass http://127.0.0.1:${originPort}; add_header X-Cache $upstream_cache_status; } } }\n`,
  );
  const child = spawn(binary, ['-p', folder, '-c', conf], { stdio: 'ignore' });
  await sleep(500);
  return { url: `http://127.0.0.1:${port}/object.txt`, stop: () => child.kill('SIGTERM') };
}

const results: Record<string, unknown> = { connections, seconds, objectBytes: body.length };
results.edge = await measure(`http://127.0.0.1:${edge.port}/object.txt`);
const nginx = await startNginx();
if (nginx) {
  results.nginx = await measure(nginx.url);
  nginx.stop();
} else {
  results.nginx = 'not run: nginx is not on the PATH (apt-get install nginx, or NGINX_PATH)';
}
console.table(results);
writeFileSync(new URL('./results/cdn-edge.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
await edge.close();
await store.close();
origin.close();
rmSync(folder, { recursive: true, force: true });
