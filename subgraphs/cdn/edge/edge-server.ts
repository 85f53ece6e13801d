/**
 * The edge's request handler: host -> distribution, path -> cache behavior, then protocol and method rules,
 * the cache, the origin, custom error pages, compression and the response headers policy.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { Logger } from 'pino';
import type { OutboundGuard } from '../../kit/outbound/index.ts';
import type { CacheBehaviorConfig } from '../config.ts';
import type { StoredDistribution } from '../distribution-store.ts';
import {
  cachePolicy as findCachePolicy,
  originRequestPolicy,
  responseHeaderPolicy,
  type CachePolicyConfig,
  type HeaderPolicyConfig,
  type KeyItems,
} from '../policies.ts';
import type { ContentEncoding, EdgeCache, HttpRequest } from './edge-cache.ts';
import type { EdgeState } from './edge-state.ts';
import { fetchFromOrigin, selectedHeaders } from './origin-fetch.ts';
import { matchBehavior } from './path-pattern.ts';

export const EDGE_NAME = 'cloudfront';
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|.*\+json|.*\+xml)|image\/svg\+xml)/;
/** CloudFront compresses objects from 1,000 to 10,000,000 bytes. */
const COMPRESS_MIN = 1_000;
const COMPRESS_MAX = 10_000_000;
const STRIPPED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  hit: boolean;
  /** The cache entry the body is, when it is one: its compressed bodies are made once and kept there. */
  cacheKey?: string;
}

export interface EdgeDependencies {
  state: EdgeState;
  cache: EdgeCache;
  guard: OutboundGuard;
  log: Logger;
}

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  if (request.method === 'GET' || request.method === 'HEAD') return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function queryIncluded(items: KeyItems | undefined, name: string): boolean {
  if (!items) return false;
  return (
    items.behavior === 'all' ||
    (items.behavior === 'whitelist' && items.items.includes(name)) ||
    (items.behavior === 'allExcept' && !items.items.includes(name))
  );
}

/** CloudFront forwards only the query strings in the cache key or the origin request policy. */
function forwardedSearch(url: URL, policy: CachePolicyConfig, originRequest: HeaderPolicyConfig | undefined): string {
  const kept = [...url.searchParams].filter(
    ([name]) => queryIncluded(policy.query_strings, name) || queryIncluded(originRequest?.query_strings, name),
  );
  return kept.length === 0 ? '' : `?${new URLSearchParams(kept).toString()}`;
}

function cacheKey(distribution: StoredDistribution, policy: CachePolicyConfig, path: string, url: URL, request: IncomingMessage): string {
  const query = [...url.searchParams].filter(([name]) => queryIncluded(policy.query_strings, name));
  const headers = Object.entries(selectedHeaders(policy.headers, request.headers)).sort();
  const cookies = (request.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter(
      (c) =>
        policy.cookies.behavior === 'all' || (policy.cookies.behavior === 'whitelist' && policy.cookies.items.includes(c.split('=')[0]!)),
    )
    .sort();
  return JSON.stringify([distribution.row.id, path, query.sort(), headers, cookies]);
}

/**
 * The edge's own liveness: `GET /health` on a host that is an IP address and no distribution's, as kubelet
 * and load balancers address a pod. Every named host stays the distributions' (CloudFront's 403 when unknown).
 */
function isHealthCheck(host: string, request: IncomingMessage): boolean {
  return request.method === 'GET' && request.url === '/health' && isIP(host.replace(/^\[|\]$/g, '')) !== 0;
}

const HEALTHY: Answer = { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"status":"ok"}'), hit: false };

function errorAnswer(status: number, message: string): Answer {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-cache': `Error from ${EDGE_NAME}` },
    body: Buffer.from(`${message}\n`),
    hit: false,
  };
}

