/**
 * The shape of an error the gateway itself makes (authentication, authorization, rate limits): that of the
 * subgraph owning the field it is about, as ERROR_STYLES declares each subgraph's style. Cognitive Cloud
 * fields answer `extensions.code`; Dalet fields `extensions.errorCode` and its `classification`
 * (core/errors.ts). A request-level error (a refused credential, a rate limit) takes the Dalet
 * shape when every root field of the operation that runs is owned by Dalet-style subgraphs.
 */
import { Kind, parse, type DocumentNode, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import { cognitiveCloudError, daletError, type CognitiveCloudErrorCode, type DaletErrorCode } from '../../core/errors.ts';
import type { FieldOwners } from '../supergraph/field-owners.ts';
import { fragmentsByName, rootFieldNames } from './operation-limits.ts';

export const ERROR_STYLE_NAMES = ['cognitive-cloud', 'dalet'] as const;
export type ErrorStyle = (typeof ERROR_STYLE_NAMES)[number];

/** ERROR_STYLES' default: the `dalet` subgraph answers in Dalet's shape, every other in Cognitive Cloud's. */
export const DEFAULT_ERROR_STYLES: Readonly<Record<string, ErrorStyle>> = Object.freeze({ dalet: 'dalet' });

/** The codes the gateway answers with itself. */
export type GatewayErrorCode = Extract<
  CognitiveCloudErrorCode,
  'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'RATE_LIMITED' | 'AUTHENTICATION_UNAVAILABLE'
>;

/**
 * Their Dalet equivalents. Dalet documents no rate limit and no outage code: those are UnexpectedError
 * (ExecutionAborted), with `retryAfter`, the HTTP status and `Retry-After` saying the rest.
 */
const DALET_CODES: Record<GatewayErrorCode, DaletErrorCode> = {
  UNAUTHENTICATED: 'AuthenticationError',
  FORBIDDEN: 'NoAccessRightsException',
  NOT_FOUND: 'ResourceDoesNotExist',
  RATE_LIMITED: 'UnexpectedError',
  AUTHENTICATION_UNAVAILABLE: 'UnexpectedError',
};

/** The error as it is answered, in `style`. Of the extensions, Dalet's shape keeps `retryAfter` only. */
export function gatewayError(
  style: ErrorStyle,
  code: GatewayErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLFormattedError {
  if (style === 'cognitive-cloud') return cognitiveCloudError(code, message, extensions).toJSON();
  const kept = extensions.retryAfter === undefined ? {} : { retryAfter: extensions.retryAfter };
  return daletError(DALET_CODES[code], message, kept).toJSON();
}

/** The style of what these subgraphs own: Dalet's only when all of them (one at least) are Dalet-style. */
export function styleOfOwners(owners: readonly string[], styles: Readonly<Record<string, ErrorStyle>>): ErrorStyle {
  return owners.length > 0 && owners.every((owner) => styles[owner] === 'dalet') ? 'dalet' : 'cognitive-cloud';
}

/** Past MAX_TOKENS' default, a document is not read for its style. */
const MAX_TOKENS_READ = 2_000;
const ROOT_TYPES = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

/**
 * The style of a request-level error for this GraphQL payload: Dalet's when every root field of the operation
 * that would run is owned by Dalet-style subgraphs. A batch, or a payload that does not parse, is Cognitive Cloud's.
 */
export function styleOfPayload(payload: unknown, owners: FieldOwners, styles: Readonly<Record<string, ErrorStyle>>): ErrorStyle {
  const { query, operationName } = (payload ?? {}) as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string' || Object.values(styles).every((style) => style !== 'dalet')) return 'cognitive-cloud';
  let document: DocumentNode;
  try {
    // Parsed before the document limits ran (a refused request goes no further): bounded on its own.
    document = parse(query, { noLocation: true, maxTokens: MAX_TOKENS_READ });
  } catch {
    return 'cognitive-cloud';
  }
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation =
    typeof operationName === 'string'
      ? operations.find((candidate) => candidate.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
  if (!operation) return 'cognitive-cloud';
  const names = rootFieldNames(operation, fragmentsByName(document)).filter((name) => !name.startsWith('__'));
  const rootType = ROOT_TYPES[operation.operation];
  return names.length > 0 && names.every((name) => styleOfOwners(owners.ofField(rootType, name), styles) === 'dalet')
    ? 'dalet'
    : 'cognitive-cloud';
}
