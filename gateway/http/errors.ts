/**
 * Requests that never become a GraphQL request (a body that is not JSON, an empty body, a content type or
 * method the endpoint does not take, a body over MAX_BODY_BYTES, an unknown path) are answered in GraphQL's
 * error shape with their HTTP status, instead of fastify's `{statusCode, code: "FST_ERR_..."}` objects.
 * Anything else that reaches fastify's error handler is unexpected: logged in full, answered 500 without
 * details.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { cognitiveCloudError, type CognitiveCloudErrorCode } from '../../core/errors.ts';

/** What each client error status is called in `extensions.code`. */
const CODE_BY_STATUS: Record<number, CognitiveCloudErrorCode> = {
  400: 'BAD_REQUEST',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** fastify's own words for a few of its errors, rewritten for a GraphQL client. */
const MESSAGE_BY_FASTIFY_CODE: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty; send {"query": "..."}',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Send GraphQL requests as application/json',
};

export function registerHttpErrors(
  app: FastifyInstance,
  { graphqlPath, maxBodyBytes }: { graphqlPath: string; maxBodyBytes: number },
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    const code = CODE_BY_STATUS[status];
    if (!code) {
      request.log.error({ err: error }, 'unexpected error outside GraphQL execution');
      return reply.code(500).send({ errors: [cognitiveCloudError('INTERNAL_SERVER_ERROR', 'Internal server error').toJSON()] });
    }
    const message =
      status === 413
        ? `The request body is larger than ${maxBodyBytes} bytes (MAX_BODY_BYTES)`
        : (MESSAGE_BY_FASTIFY_CODE[error.code] ?? error.message);
    return reply.code(status).send({ errors: [cognitiveCloudError(code, message).toJSON()] });
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.split('?')[0] === graphqlPath) {
      const message = `${graphqlPath} takes GET and POST, not ${request.method}`;
      return reply
        .code(405)
        .header('allow', 'GET, POST')
        .send({ errors: [cognitiveCloudError('METHOD_NOT_ALLOWED', message).toJSON()] });
    }
    return reply
      .code(404)
      .send({ errors: [cognitiveCloudError('NOT_FOUND', `Nothing is served at ${request.method} ${request.url.split('?')[0]}`).toJSON()] });
  });
}