export function createEdgeHandler({ state, cache, guard, log }: EdgeDependencies) {
  /** Serves one path of a distribution through its behavior, from the cache or the origin. */
  async function fetchPath(
    distribution: StoredDistribution,
    behavior: CacheBehaviorConfig,
    path: string,
    url: URL,
    request: IncomingMessage,
    body: Buffer | undefined,
    scheme: 'http' | 'https',
  ): Promise<Answer> {
    const policy = findCachePolicy(behavior.cache_policy_id)!.config;
    const method = request.method ?? 'GET';
    const cacheable = behavior.allowed_methods.cached_methods.includes(method) && policy.max_ttl > 0;
    const key = cacheKey(distribution, policy, path, url, request);
    const httpRequest: HttpRequest = { method: method === 'HEAD' ? 'GET' : method, url: path, headers: request.headers };
    if (cacheable) {
      const entry = cache.get(key, httpRequest);
      if (entry)
        return {
          status: entry.status,
          headers: entry.policy.responseHeaders() as Record<string, string>,
          body: entry.body,
          hit: true,
          cacheKey: key,
        };
    }
    const origin = distribution.config.origins.find((candidate) => candidate.id === behavior.target_origin_id)!;
    const originRequest = behavior.origin_request_policy_id ? originRequestPolicy(behavior.origin_request_policy_id)?.config : undefined;
    const response = await fetchFromOrigin(
      guard,
      origin,
      {
        method: method === 'HEAD' && cacheable ? 'GET' : method,
        pathAndQuery: `${path}${forwardedSearch(url, policy, originRequest)}`,
        viewerHeaders: request.headers,
        viewerScheme: scheme,
        body,
      },
      { cache: policy, originRequest },
    );
    const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !STRIPPED.has(name)));
    // CloudFront keeps an error answer 10 s unless the distribution's error response for that code says otherwise.
    const errorTtl =
      distribution.config.errorResponses.find((candidate) => candidate.error_code === response.status)?.error_caching_min_ttl ?? 10;
    const stored =
      cacheable &&
      cache.put(
        key,
        { distributionId: distribution.row.id, path, status: response.status, headers, body: response.body },
        httpRequest,
        policy,
        errorTtl,
      );
    return { status: response.status, headers, body: response.body, hit: false, cacheKey: stored ? key : undefined };
  }

  async function serve(request: IncomingMessage, scheme: 'http' | 'https'): Promise<Answer> {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const distribution = state.byHost(host);
    if (!distribution && isHealthCheck(host, request)) return HEALTHY;
    // CloudFront answers an unknown or disabled distribution's host with 403.
    if (!distribution || !distribution.config.enabled) return errorAnswer(403, 'Bad request. The request could not be satisfied.');
    const url = new URL(request.url ?? '/', 'http://edge');
    const root = distribution.config.default_root_object;
    const path = url.pathname === '/' && root ? `/${root}` : url.pathname;
    const behavior = matchBehavior(distribution.config.cache_behaviors, path);
    if (scheme === 'http' && behavior.viewer_protocol_policy === 'redirect_to_https') {
      return {
        status: 301,
        headers: { location: `https://${request.headers.host}${request.url}`, 'x-cache': `Redirect from ${EDGE_NAME}` },
        body: Buffer.alloc(0),
        hit: false,
      };
    }
    if (scheme === 'http' && behavior.viewer_protocol_policy === 'https_only')
      return errorAnswer(403, 'This distribution answers over HTTPS only.');
    if (!behavior.allowed_methods.items.includes(request.method ?? ''))
      return errorAnswer(403, 'This distribution is not configured to allow the HTTP request method that was used for this request.');
    const body = await readBody(request);
    let answer: Answer;
    try {
      answer = await fetchPath(distribution, behavior, path, url, request, body, scheme);
    } catch (error) {
      log.warn({ err: error, distribution: distribution.row.id }, 'origin unreachable');
      answer = errorAnswer(502, 'The origin could not be reached.');
    }
    const custom = distribution.config.errorResponses.find(
      (response) => response.error_code === answer.status && response.response_page_path,
    );
    if (custom && custom.response_page_path) {
      const pageUrl = new URL(custom.response_page_path, 'http://edge');
      const pageBehavior = matchBehavior(distribution.config.cache_behaviors, pageUrl.pathname);
      const page = await fetchPath(
        distribution,
        pageBehavior,
        pageUrl.pathname,
        pageUrl,
        { ...request, method: 'GET', headers: request.headers } as IncomingMessage,
        undefined,
        scheme,
      ).catch(() => undefined);
      if (page && page.status < 400) answer = { ...page, status: Number(custom.response_code) };
    }
    return finish(answer, behavior, request);
  }

  function finish(answer: Answer, behavior: CacheBehaviorConfig, request: IncomingMessage): Answer {
    const headers: Record<string, string> = {
      ...answer.headers,
      'x-cache': answer.headers['x-cache'] ?? `${answer.hit ? 'Hit' : 'Miss'} from ${EDGE_NAME}`,
    };
    if (!answer.hit) headers.age ??= '0';
    const extra = behavior.response_headers_policy_id
      ? responseHeaderPolicy(behavior.response_headers_policy_id)?.config.response_headers
      : undefined;
    for (const header of extra ?? []) headers[header.header_name] = header.header_value;
    let body = answer.body;
    const accepts = String(request.headers['accept-encoding'] ?? '');
    if (
      behavior.compress &&
      !headers['content-encoding'] &&
      COMPRESSIBLE.test(headers['content-type'] ?? '') &&
      body.length >= COMPRESS_MIN &&
      body.length <= COMPRESS_MAX
    ) {
      const policy = findCachePolicy(behavior.cache_policy_id)!.config;
      const encoding: ContentEncoding | undefined =
        /\bbr\b/.test(accepts) && policy.enable_accept_encoding_brotli
          ? 'br'
          : /\bgzip\b/.test(accepts) && policy.enable_accept_encoding_gzip
            ? 'gzip'
            : undefined;
      if (encoding) {
        const compress = encoding === 'br' ? brotliCompressSync : gzipSync;
        // A cached object is compressed once per encoding, not on every hit (brotli's default quality is slow).
        body = (answer.cacheKey && cache.encoded(answer.cacheKey, answer.body, encoding, compress)) || compress(answer.body);
        headers['content-encoding'] = encoding;
        headers.vary = headers.vary ? `${headers.vary}, Accept-Encoding` : 'Accept-Encoding';
      }
    }
    return { ...answer, headers, body };
  }

  return async function handle(request: IncomingMessage, response: ServerResponse, scheme: 'http' | 'https'): Promise<void> {
    const answer = await serve(request, scheme).catch((error: unknown) => {
      log.error({ err: error }, 'edge request failed');
      return errorAnswer(500, 'The request could not be satisfied.');
    });
    response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
    response.end(request.method === 'HEAD' ? undefined : answer.body);
  };
}

export function createEdgeHttpServer(dependencies: EdgeDependencies): Server {
  const handle = createEdgeHandler(dependencies);
  return createServer((request, response) => void handle(request, response, 'http'));
}

/** HTTPS with SNI: each alias answers with its distribution's issued certificate; other names fail the handshake. */
export function createEdgeHttpsServer(dependencies: EdgeDependencies): Server {
  const handle = createEdgeHandler(dependencies);
  return createHttpsServer(
    {
      minVersion: 'TLSv1.2',
      SNICallback: (servername, callback) => {
        const context = dependencies.state.tlsContext(servername);
        callback(context ? null : new Error(`no certificate for ${servername}`), context);
      },
    },
    (request, response) => void handle(request, response, 'https'),
  ) as unknown as Server;
}
