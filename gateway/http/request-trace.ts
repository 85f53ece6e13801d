/**
 * The span of each request (`gateway.request`, continuing the caller's W3C traceparent), and `gateway.plan`
 * from the start of execution until @apollo/gateway has its query plan. Subgraph calls add theirs
 * (execution/subgraph-data-source.ts). Nothing is done when traces are not exported.
 */
import { SpanKind } from '@opentelemetry/api';
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance } from 'fastify';
import { TRACING_OFF, type TraceSpan, type Tracing } from '../../core/tracing.ts';
import type { GatewayContext } from '../execution/subgraph-data-source.ts';

export function registerRequestTracing(app: FastifyInstance, tracing: Tracing): void {
  app.decorateRequest('trace', undefined);
  // Off, two hooks a request that would do nothing.
  if (tracing === TRACING_OFF) return;
  app.addHook('onRequest', async (request) => {
    request.trace = tracing.start(
      'gateway.request',
      request.headers,
      { 'http.request.method': request.method, 'url.path': request.url.split('?')[0] },
      SpanKind.SERVER,
    );
  });
  app.addHook('onResponse', async (request, reply) => {
    const { operationLog } = request.gatewayRequest ?? {};
    request.trace?.span.setAttributes({
      'http.response.status_code': reply.statusCode,
      ...(operationLog?.operationName ? { 'graphql.operation.name': operationLog.operationName } : {}),
      ...(operationLog?.operationType ? { 'graphql.operation.type': operationLog.operationType } : {}),
    });
    tracing.end(request.trace, reply.statusCode >= 500 ? `HTTP ${reply.statusCode}` : undefined);
  });
}

/** `gateway.plan`: opened when execution starts, closed by `planResolved` once the plan is known. */
export function planTracing(tracing: Tracing): { plugin: ApolloServerPlugin<GatewayContext>; planResolved(context: GatewayContext): void } {
  const planning = new WeakMap<GatewayContext, TraceSpan>();
  // Off, no hook: Apollo Server awaits each plugin's hooks on every request.
  if (tracing === TRACING_OFF) return { plugin: {}, planResolved: () => {} };
  return {
    plugin: {
      async requestDidStart({ contextValue }) {
        if (!contextValue.trace) return;
        return {
          async executionDidStart() {
            const span = tracing.start('gateway.plan', contextValue.trace);
            if (span) planning.set(contextValue, span);
          },
        };
      },
    },
    planResolved(context) {
      tracing.end(planning.get(context));
      planning.delete(context);
    },
  };
}
