/**
 * The request id: the client's `x-request-id` when it is a sensible one (logs and subgraph calls carry it, so a
 * client can follow its request), a new UUID otherwise; echoed on every answer.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, RawRequestDefaultExpression } from 'fastify';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** fastify's `genReqId`. */
export function requestIdOf(request: RawRequestDefaultExpression): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

export function echoRequestId(app: FastifyInstance): void {
  // A callback hook, not an async one: no promise for fastify to wait on, every answer.
  app.addHook('onSend', (request: FastifyRequest, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
}
