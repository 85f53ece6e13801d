/** The edge's cache in process: compressed bodies made once per cached object and counted in its size. */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createEdgeCache } from '../subgraphs/cdn/edge/edge-cache.ts';
import { cachePolicy } from '../subgraphs/cdn/policies.ts';

const CACHING_OPTIMIZED = cachePolicy('658327ea-f89d-4fab-a63d-7e88639e58f6')!.config;
const request = { method: 'GET', url: '/object', headers: {} };
// Random bytes do not compress: the gzip body is as large as the object itself.
const object = () => randomBytes(6_000);

function putObject(cache: ReturnType<typeof createEdgeCache>, key: string, body: Buffer): void {
  const headers = { 'content-type': 'application/json', 'cache-control': 'max-age=60' };
  expect(cache.put(key, { distributionId: 'E1', path: `/${key}`, status: 200, headers, body }, request, CACHING_OPTIMIZED, 10)).toBe(true);
}

describe('edge cache', () => {
  it('compresses a cached body once per encoding, for every later hit', () => {
    const cache = createEdgeCache(1_000_000);
    const body = object();
    putObject(cache, 'a', body);
    let compressed = 0;
    const gzip = (input: Buffer) => {
      compressed += 1;
      return gzipSync(input);
    };
    const first = cache.encoded('a', body, 'gzip', gzip);
    expect(cache.encoded('a', body, 'gzip', gzip)).toBe(first);
    expect(compressed).toBe(1);
    expect(first).toEqual(gzipSync(body));
    // Another body than the cached one of the key (the entry was replaced meanwhile) is not answered from it.
    expect(cache.encoded('a', object(), 'gzip', gzip)).toBeUndefined();
    expect(cache.encoded('missing', body, 'gzip', gzip)).toBeUndefined();
  });

  it('counts compressed bodies in its byte bound, evicting the least recently used', () => {
    // Room for two objects (each 6,000 bytes and 512 of overhead), not for a third body's worth.
    const cache = createEdgeCache(14_000);
    const a = object();
    putObject(cache, 'a', a);
    putObject(cache, 'b', object());
    expect(cache.get('b', request)).toBeDefined();
    cache.encoded('a', a, 'gzip', gzipSync);
    expect(cache.get('b', request)).toBeUndefined();
    expect(cache.get('a', request)?.encodings.gzip).toBeDefined();
  });
});
