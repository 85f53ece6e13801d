/**
 * One request to a distribution's origin through the kit's outbound guard (no loopback, private or
 * metadata address unless allow-listed): the origin's scheme and port by its protocol policy, its
 * origin_path, its custom headers, the viewer headers the origin request policy forwards, its timeouts
 * and connection attempts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { OutboundRefused, type OutboundGuard, type OutboundResponse } from '../../kit/outbound/index.ts';
import type { OriginConfig } from '../config.ts';
import type { CachePolicyConfig, HeaderPolicyConfig, KeyItems } from '../policies.ts';

export interface OriginRequest {
  method: string;
  /** Path and query as the edge resolved them. */
  pathAndQuery: string;
  viewerHeaders: IncomingHttpHeaders;
  viewerScheme: 'http' | 'https';
  body?: Buffer;
}

/** The largest origin answer the edge takes; bigger answers are 502 (the edge buffers what it caches). */
export const MAX_ORIGIN_BYTES = 64 * 1024 * 1024;
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
  'content-length',
]);

export function selectedHeaders(items: KeyItems, headers: IncomingHttpHeaders): Record<string, string> {
  const chosen: Record<string, string> = {};
  const names = items.items.map((name) => name.toLowerCase());
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    const included =
      items.behavior === 'allViewer' || items.behavior === 'all'
        ? true
        : items.behavior === 'allExcept'
          ? !names.includes(name)
          : items.behavior === 'whitelist'
            ? names.includes(name)
            : false;
    if (included) chosen[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return chosen;
}

export function originUrl(origin: OriginConfig, request: OriginRequest): string {
  const policy = origin.custom_origin_origin_protocol_policy ?? 'https_only';
  const scheme = policy === 'http_only' ? 'http' : policy === 'https_only' ? 'https' : request.viewerScheme;
  const port = scheme === 'http' ? (origin.custom_origin_http_port ?? 80) : (origin.custom_origin_https_port ?? 443);
  return `${scheme}://${origin.domain_name}:${port}${origin.origin_path ?? ''}${request.pathAndQuery}`;
}

export async function fetchFromOrigin(
  guard: OutboundGuard,
  origin: OriginConfig,
  request: OriginRequest,
  policies: { cache: CachePolicyConfig; originRequest?: HeaderPolicyConfig },
): Promise<OutboundResponse<Buffer>> {
  // What the cache key holds is always forwarded; the origin request policy may add more.
  const headers = {
    ...selectedHeaders(policies.cache.headers, request.viewerHeaders),
    ...(policies.originRequest ? selectedHeaders(policies.originRequest.headers, request.viewerHeaders) : {}),
  };
  for (const header of origin.custom_headers ?? []) headers[header.header_name.toLowerCase()] = header.header_value;
  const attempts = origin.connection_attempts ?? 3;
  const timeoutMs = ((origin.connection_timeout ?? 10) + (origin.custom_origin_origin_read_timeout ?? 30)) * 1000;
  const url = originUrl(origin, request);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await guard.fetch(url, { method: request.method, headers, body: request.body, maxBytes: MAX_ORIGIN_BYTES, timeoutMs });
    } catch (error) {
      // A refused address or an oversized answer does not change on retry; a failed connection may.
      if (error instanceof OutboundRefused && error.reason !== 'timeout') throw error;
      if (attempt >= attempts) throw error;
    }
  }
}
