/**
 * Which operation of the document runs, settled before anything else looks at it: a document whose
 * operation cannot be found (an unknown `operationName`, several operations and no name), an operation
 * type the schema has no root for, or a subscription sent over HTTP is the client's mistake, answered
 * HTTP 400 with a message saying which, not left to @apollo/gateway's executor (HTTP 500 INVALID_GRAPHQL).
 */
import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { Kind, type DocumentNode, type GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { cognitiveCloudError, type CognitiveCloudErrorCode } from '../../core/errors.ts';

function badRequest(code: CognitiveCloudErrorCode, message: string): GraphQLError {
  return cognitiveCloudError(code, message, { http: { status: 400 } });
}

/** Why the operation to run is not one this gateway can run over HTTP; undefined when it is. */
export function operationRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode | undefined,
  operationName: string | null | undefined,
  /** The transport keeps answering (WebSocket): subscriptions are served. */
  streams = false,
): GraphQLError | undefined {
  if (!operation) {
    if (operationName) return badRequest('OPERATION_RESOLUTION_FAILURE', `Unknown operation named "${operationName}".`);
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length;
    if (operations > 1)
      return badRequest('OPERATION_RESOLUTION_FAILURE', 'Must provide operation name if query contains multiple operations.');
    return badRequest('OPERATION_RESOLUTION_FAILURE', 'Must provide an operation.');
  }
  // Subscriptions need a transport that keeps answering (WebSocket, SSE); a POST or GET gets one answer.
  if (operation.operation === 'subscription' && !streams)
    return badRequest('BAD_REQUEST', 'Subscriptions are not served over HTTP POST or GET: send queries and mutations here.');
  if (!schema.getRootType(operation.operation))
    return badRequest('GRAPHQL_VALIDATION_FAILED', `The schema has no ${operation.operation} type.`);
  return undefined;
}

const resolutionCheck: GraphQLRequestListener<BaseContext> = {
  async didResolveOperation({ schema, document, operation, request, contextValue }) {
    const streams = (contextValue as { subscription?: unknown }).subscription !== undefined;
    const refusal = operationRefusal(schema, document, operation, request.operationName, streams);
    if (refusal) throw refusal;
  },
};

/** Refuses, in didResolveOperation, what `operationRefusal` refuses; one listener for every request, which keeps nothing. */
export const operationResolutionPlugin: ApolloServerPlugin = { requestDidStart: async () => resolutionCheck };
