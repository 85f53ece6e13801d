/**
 * The error catalog: every error code the platform answers with, once, in the shape its seed documents.
 *
 * - Cognitive Cloud fields answer with `extensions.code` (Apollo's convention, which the seed's
 *   examples follow), plus `argumentName` where one argument is at fault.
 * - Dalet fields answer exactly as the Errors section of 003_cf88d16f5be72381.txt: `extensions.errorCode`,
 *   its fixed `classification`, and the resource fields of that error.
 *
 * The README's error table is checked against this catalog by test/error-catalog.test.ts.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export const COGNITIVE_CLOUD_ERRORS = {
  UNAUTHENTICATED: { httpStatus: 200, description: 'No valid API key or token was given.' },
  FORBIDDEN: { httpStatus: 200, description: "The caller's role does not allow this operation." },
  NOT_FOUND: { httpStatus: 200, description: 'No such resource in a project the caller can see.' },
  BAD_USER_INPUT: { httpStatus: 200, description: 'An argument is invalid; `argumentName` names it.' },
  AUTHENTICATION_UNAVAILABLE: {
    httpStatus: 503,
    description: 'Credentials cannot be checked just now; retry after `Retry-After` seconds, keep them.',
  },
  RATE_LIMITED: { httpStatus: 429, description: 'Too many requests; retry after `Retry-After` seconds.' },
  GRAPHQL_PARSE_FAILED: { httpStatus: 400, description: 'The document does not parse, has too many tokens or nests too deeply.' },
  GRAPHQL_VALIDATION_FAILED: { httpStatus: 400, description: 'The operation is not valid against the schema or exceeds a limit.' },
  OPERATION_RESOLUTION_FAILURE: {
    httpStatus: 400,
    description: 'No operation of the document can run: an unknown `operationName`, or several operations and none named.',
  },
  BAD_REQUEST: {
    httpStatus: 400,
    description: 'The request cannot be served: a body that is not JSON or is empty, or a subscription over HTTP.',
  },
  MAX_RECURSIVE_SELECTIONS_EXCEEDED: {
    httpStatus: 400,
    description: 'The operation selects more than MAX_RECURSIVE_SELECTIONS fields once its fragments are inlined.',
  },
  PERSISTED_QUERY_NOT_FOUND: {
    httpStatus: 200,
    description: 'No document is known by that hash or `documentId` yet: send it again with its `query` (automatic persisted queries).',
  },
  PERSISTED_DOCUMENT_NOT_FOUND: {
    httpStatus: 400,
    description:
      'The id names no document of the persisted-documents manifest, and only its documents run (`PERSISTED_DOCUMENTS_REQUIRED`).',
  },
  PERSISTED_DOCUMENT_REQUIRED: {
    httpStatus: 400,
    description:
      'Only documents of the persisted-documents manifest run, sent by id (`PERSISTED_DOCUMENTS_REQUIRED`): free text is refused.',
  },
  COST_ESTIMATED_TOO_EXPENSIVE: {
    httpStatus: 400,
    description: 'The estimated cost of the operation is over `MAX_OPERATION_COST`; `cost.estimated` gives it.',
  },
  COST_BUDGET_EXCEEDED: {
    httpStatus: 429,
    description: "The caller's cost budget (`COST_BUDGET`) is spent for this window; retry after `Retry-After` seconds.",
  },
  METHOD_NOT_ALLOWED: { httpStatus: 405, description: 'The endpoint takes GET and POST only.' },
  PAYLOAD_TOO_LARGE: { httpStatus: 413, description: 'The request body is larger than `MAX_BODY_BYTES`.' },
  UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, description: 'The request body is not `application/json`.' },
  SUBGRAPH_UNAVAILABLE: {
    httpStatus: 200,
    description: 'A service the operation needs could not be reached; `serviceName` names it, `path` the field.',
  },
  INTERNAL_SERVER_ERROR: { httpStatus: 500, description: 'Unexpected failure; details are logged, never sent.' },
} as const;

export type CognitiveCloudErrorCode = keyof typeof COGNITIVE_CLOUD_ERRORS;

export function cognitiveCloudError(
  code: CognitiveCloudErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export function badUserInput(argumentName: string, message: string): GraphQLError {
  return cognitiveCloudError('BAD_USER_INPUT', `Invalid argument "${argumentName}": ${message}`, { argumentName });
}

export function notFound(resource: string, argumentName: string): GraphQLError {
  return cognitiveCloudError('NOT_FOUND', `${resource} not found`, { argumentName });
}

export const DALET_ERRORS = {
  AuthenticationError: { classification: 'ExecutionAborted', description: 'The call is not authenticated.' },
  InvalidInput: { classification: 'ValidationError', description: 'An input value is not valid.' },
  NoAccessRightsException: { classification: 'ValidationError', description: 'The user may not perform this operation.' },
  ResourceDoesNotExist: { classification: 'DataFetchingException', description: 'The requested resource does not exist.' },
  ResourcePreconditionViolation: { classification: 'ValidationError', description: 'A precondition on the resource failed.' },
  UnexpectedError: { classification: 'ExecutionAborted', description: 'Unexpected failure; details are logged.' },
  UnsupportedResource: { classification: 'DataFetchingException', description: 'The resource type is not supported.' },
} as const;

export type DaletErrorCode = keyof typeof DALET_ERRORS;

export function daletError(errorCode: DaletErrorCode, message: string, fields: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: { ...fields, errorCode, classification: DALET_ERRORS[errorCode].classification },
  });
}

/**
 * Apollo Server gives every error without `extensions.code` a code of its own (INTERNAL_SERVER_ERROR in a
 * subgraph, DOWNSTREAM_SERVICE_ERROR at the gateway). A Dalet error is identified by `errorCode` and its
 * documented shape has no `code`, so that added code is taken off again.
 */
export function inSeedShape(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions?.errorCode === undefined || formatted.extensions.code === undefined) return formatted;
  const { code: _added, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
