/**
 * A subgraph's traces: `subgraph.request` for each /graphql call, continuing the gateway's traceparent,
 * and a span for each field that has a resolver of its own (default resolvers only read a property).
 * Nothing is done when traces are not exported (core/tracing.ts).
 */
import { SpanKind } from '@opentelemetry/api';
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance } from 'fastify';
import type { TraceSpan, Tracing } from '../../core/tracing.ts';

export function registerSubgraphTracing(app: FastifyInstance, tracing: Tracing, subgraph: string): void {
  app.decorateRequest('trace', undefined);
  app.addHook('onRequest', async (request) => {
    if (request.url.split('?')[0] !== '/graphql') return;
    request.trace = tracing.start('subgraph.request', request.headers, { 'graphql.subgraph': subgraph }, SpanKind.SERVER);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.trace?.span.setAttribute('http.response.status_code', reply.statusCode);
    tracing.end(request.trace);
  });
}

/** A span per field resolved by a resolver of the subgraph's, under the request's span. */
export function resolverTracingPlugin(tracing: Tracing): ApolloServerPlugin<{ trace?: TraceSpan }> {
  return {
    async requestDidStart({ contextValue }) {
      const parent = contextValue.trace;
      if (!parent) return;
      return {
        async executionDidStart() {
          return {
            willResolveField({ info }) {
              if (!info.parentType.getFields()[info.fieldName]?.resolve) return;
              const span = tracing.start(`resolve ${info.parentType.name}.${info.fieldName}`, parent, {
                'graphql.field.path': String(info.path.key),
              });
              return (error) => tracing.end(span, error ? error.message : undefined);
            },
          };
        },
      };
    },
  };
}
