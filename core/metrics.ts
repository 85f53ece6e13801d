/**
 * Prometheus metrics every service shares, the gateway and each subgraph alike: the HTTP side of `/graphql`
 * and the Node process, in a registry the service owns (never prom-client's global one, so that two services
 * in one process do not collide), and the `/metrics` route that serves them.
 * The metric table is in gateway/metrics/README.md.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds: from an answer out of a cache to one that waited for a slow subgraph. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The status recorded when the client went away before its answer was written (nginx's convention). */
export const CLIENT_CLOSED = '499';

/** A registry with the Node process metrics (CPU, memory, event loop lag, GC, handles) already in it. */
export function createMetricsRegistry(defaultLabels: Record<string, string> = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(defaultLabels);
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Counts and times every answer of `route`, and how many are in flight. Call it before the route is
 * declared. The request is measured from its first byte to its last, so authentication and rate limits
 * are inside the time.
 */
export function measureHttpRequests(app: FastifyInstance, registry: Registry, route = '/graphql'): void {
  const requests = new Counter({
    name: 'graphql_http_requests_total',
    help: `HTTP requests answered on ${route}, by status code (${CLIENT_CLOSED}: the client closed first)`,
    labelNames: ['status_code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_http_request_duration_seconds',
    help: `Time from a request on ${route} arriving to its answer being written, by status code`,
    labelNames: ['status_code'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'graphql_http_requests_in_flight',
    help: `Requests on ${route} received and not yet answered`,
    registers: [registry],
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== route) return;
    inFlight.inc();
    const stopTimer = duration.startTimer();
    // 'close' comes after every answer and also when the client goes away; fastify's onResponse does not.
    reply.raw.once('close', () => {
      inFlight.dec();
      const labels = { status_code: reply.raw.writableFinished ? String(reply.raw.statusCode) : CLIENT_CLOSED };
      requests.inc(labels);
      stopTimer(labels);
    });
  });
}

export interface ServeMetricsOptions {
  /** When set, `/metrics` answers only `Authorization: Bearer <token>`. Default: open to anyone who can reach the port. */
  token?: string;
}

/** `GET /metrics` in Prometheus text format. */
export function serveMetrics(app: FastifyInstance, registry: Registry, { token }: ServeMetricsOptions = {}): void {
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  app.get('/metrics', async (request, reply) => {
    // Compared as digests, in constant time, so that the answer time tells nothing of the token.
    if (expected && !timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'a metrics token is required' });
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * What each subgraph measures of itself. Its one port must be reachable by the gateway, so `/metrics` there is
 * served only behind METRICS_TOKEN (validated with the other settings); without a token the subgraph
 * measures but serves no `/metrics` at all.
 */
export function measureSubgraph(app: FastifyInstance, subgraph: string, { token }: ServeMetricsOptions): void {
  const registry = createMetricsRegistry({ subgraph });
  measureHttpRequests(app, registry);
  if (token !== undefined) serveMetrics(app, registry, { token });
}
