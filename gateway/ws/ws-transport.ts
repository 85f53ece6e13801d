/**
 * The WebSocket transport of the pipeline: GraphQL over WebSocket (`graphql-transport-ws`, graphql-ws 6)
 * on the `/graphql` GET route's upgrades (@fastify/websocket). Who is calling is settled once per socket
 * by the pipeline's authentication, from `connection_init`'s `{"Authorization": "Bearer <token>"}` or
 * else the upgrade's `Authorization` header; refused, the socket is closed with 4403. Every subscription
 * start then goes through the rest of the pipeline like a request (rate limits, document and operation
 * limits, authorization of every field) and its plan is taken (subscription-plan.ts) to be streamed.
 */
import type { WebsocketHandler } from '@fastify/websocket';
import { GraphQLError, GraphQLSchema, parse, type ExecutionArgs, type GraphQLFormattedError } from 'graphql';
import type { Context } from 'graphql-ws';
import { makeHandler } from 'graphql-ws/use/@fastify/websocket';
import { createGatewayRequest, type GatewayRequest, type PipelineAnswer } from '../pipeline/gateway-request.ts';
import type { Pipeline } from '../pipeline/pipeline.ts';
import type { SubscriptionStarter } from './subscription-starter.ts';
import type { SubscriptionStream } from './subscription-stream.ts';

export interface WebSocketTransportOptions {
  pipeline: Pipeline;
  subscriptions: SubscriptionStarter;
  /** How an event's errors are shown to clients, as for queries. */
  formatError(error: GraphQLError): GraphQLFormattedError;
  /** SUBSCRIPTION_KEEPALIVE_MS: the ping interval; a peer that has not answered the last ping by the next is closed. */
  keepAliveMs: number;
}

type Extra = { request: import('fastify').FastifyRequest };

// graphql-ws wants execution arguments; ours carry the stream in their context and need no schema.
const NO_SCHEMA = new GraphQLSchema({});

function errorsOf(answer: PipelineAnswer): GraphQLError[] {
  const body = (typeof answer.body === 'string' ? JSON.parse(answer.body) : answer.body) as { errors?: GraphQLFormattedError[] };
  const errors = body.errors ?? [{ message: 'The subscription could not start' }];
  return errors.map((error) => new GraphQLError(error.message, { path: error.path, extensions: error.extensions }));
}

/** The handler of the `/graphql` GET route's upgrades. */
export function webSocketHandler({ pipeline, subscriptions, formatError, keepAliveMs }: WebSocketTransportOptions): WebsocketHandler {
  const callers = new WeakMap<Context, GatewayRequest>();
  return makeHandler<Record<string, unknown>, Extra>(
    {
      schema: NO_SCHEMA,
      async onConnect(context) {
        const upgrade = (context.extra as unknown as Extra).request;
        const credential = context.connectionParams?.Authorization;
        const headers = typeof credential === 'string' ? { ...upgrade.headers, authorization: credential } : upgrade.headers;
        const caller = createGatewayRequest({
          id: upgrade.id,
          method: 'POST',
          headers,
          ip: upgrade.ip,
          search: '',
          query: {},
          log: upgrade.log,
        });
        await pipeline.start(caller);
        // false: graphql-ws closes the socket with 4403 Forbidden.
        if (caller.authenticationFailure) return false;
        callers.set(context, caller);
        return true;
      },
      async onSubscribe(context, _id, payload) {
        const caller = callers.get(context)!;
        const request = createGatewayRequest({
          id: caller.id,
          method: 'POST',
          headers: { ...caller.headers, 'content-type': 'application/json' },
          ip: caller.ip,
          search: '',
          query: {},
          log: caller.log,
        });
        request.principal = caller.principal;
        request.body = payload;
        const started = await subscriptions.start(request);
        if ('answer' in started) return errorsOf(started.answer);
        // The pipeline put a persisted document's text in place of its id (pipeline/persisted-documents.ts).
        const resolved = request.body as typeof payload;
        return {
          schema: NO_SCHEMA,
          document: parse(resolved.query),
          operationName: resolved.operationName,
          variableValues: resolved.variables,
          contextValue: started.stream,
        } satisfies ExecutionArgs;
      },
      subscribe: (args) => args.contextValue as SubscriptionStream,
      onNext: (_context, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((error) => formatError(error)) as never } : result,
    },
    keepAliveMs,
  );
}
