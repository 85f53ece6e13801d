/**
 * The Apollo Server plugin that enforces the supergraph's @authenticated / @requiresScopes before a query
 * is planned (didResolveOperation): every field the operation selects is checked, through fragments,
 * aliases and abstract types, against the principal settled by authentication. One denied field refuses
 * the whole operation, so nothing of it reaches a subgraph: the answer is `data: null` and one error per
 * denied field, with its path.
 */
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import {
  Kind,
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLFormattedError,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Principal } from '../../subgraphs/kit/identity.ts';
import { fragmentsByName } from '../operation-limits.ts';
import type { GatewayContext } from '../subgraph-data-source.ts';
import { decide, readSupergraphPolicy, type ProjectReference, type Requirement, type SupergraphPolicy } from './supergraph-policy.ts';

/**
 * The project a field touches: its `project_id` argument, or its `id` argument when it returns a
 * `Project`; otherwise the project of the nearest enclosing field that has one.
 */
export function projectOf(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, enclosing: ProjectReference | undefined): ProjectReference | undefined {
  if (typeof args.project_id === 'string') return { id: args.project_id, argumentName: 'project_id' };
  if (typeof args.id === 'string' && getNamedType(field.type).name === 'Project') return { id: args.id, argumentName: 'id' };
  return enclosing;
}

interface Walk {
  schema: GraphQLSchema;
  policy: SupergraphPolicy;
  principal: Principal;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  denials: GraphQLFormattedError[];
  /** A mutation: what its root fields answer may be newer than the caller's credentials (see enforce). */
  mutation: boolean;
}

function possibleTypeNames(schema: GraphQLSchema, type: GraphQLCompositeType): string[] {
  return isAbstractType(type) ? schema.getPossibleTypes(type).map((possible) => possible.name) : [type.name];
}

/** Requirements declared on a type, and on each object type an abstract type may turn out to be. */
function typeRequirements(walk: Walk, type: GraphQLNamedType): Requirement[] {
  const own = walk.policy.ofType(type.name);
  if (!isAbstractType(type)) return [...own];
  return [...own, ...possibleTypeNames(walk.schema, type).flatMap((name) => walk.policy.ofType(name))];
}

/** Records every denial, walking the selections depth first in document order. */
function check(walk: Walk, selectionSet: SelectionSetNode, parent: GraphQLCompositeType, project: ProjectReference | undefined, path: string[]): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD || selection.kind === Kind.INLINE_FRAGMENT) {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? walk.fragments.get(selection.name.value) : selection;
      if (!fragment) continue;
      const condition = fragment.typeCondition ? (walk.schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType) : parent;
      // A fragment on a type that declares requirements needs them, like a field returning that type.
      enforce(walk, typeRequirements(walk, condition), project, `fragment on ${condition.name}`, path);
      check(walk, fragment.selectionSet, condition, project, path);
      continue;
    }
    const name = selection.name.value;
    if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
    const field = parent.getFields()[name];
    if (!field) continue;
    const fieldPath = [...path, selection.alias?.value ?? name];
    const returned = getNamedType(field.type);
    // On an interface, a field is reached on any of its implementations: each one's requirements hold.
    const requirements: Requirement[] = [
      ...(isInterfaceType(parent) ? walk.policy.ofField(parent.name, name) : []),
      ...possibleTypeNames(walk.schema, parent).flatMap((typeName) => walk.policy.ofField(typeName, name)),
      ...typeRequirements(walk, returned),
    ];
    let args: Record<string, unknown> = {};
    try {
      args = getArgumentValues(field, selection, walk.variables);
    } catch {
      // Arguments that do not coerce fail execution before any subgraph is called; the project stays unknown.
    }
    const fieldProject = projectOf(field, args, project);
    enforce(walk, requirements, fieldProject, `field "${parent.name}.${name}"`, fieldPath);
    if (selection.selectionSet && isCompositeType(returned)) check(walk, selection.selectionSet, returned, fieldProject, fieldPath);
  }
}

/**
 * Below a mutation's root field, in an object whose project the operation does not name (what
 * `create_project` made a moment ago), the caller's roles, settled before the mutation ran, cannot name
 * that project yet: any authenticated caller is let through, and the subgraph decides (kit/authorize.ts).
 */
function enforce(walk: Walk, requirements: readonly Requirement[], project: ProjectReference | undefined, what: string, path: string[]): void {
  const madeByThisMutation = walk.mutation && !project && path.length > 1 && requirements.length > 0;
  const decision = decide(madeByThisMutation ? [{ kind: 'authenticated' }] : requirements, walk.principal, project, what);
  if (decision.allowed) return;
  const extensions: Record<string, unknown> = { code: decision.code };
  if (decision.argumentName) extensions.argumentName = decision.argumentName;
  walk.denials.push({ message: decision.message, path: path.length > 0 ? path : undefined, extensions });
}

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
          const fragments = fragmentsByName(document);
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          const walk: Walk = { schema, policy, principal: contextValue.principal, fragments, variables: coerced.coerced ?? {}, denials: [], mutation: operation.operation === 'mutation' };
          const root = rootType(schema, operation);
          if (root) check(walk, operation.selectionSet, root, undefined, []);
          denials = walk.denials;
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

function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLCompositeType | undefined | null {
  return operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
}
