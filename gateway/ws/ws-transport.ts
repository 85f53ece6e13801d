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
import { callerOf } from '../pipeline/rate-limit.ts';
import type { SubscriptionSlot } from './subscription-plan.ts';
import { openSubscriptionStream, type SubscriptionStream } from './subscription-stream.ts';

export interface SubscriptionMetrics {
  subscriptionOpened(subgraph: string): void;
  subscriptionClosed(subgraph: string): void;
  subscriptionEventDelivered(subgraph: string): void;
  subscriptionUpstreamFailed(subgraph: string): void;
}

export interface WebSocketTransportOptions {
  pipeline: Pipeline;
  identitySecret: string;
  /** MAX_SUBSCRIPTIONS_PER_CALLER: more open at once are refused (default 10). */
  maxSubscriptionsPerCaller: number;
  metrics: SubscriptionMetrics;
  /** How an event's errors are shown to clients, as for queries. */
  formatError(error: GraphQLError): GraphQLFormattedError;
}

export interface WebSocketTransport {
  handler: WebsocketHandler;
  /** Ends every open subscription with `reason`; resolves once their last events are written. */
  endAll(reason: string): Promise<void>;
}

type Extra = { request: import('fastify').FastifyRequest };

// graphql-ws wants execution arguments; ours carry the stream in their context and need no schema.
const NO_SCHEMA = new GraphQLSchema({});

function errorsOf(answer: PipelineAnswer): GraphQLError[] {
  const body = (typeof answer.body === 'string' ? JSON.parse(answer.body) : answer.body) as { errors?: GraphQLFormattedError[] };
  const errors = body.errors ?? [{ message: 'The subscription could not start' }];
  return errors.map((error) => new GraphQLError(error.message, { path: error.path, extensions: error.extensions }));
}

export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const { pipeline, metrics } = options;
  const callers = new WeakMap<Context, GatewayRequest>();
  const openPerCaller = new Map<string, number>();
  const streams = new Set<SubscriptionStream>();

  const handler = makeHandler<Record<string, unknown>, Extra>({
    schema: NO_SCHEMA,
    async onConnect(context) {
      const upgrade = (context.extra as unknown as Extra).request;
      const credential = context.connectionParams?.Authorization;
      const headers = typeof credential === 'string' ? { ...upgrade.headers, authorization: credential } : upgrade.headers;
      const caller = createGatewayRequest({ id: upgrade.id, method: 'POST', headers, ip: upgrade.ip, search: '', query: {}, log: upgrade.log });
      await pipeline.start(caller);
      // false: graphql-ws closes the socket with 4403 Forbidden.
      if (caller.authenticationFailure) return false;
      callers.set(context, caller);
      return true;
    },
    async onSubscribe(context, _id, payload) {
      const caller = callers.get(context)!;
      const key = (({ kind, id }) => `${kind}:${id}`)(callerOf(caller));
      if ((openPerCaller.get(key) ?? 0) >= options.maxSubscriptionsPerCaller) {
        return [new GraphQLError(`At most ${options.maxSubscriptionsPerCaller} subscriptions may be open at once`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })];
      }
      // Counted before the pipeline runs: starts in flight together cannot pass the limit.
      openPerCaller.set(key, (openPerCaller.get(key) ?? 0) + 1);
      const release = () => {
        const left = (openPerCaller.get(key) ?? 1) - 1;
        if (left === 0) openPerCaller.delete(key);
        else openPerCaller.set(key, left);
      };
      const request = createGatewayRequest({ id: caller.id, method: 'POST', headers: { ...caller.headers, 'content-type': 'application/json' }, ip: caller.ip, search: '', query: {}, log: caller.log });
      request.principal = caller.principal;
      request.body = payload;
      const slot: SubscriptionSlot = {};
      request.subscription = slot;
      const answer = await pipeline.finish(request).catch((error: unknown) => {
        release();
        throw error;
      });
      const started = slot.started;
      if (!started) {
        release();
        return errorsOf(answer);
      }

      const subgraph = started.primary.serviceName;
      metrics.subscriptionOpened(subgraph);
      const stream = openSubscriptionStream(started, {
        identitySecret: options.identitySecret,
        onEvent: () => metrics.subscriptionEventDelivered(subgraph),
        onUpstreamFailure: () => metrics.subscriptionUpstreamFailed(subgraph),
        onClose: () => {
          streams.delete(stream);
          release();
          metrics.subscriptionClosed(subgraph);
        },
      });
      streams.add(stream);
      return { schema: NO_SCHEMA, document: parse(payload.query), operationName: payload.operationName, variableValues: payload.variables, contextValue: stream } satisfies ExecutionArgs;
    },
    subscribe: (args) => args.contextValue as SubscriptionStream,
    onNext: (_context, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map((error) => options.formatError(error)) as never } : result),
  });

  return {
    handler,
    async endAll(reason) {
      for (const stream of [...streams]) stream.end(reason);
      // graphql-ws sends each stream's last event and complete on the next turns, before the sockets close.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
