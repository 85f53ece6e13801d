/**
 * The HTTP transport of the pipeline: `/graphql`, GET and POST. It makes the GatewayRequest from fastify's
 * request, runs the stages that need no body as soon as the request comes (onRequest), the others once the
 * body is read, and writes the answer back.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createGatewayRequest, type GatewayRequest, type PipelineAnswer } from '../pipeline/gateway-request.ts';
import type { Pipeline } from '../pipeline/pipeline.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The pipeline's view of a /graphql request, made in onRequest. */
    gatewayRequest: GatewayRequest | null;
  }
}

export interface GraphQLRouteOptions {
  pipeline: Pipeline;
  /** MAX_BODY_BYTES: larger bodies are refused with HTTP 413 before they are parsed. */
  bodyLimit: number;
}

function write(reply: FastifyReply, request: GatewayRequest, answer: PipelineAnswer): FastifyReply {
  reply.headers(request.responseHeaders);
  for (const [name, value] of answer.headers) reply.header(name, value);
  reply.code(answer.status);
  const { body } = answer;
  return reply.send(typeof body === 'object' && Symbol.asyncIterator in body ? Readable.from(body as AsyncIterable<string>) : body);
}

export function registerGraphQLRoute(app: FastifyInstance, { pipeline, bodyLimit }: GraphQLRouteOptions): void {
  app.decorateRequest('gatewayRequest', null);
  app.route({
    method: ['GET', 'POST'],
    url: '/graphql',
    bodyLimit,
    // Who is calling is settled before the body is read.
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      const search = request.url.indexOf('?');
      const gatewayRequest = createGatewayRequest({
        id: request.id,
        method: request.method.toUpperCase(),
        headers: request.headers,
        ip: request.ip,
        search: search === -1 ? '' : request.url.slice(search),
        query: request.query,
        log: request.log,
        trace: request.trace,
      });
      request.gatewayRequest = gatewayRequest;
      const answer = await pipeline.start(gatewayRequest);
      if (answer) return write(reply, gatewayRequest, answer);
    },
    handler: async (request, reply) => {
      const gatewayRequest = request.gatewayRequest!;
      gatewayRequest.body = request.body;
      return write(reply, gatewayRequest, await pipeline.finish(gatewayRequest));
    },
  });
}
