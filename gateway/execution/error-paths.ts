/**
 * Error paths as clients know them. An entity fetch's error names the subgraph's `_entities` list (and,
 * when the gateway cannot tell which entity, stops there, e.g. `create_project._entities`): that list is
 * federation's plumbing, not part of the client's operation. Such a path is cut to its last part that is
 * the client's own: the field the entities were fetched for.
 */
import type { GraphQLFormattedError } from 'graphql';

export function withClientPath(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const path = formatted.path;
  const cut = path?.findIndex((segment) => segment === '_entities' || segment === '@') ?? -1;
  if (!path || cut === -1) return formatted;
  const { path: _internal, ...rest } = formatted;
  return cut === 0 ? rest : { ...rest, path: path.slice(0, cut) };
}
