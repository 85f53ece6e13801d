import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.ts';
import { startEdge, type RunningEdge } from '../subgraphs/cdn/edge/start-edge.ts';
import { parseCdnSettings } from '../subgraphs/cdn/settings.ts';
import type { CdnDatabase } from '../subgraphs/cdn/store.ts';
import type { Kysely } from 'kysely';
import {
  behavior,
  CACHING_DISABLED,
  CREATE,
  distributionConfig,
  origin,
  startCdnPlatform,
  edgeRequest,
  startOrigin,
  type CdnPlatform,
  type OriginServer,
} from './helpers/cdn-platform.ts';

let platform: CdnPlatform;
let originServer: OriginServer;
let edge: RunningEdge;
let host: string;
let distributionId: string;
let served = 0;

beforeAll(async () => {
  platform = await startCdnPlatform();
  originServer = await startOrigin((request, response) => {
    served += 1;
    const url = request.url ?? '';
    if (url === '/site/cached.txt')
      return void response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=60' }).end(`cached ${served}`);
    if (url === '/site/nostore.txt')
      return void response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end(`fresh ${served}`);
    if (url === '/site/index.html') return void response.writeHead(200, { 'content-type': 'text/html' }).end('root page');
    if (url === '/site/errors/404.html') return void response.writeHead(200, { 'content-type': 'text/html' }).end('custom not found');
    if (url.startsWith('/images/'))
      return void response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=600' }).end(`image ${url} ${served}`);
    if (url === '/site/data/big.json')
      return void response
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60' })
        .end(JSON.stringify({ items: Array.from({ length: 500 }, (_, i) => i) }));
    if (url.startsWith('/site/api/')) return void response.writeHead(200, { 'content-type': 'text/plain' }).end(`api ${request.method}`);
    response.writeHead(404, { 'content-type': 'text/plain' }).end('plain not found');
  });
  const config = distributionConfig(originServer.port, {
    default_root_object: 'index.html',
    origins: [origin('site', originServer.port, { origin_path: '/site' }), origin('images', originServer.port)],
    cache_behaviors: [
      behavior('/images/*', 'images'),
      behavior('/secure/*', 'site', { viewer_protocol_policy: 'redirect_to_https' }),
      behavior('/data/*', 'site', { compress: true }),
      behavior('/api/*', 'site', {
        cache_policy_id: CACHING_DISABLED,
        allowed_methods: { items: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'], cached_methods: ['GET', 'HEAD'] },
      }),
      behavior('*', 'site'),
    ],
    errorResponses: [{ error_code: 404, response_page_path: '/errors/404.html', response_code: '404', error_caching_min_ttl: 10 }],
  });
  const created = await platform.ok(platform.keys.ADMIN, CREATE, { config, project: platform.projectId });
  distributionId = created.create_distribution.id;
  host = created.create_distribution.domain_name;
  expect(created.create_distribution.status).toBe('InProgress');
  const db = platform.subgraphs.cdn!.store.db as unknown as Kysely<CdnDatabase>;
  edge = await startEdge({
    db,
    settings: parseCdnSettings({ CDN_EDGE_PORT: '0', CDN_EDGE_POLL_MS: '50', OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' }),
    log: createLogger('silent'),
    dataDir: platform.dataDir,
  });
}, 60_000);
afterAll(async () => {
  await edge?.close();
  await originServer?.close();
  await platform?.stop();
});

const get = (path: string, init: Parameters<typeof edgeRequest>[3] = {}) => edgeRequest(edge.port, host, path, init);

describe('cdn edge', () => {
  it('marks the distribution Deployed once the edge runs its config', async () => {
    const data = await platform.ok(platform.keys.READONLY, 'query ($id: String!) { get_distribution(distribution_id: $id) { status } }', {
      id: distributionId,
    });
    expect(data.get_distribution.status).toBe('Deployed');
  });

  it('misses, then hits with Age rising, from the origin behind origin_path', async () => {
    const first = await get('/cached.txt');
    expect(first.headers['x-cache']).toBe('Miss from cloudfront');
    const body = first.body;
    expect(body).toMatch(/^cached \d+$/);
    const second = await get('/cached.txt');
    expect(second.headers['x-cache']).toBe('Hit from cloudfront');
    expect(second.body).toBe(body);
    await sleep(1_100);
    const third = await get('/cached.txt');
    expect(third.headers['x-cache']).toBe('Hit from cloudfront');
    expect(Number(third.headers['age'])).toBeGreaterThan(Number(second.headers['age']));
    expect(originServer.requests.filter((r) => r.url === '/site/cached.txt')).toHaveLength(1);
  });

  it('keeps query strings out of the cache key and the origin request when the cache policy says none', async () => {
    const answer = await get('/cached.txt?utm_source=mail');
    expect(answer.headers['x-cache']).toBe('Hit from cloudfront');
    await get('/nostore.txt?utm_source=mail');
    expect(originServer.requests.filter((r) => r.url.includes('?'))).toEqual([]);
  });

  it('never caches a no-store answer', async () => {
    const bodies = [];
    for (let i = 0; i < 2; i += 1) {
      const answer = await get('/nostore.txt');
      expect(answer.headers['x-cache']).toBe('Miss from cloudfront');
      bodies.push(answer.body);
    }
    expect(bodies[0]).not.toBe(bodies[1]);
  });

  it('refuses a POST on a GET/HEAD behavior with 403, and passes it on a behavior that allows it', async () => {
    const refused = await get('/cached.txt', { method: 'POST', body: 'x' });
    expect(refused.status).toBe(403);
    const passed = await get('/api/thing', { method: 'POST', body: 'x' });
    expect(passed.status).toBe(200);
    expect(passed.body).toBe('api POST');
  });

  it('routes a path pattern to its origin, * crossing /', async () => {
    const answer = await get('/images/a/b/c.png');
    expect(answer.body).toMatch(/^image \/images\/a\/b\/c\.png \d+$/);
    expect(originServer.requests.at(-1)!.url).toBe('/images/a/b/c.png');
  });

  it('answers a custom error page with its response code', async () => {
    const answer = await get('/nothing-here');
    expect(answer.status).toBe(404);
    expect(answer.body).toBe('custom not found');
    // The origin's 404 is kept for the error response's error_caching_min_ttl: the origin is not asked again.
    const asked = originServer.requests.filter((r) => r.url === '/site/nothing-here').length;
    expect((await get('/nothing-here')).body).toBe('custom not found');
    expect(originServer.requests.filter((r) => r.url === '/site/nothing-here')).toHaveLength(asked);
  });

  it('serves the default root object at /', async () => {
    const answer = await get('/');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('root page');
  });

  it('redirects to https where the behavior says so', async () => {
    const answer = await get('/secure/page');
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`https://${host}/secure/page`);
  });

  it('compresses where the behavior asks and the viewer accepts it, on a miss and on the hits after it', async () => {
    const compressed = () =>
      new Promise<{ encoding?: string; cache?: string; body: Buffer }>((resolve, reject) => {
        const call = request(
          { host: '127.0.0.1', port: edge.port, path: '/data/big.json', headers: { host, 'accept-encoding': 'gzip' } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              resolve({
                encoding: response.headers['content-encoding'],
                cache: response.headers['x-cache'] as string,
                body: Buffer.concat(chunks),
              }),
            );
          },
        );
        call.on('error', reject);
        call.end();
      });
    // The first hit compresses the cached object, the second is answered with the kept compressed body.
    for (const expected of ['Miss from cloudfront', 'Hit from cloudfront', 'Hit from cloudfront']) {
      const answer = await compressed();
      expect(answer.cache).toBe(expected);
      expect(answer.encoding).toBe('gzip');
      expect(JSON.parse(gunzipSync(answer.body).toString()).items).toHaveLength(500);
    }
  });

  it('refuses an origin at a loopback address unless it is allow-listed (outbound guard)', async () => {
    const db = platform.subgraphs.cdn!.store.db as unknown as Kysely<CdnDatabase>;
    const guarded = await startEdge({
      db,
      settings: parseCdnSettings({ CDN_EDGE_PORT: '0' }),
      log: createLogger('silent'),
      dataDir: platform.dataDir,
    });
    try {
      const before = originServer.requests.length;
      const answer = await edgeRequest(guarded.port, host, '/cached.txt');
      expect(answer.status).toBe(502);
      expect(originServer.requests.length).toBe(before);
    } finally {
      await guarded.close();
    }
  });

  it('answers an unknown host 403', async () => {
    const answer = await edgeRequest(edge.port, 'nobody.cdn.test', '/cached.txt');
    expect(answer.status).toBe(403);
  });

  it('answers its own /health to a probe addressing it by IP, never on a named host', async () => {
    for (const probeHost of [`127.0.0.1:${edge.port}`, `[::1]:${edge.port}`]) {
      const health = await edgeRequest(edge.port, probeHost, '/health');
      expect(health.status, probeHost).toBe(200);
      expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    }
    expect((await edgeRequest(edge.port, 'nobody.cdn.test', '/health')).status).toBe(403);
    // A distribution's own /health is its origin's: here a 404, answered with the custom error page.
    const served = await get('/health');
    expect(served.status).toBe(404);
    expect(served.body).toBe('custom not found');
    expect(originServer.requests.map((r) => r.url)).toContain('/site/health');
  });

  it('makes the next request miss after an invalidation of /images/*, which ends Completed', async () => {
    await get('/images/logo.png');
    expect((await get('/images/logo.png')).headers['x-cache']).toBe('Hit from cloudfront');
    expect((await get('/cached.txt')).headers['x-cache']).toBe('Hit from cloudfront');
    await platform.ok(
      platform.keys.DEVELOPER,
      'mutation ($id: String!) { create_distribution_invalidation(paths: ["/images/*"], distribution_id: $id) }',
      { id: distributionId },
    );
    const listed = await platform.ok(
      platform.keys.ADMIN,
      'query ($id: String!) { list_distribution_invalidations(distribution_id: $id) { id status paths } }',
      { id: distributionId },
    );
    expect(listed.list_distribution_invalidations[0].paths).toEqual(['/images/*']);
    await edge.state.refresh();
    const invalidation = await platform.ok(
      platform.keys.ADMIN,
      'query ($i: String!, $id: String!) { get_distribution_invalidation(invalidation_id: $i, distribution_id: $id) { status } }',
      { i: listed.list_distribution_invalidations[0].id, id: distributionId },
    );
    expect(invalidation.get_distribution_invalidation.status).toBe('Completed');
    expect((await get('/images/logo.png')).headers['x-cache']).toBe('Miss from cloudfront');
    expect((await get('/cached.txt')).headers['x-cache']).toBe('Hit from cloudfront');
  });

  it('answers 403 once the distribution is disabled', async () => {
    await platform.ok(
      platform.keys.ADMIN,
      'mutation ($id: String!) { enable_or_disable_distribution(enable: false, distribution_id: $id) }',
      { id: distributionId },
    );
    await edge.state.refresh();
    expect((await get('/cached.txt')).status).toBe(403);
  });
});
