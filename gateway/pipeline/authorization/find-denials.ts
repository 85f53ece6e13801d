/**
 * The authorization walk: every field the operation selects, through fragments, aliases and abstract types,
 * checked against the principal settled by authentication and the requirements the supergraph declares.
 * A plain function of the operation, so that every transport runs the same check.
 */
import {
  Kind,
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLFormattedError,
  type GraphQLNamedType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Principal } from '../../../core/identity.ts';
import type { FieldOwners } from '../../supergraph/field-owners.ts';
import { gatewayError, type ErrorStyle, type GatewayErrorCode } from '../error-shapes.ts';
import { fragmentsByName } from '../operation-limits.ts';
import { decide, type ProjectReference, type Requirement, type SupergraphPolicy } from './supergraph-policy.ts';

/**
 * The project a field touches: the argument its subgraph declares with `@projectScoped(argument:)`
 * (supergraph/security-directives.ts); otherwise the project of the nearest enclosing field that has one.
 */
export function projectOf(
  argumentName: string | undefined,
  args: Record<string, unknown>,
  enclosing: ProjectReference | undefined,
): ProjectReference | undefined {
  const id = argumentName === undefined ? undefined : args[argumentName];
  return typeof id === 'string' ? { id, argumentName: argumentName! } : enclosing;
}

/** A denied field or fragment, its path relative to the selection set it was found in. */
interface Denial {
  message: string;
  path: readonly string[];
  extensions: Record<string, unknown>;
}

const NO_DENIALS: readonly Denial[] = Object.freeze([]);

/** Which subgraphs a principal's issuer lets it call (pipeline/credential-issuers.ts), and who owns each field. */
export interface IssuerScope {
  owners: FieldOwners;
  /** The issuer, for the message. */
  issuer: string;
  covers(subgraph: string): boolean;
}

interface Walk {
  schema: GraphQLSchema;
  policy: SupergraphPolicy;
  principal: Principal;
  scope: IssuerScope | undefined;
  projectArgumentOf: (typeName: string, fieldName: string) => string | undefined;
  styleOf: (typeName: string, fieldName?: string) => ErrorStyle;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /**
   * The denials of each named fragment, by its name, the type it is checked on and its project: a fragment
   * is walked once for each, however often it is spread, so that a document spreading fragments into each
   * other cannot make the walk exponential.
   */
  checkedFragments: Map<string, readonly Denial[]>;
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

/** Collects denials in document order, each (path, message) once, with `key` put in front of their paths. */
class Denials {
  private found: Map<string, Denial> | undefined;

  add(denials: readonly Denial[], key?: string): void {
    for (const denial of denials) {
      const path = key === undefined ? denial.path : [key, ...denial.path];
      const id = `${path.join('.')}\n${denial.message}`;
      this.found ??= new Map();
      if (!this.found.has(id)) this.found.set(id, key === undefined ? denial : { ...denial, path });
    }
  }

  list(): readonly Denial[] {
    return this.found ? [...this.found.values()] : NO_DENIALS;
  }
}

/** The denials of a selection set, walking it depth first in document order. */
/** `nested`: the selection set is below a root field. */
function check(
  walk: Walk,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  project: ProjectReference | undefined,
  nested: boolean,
): readonly Denial[] {
  const denials = new Denials();
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      denials.add(checkNamedFragment(walk, selection.name.value, project, nested));
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      denials.add(checkFragment(walk, selection, parent, project, nested));
      continue;
    }
    const name = selection.name.value;
    if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
    const field = parent.getFields()[name];
    if (!field) continue;
    const key = selection.alias?.value ?? name;
    const returned = getNamedType(field.type);
    // On an interface, a field is reached on any of its implementations: each one's requirements hold.
    const requirements: Requirement[] = [
      ...(isInterfaceType(parent) ? walk.policy.ofField(parent.name, name) : []),
      ...possibleTypeNames(walk.schema, parent).flatMap((typeName) => walk.policy.ofField(typeName, name)),
      ...typeRequirements(walk, returned),
    ];
    const projectArgument = walk.projectArgumentOf(parent.name, name);
    // The arguments are coerced only for a field that names its project by one: most fields name none.
    const fieldProject = projectArgument === undefined ? project : projectOf(projectArgument, argumentsOf(walk, field, selection), project);
    // Out of the issuer's scope, the field is refused whole: what it selects is not its caller's to ask.
    const outOfScope = enforceScope(walk, parent.name, name);
    if (outOfScope.length > 0) {
      denials.add(outOfScope, key);
      continue;
    }
    denials.add(enforce(walk, requirements, fieldProject, `field "${parent.name}.${name}"`, [parent.name, name], nested), key);
    if (selection.selectionSet && isCompositeType(returned))
      denials.add(check(walk, selection.selectionSet, returned, fieldProject, true), key);
  }
  return denials.list();
}

function argumentsOf(walk: Walk, field: GraphQLField<unknown, unknown>, selection: FieldNode): Record<string, unknown> {
  try {
    return getArgumentValues(field, selection, walk.variables);
  } catch {
    // Arguments that do not coerce fail execution before any subgraph is called; the project stays unknown.
    return {};
  }
}

