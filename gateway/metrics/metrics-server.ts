/**
 * Where the gateway serves `/metrics`: on a server of its own (METRICS_HOST:METRICS_PORT, 127.0.0.1:9090 by
 * default, as Apollo Router does) that stays off the public network, or beside `/graphql` when METRICS_PORT
 * equals PORT, which config.ts accepts only with a bearer token (METRICS_TOKEN). The token guards either.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { serveMetrics } from '../../core/metrics.ts';
import { DEFAULT_SERVER_LIMITS, serverLimitOptions, type ServerLimits } from '../../core/server-limits.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';

export interface MetricsServerOptions {
  /** Serve `/metrics` on a server of its own rather than on `app`. Default false. */
  separate?: boolean;
  /** Bearer token `/metrics` requires. Default: none. */
  token?: string;
  /** Timeouts and connections of the separate server. Default: DEFAULT_SERVER_LIMITS. */
  limits?: ServerLimits;
  logger: Logger;
}

/** Returns the separate server, which the caller listens on and closes; undefined when `app` serves `/metrics`. */
export function buildMetricsServer(
  app: FastifyInstance,
  metrics: GatewayMetrics,
  { separate = false, token, limits = DEFAULT_SERVER_LIMITS, logger }: MetricsServerOptions,
): FastifyInstance | undefined {
  if (!separate) {
    serveMetrics(app, metrics.registry, { token });
    return undefined;
  }
  const server = Fastify({ loggerInstance: logger.child({ component: 'metrics' }) as FastifyBaseLogger, ...serverLimitOptions(limits) });
  server.server.maxConnections = limits.maxConnections;
  serveMetrics(server, metrics.registry, { token });
  return server;
}
