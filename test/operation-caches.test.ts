import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseGatewayConfig } from '../gateway/config.ts';
import { HEAP_BYTES_PER_JSON_BYTE, HeapBoundedCache } from '../gateway/execution/operation-caches.ts';

const operation = (i: number) => `query Op${i} { topProducts(first: ${i % 10}) { a${i}: upc name reviews { id b${i}: body } } }`;

describe('the operation caches', () => {
  it('count an entry as the heap it holds, several times its JSON, and keep within their budget', async () => {
    const budget = 256 * 1024;
    const cache = new HeapBoundedCache(budget, HEAP_BYTES_PER_JSON_BYTE.document);
    const first = parse(operation(0));
    await cache.set('0', first);
    const json = Buffer.byteLength(JSON.stringify(first)) + 1;
    expect(cache.calculatedSize).toBe(Math.ceil(json * HEAP_BYTES_PER_JSON_BYTE.document));
    expect(HEAP_BYTES_PER_JSON_BYTE.document).toBeGreaterThanOrEqual(4);

    for (let i = 1; i < 2000; i++) await cache.set(String(i), parse(operation(i)));
    expect(cache.calculatedSize).toBeLessThanOrEqual(budget);
    expect(cache.calculatedSize).toBeGreaterThan(budget * 0.9);
    // The oldest went first; the newest are kept.
    expect(await cache.get('0')).toBeUndefined();
    expect(await cache.get('1999')).toBeDefined();
    cache.clear();
    expect(cache.calculatedSize).toBe(0);
  });

  it('keep no entry bigger than a tenth of the budget', async () => {
    const cache = new HeapBoundedCache(10_000, HEAP_BYTES_PER_JSON_BYTE.queryPlan);
    await cache.set('big', { kind: 'QueryPlan', text: 'x'.repeat(1_000) });
    expect(await cache.get('big')).toBeUndefined();
    await cache.set('small', { kind: 'QueryPlan' });
    expect(await cache.get('small')).toEqual({ kind: 'QueryPlan' });
  });

  it('have 32 MB of heap each by default, set in MB', () => {
    const config = parseGatewayConfig({});
    expect([config.documentCacheBytes, config.queryPlanCacheBytes]).toEqual([32 * 2 ** 20, 32 * 2 ** 20]);
    expect(parseGatewayConfig({ DOCUMENT_CACHE_MB: '8', QUERY_PLAN_CACHE_MB: '4' })).toMatchObject({
      documentCacheBytes: 8 * 2 ** 20,
      queryPlanCacheBytes: 4 * 2 ** 20,
    });
    expect(() => parseGatewayConfig({ DOCUMENT_CACHE_MB: '0' })).toThrow(ConfigError);
    expect(() => parseGatewayConfig({ QUERY_PLAN_CACHE_MB: 'lots' })).toThrow(
      /^QUERY_PLAN_CACHE_MB must be a whole number from 1 to 65536/,
    );
  });
});
