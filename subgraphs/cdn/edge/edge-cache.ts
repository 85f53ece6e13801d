/**
 * The edge's cache: a byte-bounded LRU (lru-cache) of origin answers with their RFC 9111 policy
 * (http-cache-semantics, as a shared cache), each fresh for the TTL the cache policy allows.
 */
import CachePolicy from 'http-cache-semantics';
import { LRUCache } from 'lru-cache';
import type { CachePolicyConfig } from '../policies.ts';

export interface CachedAnswer {
  distributionId: string;
  /** The path as requested (after default_root_object), for invalidations. */
  path: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  policy: CachePolicy;
  expiresAt: number;
  /** The body compressed for viewers, made on the first hit that asks for each encoding (CloudFront keeps the compressed object). */
  encodings: Partial<Record<ContentEncoding, Buffer>>;
}

export type ContentEncoding = 'gzip' | 'br';

export type HttpRequest = CachePolicy.Request;

export interface EdgeCache {
  get(key: string, request: HttpRequest): CachedAnswer | undefined;
  /**
   * Stores the answer if RFC 9111 and the cache policy allow it; returns whether it did. An error answer
   * (4xx, 5xx) is kept `errorTtlSeconds` instead, CloudFront's error caching minimum TTL.
   */
  put(
    key: string,
    entry: Omit<CachedAnswer, 'policy' | 'expiresAt' | 'encodings'>,
    request: HttpRequest,
    cachePolicy: CachePolicyConfig,
    errorTtlSeconds: number,
  ): boolean;
  /**
   * `body` in `encoding`, compressed by `compress` only the first time, then kept with the entry and counted
   * in the cache's size; undefined when `body` is no longer the cached one of `key`.
   */
  encoded(key: string, body: Buffer, encoding: ContentEncoding, compress: (body: Buffer) => Buffer): Buffer | undefined;
  /** Drops every entry of the distribution whose path `covers` says; returns how many. */
  drop(distributionId: string, covers: (path: string) => boolean): number;
}

const HEADER_OVERHEAD_BYTES = 512;

/**
 * CloudFront's rule: an origin's max-age (s-maxage first) or Expires is clamped between the policy's min and
 * max TTL; without one the default TTL applies. no-store and private answers are never stored (RFC 9111).
 */
export function ttlSeconds(policy: CachePolicy, headers: Record<string, string>, cachePolicy: CachePolicyConfig): number {
  if (!policy.storable()) return 0;
  const control = headers['cache-control'] ?? '';
  const explicit = /(?:^|,)\s*(?:s-maxage|max-age)\s*=/.test(control) || headers.expires !== undefined || /no-cache/.test(control);
  const ttl = explicit ? policy.timeToLive() / 1000 : cachePolicy.default_ttl;
  return Math.min(Math.max(ttl, cachePolicy.min_ttl), cachePolicy.max_ttl);
}

export function createEdgeCache(maxBytes: number): EdgeCache {
  const lru = new LRUCache<string, CachedAnswer>({
    maxSize: maxBytes,
    sizeCalculation: (entry) =>
      Object.values(entry.encodings).reduce((bytes, encoded) => bytes + encoded.length, entry.body.length + HEADER_OVERHEAD_BYTES),
  });
  return {
    get(key) {
      const entry = lru.get(key);
      if (!entry) return undefined;
      if (Date.now() >= entry.expiresAt) {
        lru.delete(key);
        return undefined;
      }
      return entry;
    },
    put(key, entry, request, cachePolicy, errorTtlSeconds) {
      const policy = new CachePolicy(request, { status: entry.status, headers: entry.headers }, { shared: true });
      const ttl =
        entry.status >= 400
          ? policy.storable() && cachePolicy.max_ttl > 0
            ? errorTtlSeconds
            : 0
          : ttlSeconds(policy, entry.headers, cachePolicy);
      if (ttl <= 0 || entry.body.length + HEADER_OVERHEAD_BYTES > maxBytes) return false;
      lru.set(key, { ...entry, policy, expiresAt: Date.now() + ttl * 1000, encodings: {} });
      return true;
    },
    encoded(key, body, encoding, compress) {
      const entry = lru.peek(key);
      if (entry?.body !== body) return undefined;
      const known = entry.encodings[encoding];
      if (known) return known;
      const encoded = compress(entry.body);
      // A new value, so that lru-cache counts the compressed body in the cache's size (it skips the same one).
      lru.set(key, { ...entry, encodings: { ...entry.encodings, [encoding]: encoded } });
      return encoded;
    },
    drop(distributionId, covers) {
      let dropped = 0;
      for (const [key, entry] of lru.entries()) {
        if (entry.distributionId === distributionId && covers(entry.path)) {
          lru.delete(key);
          dropped += 1;
        }
      }
      return dropped;
    },
  };
}
