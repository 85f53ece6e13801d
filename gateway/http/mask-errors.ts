/**
 * How errors leave the gateway for clients, whatever the transport (HTTP answers and subscription events).
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { cognitiveCloudError, inSeedShape } from '../../core/errors.ts';
import { withClientPath } from '../execution/error-paths.ts';

/**
 * Errors nobody raised on purpose (a subgraph unreachable, a bug) are logged in full, answered vaguely.
 * A subgraph's HTTP error keeps its message ("503: Service Unavailable") but not the subgraph's internal
 * URL and body, which @apollo/gateway puts in `extensions.response`: those go to the log only. No path names
 * a subgraph's `_entities` (error-paths.ts).
 */
export function maskUnexpected(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  formatted = withClientPath(formatted);
  if (formatted.extensions?.response !== undefined) {
    const { response, ...extensions } = formatted.extensions;
    logger.error({ response }, `subgraph call failed: ${formatted.message}`);
    formatted = { ...formatted, extensions };
  }
  if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR' || unwrapResolverError(error) instanceof GraphQLError) {
    return inSeedShape(formatted);
  }
  logger.error({ err: unwrapResolverError(error) }, 'unexpected error');
  return { ...cognitiveCloudError('INTERNAL_SERVER_ERROR', 'Internal server error').toJSON(), path: formatted.path };
}
