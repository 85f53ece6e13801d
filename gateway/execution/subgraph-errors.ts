/** The errors of a subgraph call, as @apollo/gateway's RemoteGraphQLDataSource makes them, and ours for an unreachable one. */
import type { FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError, Kind, parse } from 'graphql';
import { cognitiveCloudError } from '../../core/errors.ts';

/**
 * A subgraph that could not be reached (refused, reset, its name or route gone, its circuit open): an error
 * naming it, at the first root field of its call when that is a root fetch (an entity fetch's place in the
 * answer is the plan's, not the call's). The cause goes to the log through `originalError`, not to the client.
 */
export function unreachable(name: string, query: string, cause: Error): GraphQLError {
  const operation = parse(query, { noLocation: true }).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const first = operation?.selectionSet.selections[0];
  const rootKey = first?.kind === Kind.FIELD && first.name.value !== '_entities' ? (first.alias ?? first.name).value : undefined;
  const error = cognitiveCloudError('SUBGRAPH_UNAVAILABLE', `The ${name} service could not be reached`, { serviceName: name });
  return new GraphQLError(error.message, {
    extensions: error.extensions,
    path: rootKey === undefined ? undefined : [rootKey],
    originalError: cause,
  });
}

export function isGraphQLErrorAnswer(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as { errors?: unknown }).errors) &&
    (body as { errors: unknown[] }).errors.length > 0
  );
}

/** The error RemoteGraphQLDataSource raises for a non-2xx answer, to the letter. */
export function errorFromResponse(response: FetcherResponse, body: unknown): GraphQLError {
  const extensions: Record<string, unknown> = {
    response: { url: response.url, status: response.status, statusText: response.statusText, body },
  };
  if (response.status === 401) extensions.code = 'UNAUTHENTICATED';
  else if (response.status === 403) extensions.code = 'FORBIDDEN';
  return new GraphQLError(`${response.status}: ${response.statusText}`, { extensions });
}