function checkNamedFragment(walk: Walk, name: string, project: ProjectReference | undefined, nested: boolean): readonly Denial[] {
  const fragment = walk.fragments.get(name);
  if (!fragment) return NO_DENIALS;
  const memo = `${name}\n${fragment.typeCondition.name.value}\n${project?.id ?? ''}\n${project?.argumentName ?? ''}\n${nested}`;
  let denials = walk.checkedFragments.get(memo);
  if (!denials) {
    // A fragment spreading itself is refused by validation; here it only must not loop.
    walk.checkedFragments.set(memo, NO_DENIALS);
    const condition = walk.schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType;
    denials = checkFragment(walk, fragment, condition, project, nested);
    walk.checkedFragments.set(memo, denials);
  }
  return denials;
}

function checkFragment(
  walk: Walk,
  fragment: FragmentDefinitionNode | InlineFragmentNode,
  parent: GraphQLCompositeType,
  project: ProjectReference | undefined,
  nested: boolean,
): readonly Denial[] {
  const condition = fragment.typeCondition ? (walk.schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType) : parent;
  const denials = new Denials();
  // A fragment on a type that declares requirements needs them, like a field returning that type.
  denials.add(enforce(walk, typeRequirements(walk, condition), project, `fragment on ${condition.name}`, [condition.name], nested));
  denials.add(check(walk, fragment.selectionSet, condition, project, nested));
  return denials.list();
}

/** A field no subgraph of the caller's issuer owns is refused as if the caller had no credentials for it. */
function enforceScope(walk: Walk, typeName: string, fieldName: string): readonly Denial[] {
  const scope = walk.scope;
  if (!scope) return NO_DENIALS;
  const owners = scope.owners.ofField(typeName, fieldName);
  if (owners.length === 0 || owners.some((owner) => scope.covers(owner))) return NO_DENIALS;
  const message = `Credentials of the issuer "${scope.issuer}" cannot be used for field "${typeName}.${fieldName}"`;
  return [denial(walk.styleOf(typeName, fieldName), 'UNAUTHENTICATED', message)];
}

/**
 * `owner`: the field (or, for a fragment, the type) the requirements are declared for: its subgraph's error
 * shape. Below a mutation's root field, in an object whose project the operation does not name (what
 * `create_project` made a moment ago), the caller's roles, settled before the mutation ran, cannot name that
 * project yet: any authenticated caller is let through, and the subgraph decides (kit/authorize.ts).
 */
function enforce(
  walk: Walk,
  requirements: readonly Requirement[],
  project: ProjectReference | undefined,
  what: string,
  owner: [string, string?],
  nested: boolean,
): readonly Denial[] {
  const madeByThisMutation = walk.mutation && nested && !project && requirements.length > 0;
  const decision = decide(madeByThisMutation ? [{ kind: 'authenticated' }] : requirements, walk.principal, project, what);
  if (decision.allowed) return NO_DENIALS;
  return [
    denial(walk.styleOf(...owner), decision.code, decision.message, decision.argumentName ? { argumentName: decision.argumentName } : {}),
  ];
}

function denial(style: ErrorStyle, code: GatewayErrorCode, message: string, extensions: Record<string, unknown> = {}): Denial {
  return { message, path: [], extensions: gatewayError(style, code, message, extensions).extensions ?? {} };
}

export interface AuthorizationInput {
  schema: GraphQLSchema;
  policy: SupergraphPolicy;
  principal: Principal;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The request's variables, as the client sent them. */
  variables: Record<string, unknown>;
  /** For a principal of a configured issuer: the subgraphs it may call. Default: no restriction. */
  scope?: IssuerScope;
  /** The argument naming a field's project (`@projectScoped`). Default: no field names one. */
  projectArgumentOf?: (typeName: string, fieldName: string) => string | undefined;
  /** The error shape of the subgraph owning a field (or a type, for a fragment). Default: Cognitive Cloud's. */
  styleOf?: (typeName: string, fieldName?: string) => ErrorStyle;
}

/**
 * Every field and fragment of the operation its caller may not use, one error each with its path, in
 * document order; none when the operation is allowed. Each fragment is checked once per type and project.
 */
export function findDenials(input: AuthorizationInput): GraphQLFormattedError[] {
  const {
    schema,
    policy,
    principal,
    document,
    operation,
    variables,
    scope,
    projectArgumentOf = () => undefined,
    styleOf = () => 'cognitive-cloud',
  } = input;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  const walk: Walk = {
    schema,
    policy,
    principal,
    scope,
    projectArgumentOf,
    styleOf,
    fragments: fragmentsByName(document),
    variables: coerced.coerced ?? {},
    checkedFragments: new Map(),
    mutation: operation.operation === 'mutation',
  };
  const root = rootType(schema, operation);
  if (!root) return [];
  return check(walk, operation.selectionSet, root, undefined, false).map(({ message, path, extensions }) => ({
    message,
    path: path.length > 0 ? [...path] : undefined,
    extensions,
  }));
}

function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLCompositeType | undefined | null {
  return operation.operation === 'query'
    ? schema.getQueryType()
    : operation.operation === 'mutation'
      ? schema.getMutationType()
      : schema.getSubscriptionType();
}
