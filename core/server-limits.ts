/**
 * How long a client may take to send its request, and how many connections a server keeps: the same for the
 * gateway, its metrics server and every subgraph. Without them fastify waits for a trickled body forever
 * (its `requestTimeout` is 0 by default), so a few thousand slow sockets hold the server's memory.
 * Defaults follow Apollo Router: 10 s to send the headers (`server.http.header_read_timeout`), 30 s for the
 * whole request (`traffic_shaping.router.timeout`).
 */
import type { FastifyServerOptions } from 'fastify';
import { readInteger, SettingsError, type Env } from './settings.ts';

export interface ServerLimits {
  /** REQUEST_TIMEOUT_MS, default 30000: time to receive a whole request, headers and body; then 408 and the socket closed. */
  readonly requestTimeoutMs: number;
  /** HEADERS_TIMEOUT_MS, default 10000, at most REQUEST_TIMEOUT_MS: time to receive a request's headers. */
  readonly headersTimeoutMs: number;
  /** KEEP_ALIVE_TIMEOUT_MS, default 5000 (Node's own): how long an idle connection stays open for a next request. */
  readonly keepAliveTimeoutMs: number;
  /** MAX_CONNECTIONS, default 10000: open connections at most; further ones are closed at once. */
  readonly maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = Object.freeze({
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 10_000,
});

// Node checks the request and headers timeouts of open connections at this interval (30 s by its default,
// which would let a slow request live up to twice its timeout).
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** Reads the four variables; a bad value is a SettingsError naming it, as every other setting. */
export function readServerLimits(env: Env): ServerLimits {
  const positive = (name: string, fallback: number) => readInteger(env, name, fallback, { min: 1, max: 3_600_000 });
  const limits = {
    requestTimeoutMs: positive('REQUEST_TIMEOUT_MS', DEFAULT_SERVER_LIMITS.requestTimeoutMs),
    headersTimeoutMs: positive('HEADERS_TIMEOUT_MS', DEFAULT_SERVER_LIMITS.headersTimeoutMs),
    keepAliveTimeoutMs: positive('KEEP_ALIVE_TIMEOUT_MS', DEFAULT_SERVER_LIMITS.keepAliveTimeoutMs),
    maxConnections: positive('MAX_CONNECTIONS', DEFAULT_SERVER_LIMITS.maxConnections),
  };
  // Node refuses a headers timeout longer than the request's, which contains it.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) throw new SettingsError('HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS');
  return Object.freeze(limits);
}

type ServerLimitOptions = Pick<FastifyServerOptions, 'requestTimeout' | 'keepAliveTimeout'> & {
  http: { headersTimeout: number; connectionsCheckingInterval: number };
};

/** The fastify options that apply `limits`; `maxConnections` is set on `app.server` once fastify made it. */
export function serverLimitOptions(limits: ServerLimits): ServerLimitOptions {
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS },
  };
}
