/**
 * The Apollo Server plugin that enforces the supergraph's @authenticated / @requiresScopes before a query
 * is planned (didResolveOperation), through `findDenials`. One denied field refuses the whole operation,
 * so nothing of it reaches a subgraph: the answer is `data: null` and one error per denied field, with its
 * path.
 */
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLFormattedError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { Principal } from '../../../core/identity.ts';
import type { GatewayContext } from '../../execution/subgraph-data-source.ts';
import type { FieldOwners } from '../../supergraph/field-owners.ts';
import type { SecurityDirectives } from '../../supergraph/security-directives.ts';
import { readSupergraph } from '../../supergraph/supergraph-document.ts';
import { covers, DEFAULT_ISSUER_NAME, DEFAULT_ISSUERS, type CredentialIssuer } from '../credential-issuers.ts';
import { DEFAULT_ERROR_STYLES, styleOfOwners, type ErrorStyle } from '../error-shapes.ts';
import { findDenials, type IssuerScope } from './find-denials.ts';
import { readSupergraphPolicy, type SupergraphPolicy } from './supergraph-policy.ts';

export interface AuthorizationOptions {
  /** Which subgraphs each issuer's principals may call. Default DEFAULT_ISSUERS. */
  issuers?: readonly CredentialIssuer[];
  /** ERROR_STYLES: the error shape of each subgraph. Default DEFAULT_ERROR_STYLES. */
  errorStyles?: Readonly<Record<string, ErrorStyle>>;
}

interface SchemaPolicy {
  policy: SupergraphPolicy;
  owners: FieldOwners;
  directives: SecurityDirectives;
  /**
   * The operations found allowed, by document and principal: the walk's answer is a function of the schema,
   * document, operation, principal and variables alone, and most requests repeat a few documents for one
   * caller (Apollo Server's document cache hands back the same DocumentNode, the authentication cache the
   * same Principal). Held weakly, so that an evicted document or principal takes its entries with it.
   */
  allowed: WeakMap<DocumentNode, WeakMap<Principal, WeakSet<OperationDefinitionNode>>>;
}

function allowedOperations(read: SchemaPolicy, document: DocumentNode, principal: Principal): WeakSet<OperationDefinitionNode> {
  let byPrincipal = read.allowed.get(document);
  if (!byPrincipal) read.allowed.set(document, (byPrincipal = new WeakMap()));
  let operations = byPrincipal.get(principal);
  if (!operations) byPrincipal.set(principal, (operations = new WeakSet()));
  return operations;
}

/** What a principal's issuer lets it call; a principal of an issuer not configured may call nothing. */
function scopeOf(principal: Principal, owners: FieldOwners, issuers: readonly CredentialIssuer[]): IssuerScope | undefined {
  if (principal.kind !== 'user' && principal.kind !== 'apiKey') return undefined;
  const name = principal.issuer ?? DEFAULT_ISSUER_NAME;
  const issuer = issuers.find((candidate) => candidate.name === name);
  return { owners, issuer: name, covers: (subgraph) => issuer !== undefined && covers(issuer, subgraph) };
}

/**
 * Refuses an operation that selects a field its caller may not use. Register it before any other plugin
 * that answers in `responseForOperation`: the first answer there wins.
 */
export function authorizationPlugin({
  issuers = DEFAULT_ISSUERS,
  errorStyles = DEFAULT_ERROR_STYLES,
}: AuthorizationOptions = {}): ApolloServerPlugin<GatewayContext> {
  // Keyed by the API schema each request runs against, so a reload swaps the policy with the schema.
  const policies = new WeakMap<GraphQLSchema, SchemaPolicy>();
  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema, coreSupergraphSdl }) {
          if (coreSupergraphSdl) {
            const supergraph = readSupergraph(coreSupergraphSdl);
            policies.set(apiSchema, {
              policy: readSupergraphPolicy(supergraph.document),
              owners: supergraph.fieldOwners,
              directives: supergraph.securityDirectives,
              allowed: new WeakMap(),
            });
          }
        },
      };
    },
    async requestDidStart() {
      let denials: GraphQLFormattedError[] = [];
      return {
        async didResolveOperation({ schema, operation, document, request, contextValue }) {
          // No operation matched the requested name: the gateway answers "Unknown operation" without calling anything.
          if (!operation) return;
          const read = policies.get(schema);
          if (!read) throw new Error('no authorization policy for this schema');
          const { principal } = contextValue;
          // The walk reads the variables: only an operation sent without any is remembered as allowed.
          const variables = request.variables ?? {};
          const remembered = Object.keys(variables).length === 0 ? allowedOperations(read, document, principal) : undefined;
          if (remembered?.has(operation)) return;
          const scope = scopeOf(principal, read.owners, issuers);
          const { projectArgumentOf } = read.directives;
          const { owners } = read;
          const styleOf = (typeName: string, fieldName?: string) =>
            styleOfOwners(fieldName === undefined ? owners.ofType(typeName) : owners.ofField(typeName, fieldName), errorStyles);
          denials = findDenials({
            schema,
            policy: read.policy,
            principal,
            document,
            operation,
            variables,
            scope,
            projectArgumentOf,
            styleOf,
          });
          if (denials.length === 0) remembered?.add(operation);
        },
        // Answered here, in place of executing (and so planning) the operation.
        async responseForOperation() {
          if (denials.length === 0) return null;
          return {
            http: { status: 200, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: null, errors: denials } },
          };
        },
      };
    },
  };
}
