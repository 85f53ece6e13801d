/**
 * Where the gateway serves `/metrics`: beside `/graphql`, or on a server of its own (METRICS_PORT) that ops
 * can keep off the public network; behind a bearer token (METRICS_TOKEN) either way, if one is set.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { serveMetrics } from '../../subgraphs/kit/metrics.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';

export interface MetricsServerOptions {
  /** Serve `/metrics` on a server of its own rather than on `app`. Default false. */
  separate?: boolean;
  /** Bearer token `/metrics` requires. Default: none. */
  token?: string;
  logger: Logger;
}

/** Returns the separate server, which the caller listens on and closes; undefined when `app` serves `/metrics`. */
export function buildMetricsServer(app: FastifyInstance, metrics: GatewayMetrics, { separate = false, token, logger }: MetricsServerOptions): FastifyInstance | undefined {
  const server = separate ? Fastify({ loggerInstance: logger.child({ component: 'metrics' }) as FastifyBaseLogger }) : undefined;
  serveMetrics(server ?? app, metrics.registry, { token });
  return server;
}
