/**
 * The gateway's HTTP client for subgraph calls: undici's connection pool with keep-alive, and a timeout
 * per subgraph. It replaces @apollo/gateway's default fetcher (make-fetch-happen), which was measured at
 * about a quarter of the gateway's CPU; undici's `request` skips the WHATWG fetch layers as well.
 *
 * A call waits for a connection in our admission (connection-admission.ts), not in undici's queue, and its
 * request (with its signed identity headers) is made only once it has one: a signature is never older than
 * the time it takes to send the request, however long a burst makes calls wait.
 */
import { STATUS_CODES } from 'node:http';
import type { FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { Agent, request } from 'undici';
import { createConnectionAdmission, type ConnectionAdmission } from './connection-admission.ts';

/** SUBGRAPH_MAX_CONNECTIONS' default. */
export const DEFAULT_SUBGRAPH_CONNECTIONS = 128;

/**
 * One subgraph call. `init` is called when the call has a connection, right before it is sent: what it
 * signs is fresh (core/identity.ts).
 */
export type SubgraphFetcher = (url: string, init: () => FetcherRequestInit) => Promise<FetcherResponse>;

/** The connections shared by every subgraph of one gateway: undici's pool, and the admission in front of it. */
export interface SubgraphPool {
  /** Closed when the gateway stops. */
  readonly agent: Agent;
  readonly admission: ConnectionAdmission;
}

export interface SubgraphFetcherOptions {
  /** How long a subgraph may take to answer completely, its wait for a connection included, in milliseconds. */
  timeoutMs: number;
  pool: SubgraphPool;
}

/** `connections`: per origin at most, SUBGRAPH_MAX_CONNECTIONS. */
export function createSubgraphPool(connections = DEFAULT_SUBGRAPH_CONNECTIONS): SubgraphPool {
  // Connections stay open between requests; pipelining is off because a slow query must not delay others.
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections, pipelining: 1 });
  return { agent, admission: createConnectionAdmission(connections) };
}

export function createSubgraphFetcher({ timeoutMs, pool: { agent, admission } }: SubgraphFetcherOptions): SubgraphFetcher {
  return async (url, init) => {
    // Not AbortSignal.timeout: its timer and signal stay alive for the whole timeout after the answer came,
    // tens of thousands of them under load with the default 30 s. This timer ends with the call.
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException(`The subgraph did not answer within ${timeoutMs} ms`, 'TimeoutError')),
      timeoutMs,
    );
    const connections = admission.of(url);
    try {
      const turn = connections.acquire(controller.signal);
      if (turn) await turn;
      try {
        const { method = 'GET', headers, body } = init();
        const response = await request(url, {
          method: method as 'GET' | 'POST',
          headers: headers as Record<string, string> | undefined,
          body: body as string | undefined,
          dispatcher: agent,
          signal: controller.signal,
        });
        const text = await response.body.text();
        return bufferedResponse(url, response.statusCode, response.headers, text);
      } finally {
        // The body is read: undici's connection is free again.
        connections.release();
      }
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The subset of the fetch Response that @apollo/gateway reads, over an already-read body. */
function bufferedResponse(
  url: string,
  status: number,
  rawHeaders: Record<string, string | string[] | undefined>,
  text: string,
): FetcherResponse {
  const header = (name: string) => {
    const value = rawHeaders[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  const response = {
    url,
    status,
    // Part of the message of a non-2xx subgraph error ("503: Service Unavailable"), as with other fetchers.
    statusText: STATUS_CODES[status] ?? '',
    ok: status >= 200 && status < 300,
    redirected: false,
    bodyUsed: false,
    headers: {
      get: header,
      has: (name: string) => header(name) !== null,
      entries: () =>
        Object.entries(rawHeaders)
          .map(([name, value]) => [name, String(value)] as [string, string])
          [Symbol.iterator](),
    },
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(text).buffer,
    clone: () => response,
  };
  return response as unknown as FetcherResponse;
}
