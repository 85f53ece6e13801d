/**
 * The Apollo Server plugin that enforces the supergraph's @authenticated / @requiresScopes before a query
 * is planned (didResolveOperation), through `findDenials`. One denied field refuses the whole operation,
 * so nothing of it reaches a subgraph: the answer is `data: null` and one error per denied field, with its
 * path.
 */
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../../execution/subgraph-data-source.ts';
import { findDenials } from './find-denials.ts';
import { readSupergraphPolicy, type SupergraphPolicy } from './supergraph-policy.ts';

/**
 * Refuses an operation that selects a field its caller may not use. Register it before any other plugin
 * that answers in `responseForOperation`: the first answer there wins.
 */
export function authorizationPlugin(): ApolloServerPlugin<GatewayContext> {
  // Keyed by the API schema each request runs against, so a reload swaps the policy with the schema.
  const policies = new WeakMap<GraphQLSchema, SupergraphPolicy>();
  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema, coreSupergraphSdl }) {
          if (coreSupergraphSdl) policies.set(apiSchema, readSupergraphPolicy(coreSupergraphSdl));
        },
      };
    },
    async requestDidStart() {
      let denials: GraphQLFormattedError[] = [];
      return {
        async didResolveOperation({ schema, operation, document, request, contextValue }) {
          // No operation matched the requested name: the gateway answers "Unknown operation" without calling anything.
          if (!operation) return;
          const policy = policies.get(schema);
          if (!policy) throw new Error('no authorization policy for this schema');
          denials = findDenials({ schema, policy, principal: contextValue.principal, document, operation, variables: request.variables ?? {} });
        },
        // Answered here, in place of executing (and so planning) the operation.
        async responseForOperation() {
          if (denials.length === 0) return null;
          return { http: { status: 200, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: null, errors: denials } } };
        },
      };
    },
  };
}

