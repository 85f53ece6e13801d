/**
 * Subscriptions of a subgraph: GraphQL over WebSocket (graphql-ws, `graphql-transport-ws`) on `/graphql`,
 * through @fastify/websocket. The upgrade request goes through the route's identity check like any other
 * (build-subgraph.ts), so only the gateway, signing for its caller, can subscribe; the resolvers get the
 * same context as over HTTP.
 */
import fastifyWebsocket, { type WebsocketHandler } from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { makeHandler } from 'graphql-ws/use/@fastify/websocket';

export interface SubscriptionOptions {
  schema: GraphQLSchema;
  /** The context of one subscription, from its upgrade request (whose principal the identity check set). */
  context(request: FastifyRequest): object;
  /** How errors are shown, as over HTTP. */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
}

/** Registers @fastify/websocket on `app`; gives the handler for the `/graphql` route's upgrades. */
export async function registerSubscriptions(
  app: FastifyInstance,
  { schema, context, formatError }: SubscriptionOptions,
): Promise<WebsocketHandler> {
  await app.register(fastifyWebsocket);
  return makeHandler({
    schema,
    context: ({ extra }) => context(extra.request) as Record<string, unknown>,
    onNext: (_context, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) as never } : result,
  });
}
