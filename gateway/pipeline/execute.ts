/**
 * The last stage: the request handed to Apollo Server, which parses, validates, authorizes, plans and
 * executes it (pipeline.ts lists in which order), with the principal authentication settled.
 */
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { GatewayContext } from '../execution/subgraph-data-source.ts';
import type { GatewayRequest, PipelineAnswer } from './gateway-request.ts';
import { callerKey } from './rate-limit.ts';

function headerMap(headers: GatewayRequest['headers']): HeaderMap {
  const map = new HeaderMap();
  for (const [name, value] of Object.entries(headers)) if (value) map.set(name, Array.isArray(value) ? value.join(', ') : value);
  return map;
}

/**
 * Apollo Server's `context` function for one request. Returned from here rather than written in the call:
 * tsx (esbuild's keepNames) gives a closure written as `context: async () => ...` its name with
 * Object.defineProperty each time it is made, every request.
 */
function contextOf(request: GatewayRequest): () => Promise<GatewayContext> {
  const context: GatewayContext = {
    principal: request.principal,
    requestId: request.id,
    caller: callerKey(request),
    clientHeaders: request.headers,
    operationLog: request.operationLog,
    trace: request.trace,
    subscription: request.subscription,
  };
  return async () => context;
}

export function executeStage(apollo: ApolloServer<GatewayContext>): (request: GatewayRequest) => Promise<PipelineAnswer> {
  return async (request) => {
    const { status, headers, body } = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method, headers: headerMap(request.headers), search: request.search, body: request.body },
      context: contextOf(request),
    });
    return { status: status ?? 200, headers, body: body.kind === 'complete' ? body.string : body.asyncIterator };
  };
}
