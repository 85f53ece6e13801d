/**
 * One log line per request, in place of fastify's two ("incoming request", "request completed"): for
 * `/graphql` at info, with the request id, operation name and type, caller (API key id or user id, never a
 * secret), duration, HTTP status and the error codes answered; `/health`, `/ready`, `/metrics` and the
 * explorer's files at debug, so that probes and scrapes do not fill the logs.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../core/identity.ts';

/** What the Apollo plugin learns of an operation, for the line written when the response is sent. */
export interface OperationLogRecord {
  operationName?: string | null;
  operationType?: string;
  errorCodes?: string[];
}

const QUIET_PATHS = /^\/(health|ready|metrics)$|^\/explorer\//;

/** Who called, as a log may say it: ids only. */
function callerOf(principal: Principal | null): { caller: string; keyId?: string; userId?: string } {
  if (!principal || principal.kind === 'anonymous') return { caller: 'anonymous' };
  if (principal.kind === 'apiKey') return { caller: 'apiKey', keyId: principal.keyId };
  if (principal.kind === 'user') return { caller: 'user', userId: principal.userId };
  return { caller: principal.kind };
}

/** The line of each request, written once its answer is sent; `/graphql`'s from its pipeline request. */
export function registerOperationLog(app: FastifyInstance, graphqlPath: string): void {
  app.addHook('onResponse', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    const { id: reqId, method } = request;
    const status = reply.statusCode;
    const durationMs = Math.round(reply.elapsedTime);
    if (path !== graphqlPath) {
      const line = { reqId, method, path, status, durationMs };
      if (QUIET_PATHS.test(path)) request.log.debug(line, 'request');
      else request.log.info(line, 'request');
      return;
    }
    const { principal = null, operationLog = {} } = request.gatewayRequest ?? {};
    const { operationName, operationType, errorCodes } = operationLog;
    const { caller, keyId, userId } = callerOf(principal);
    // Written out, not spread: V8 copies `{ ...line, more }` on its slow path, every request (a few µs).
    const line = { reqId, method, path, status, durationMs, operationName, operationType, caller, keyId, userId, errorCodes };
    request.log.info(line, 'operation');
  });
}

/** Fills the request's OperationLogRecord from Apollo Server's view of the operation. */
export function operationLogPlugin(): ApolloServerPlugin<{ operationLog?: OperationLogRecord }> {
  return {
    async requestDidStart({ contextValue }) {
      const record = contextValue.operationLog;
      if (!record) return;
      return {
        async didResolveOperation({ operationName, operation }) {
          record.operationName = operationName;
          record.operationType = operation?.operation;
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (errors?.length)
            record.errorCodes = [
              ...new Set(errors.map((error) => String(error.extensions?.code ?? error.extensions?.errorCode ?? 'UNKNOWN'))),
            ];
        },
      };
    },
  };
}
