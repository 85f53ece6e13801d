/**
 * The estimated cost of an operation, before it is planned: the IBM cost spec's static analysis with Apollo
 * Router's defaults (which Hive's gateway follows):
 *
 * - a mutation costs 10 to start with, a query or subscription 0;
 * - a field costs its weight: `@cost` on the field, else `@cost` on its type, else 1 for an object, interface or
 *   union and 0 for a scalar or enum; plus its selections';
 * - a list multiplies that by its size: the largest slicing argument given (`@listSize(slicingArguments:)`),
 *   else `assumedSize`, else the configured default; with `sizedFields`, the size is that of those child
 *   fields instead (a connection's `edges`);
 * - each argument given adds its `@cost` weight, and each input field given its own, once (not multiplied);
 * - fields skipped by `@skip`/`@include` and `__typename` cost nothing; every fragment is counted, so that an
 *   abstract selection costs as much as all its branches (an upper bound, like Apollo's).
 *
 * The document has been validated: fields and fragments exist.
 */
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';
import type { CostDirectives, ListSize } from './cost-directives.ts';

export const MUTATION_BASE_COST = 10;

export interface CostInputs {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  directives: CostDirectives;
  /** The size of a list that declares none (DEMAND_CONTROL_LIST_SIZE). */
  defaultListSize: number;
}

export interface CostEstimate {
  cost: number;
  /** Fields declaring `requireOneSlicingArgument` called with none or several of them. */
  slicingViolations: string[];
}

/** Whether `@skip`/`@include` leave the selection in. */
export function isIncluded(
  node: FieldNode | InlineFragmentNode | { directives?: FieldNode['directives'] },
  variables: Record<string, unknown>,
): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, variables);
  return include?.if !== false;
}

export function fieldDefinition(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

/** The arguments of a field as they run: variables substituted, defaults filled in. */
export function argumentsOf(
  definition: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  try {
    return getArgumentValues(definition, node, variables);
  } catch {
    return {}; // validation refuses what cannot be coerced; nothing to count then
  }
}

function valueAt(values: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), values);
}

/** The weights of the input fields given in a value of an input type, nested ones included. */
function inputCost(type: GraphQLInputType, value: unknown, directives: CostDirectives): number {
  const named = getNamedType(type);
  if (!isInputObjectType(named) || value === null || typeof value !== 'object') return 0;
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + inputCost(named, item, directives), 0);
  let cost = 0;
  for (const [name, field] of Object.entries(named.getFields())) {
    if (!(name in value)) continue;
    cost +=
      (directives.inputFieldWeight(named.name, name) ?? 0) + inputCost(field.type, (value as Record<string, unknown>)[name], directives);
  }
  return cost;
}

/** Argument and input-field weights of one call of a field. */
export function argumentsCost(
  parent: GraphQLCompositeType,
  definition: GraphQLField<unknown, unknown>,
  node: FieldNode,
  args: Record<string, unknown>,
  directives: CostDirectives,
): number {
  let cost = 0;
  for (const arg of definition.args) {
    if (!node.arguments?.some((given) => given.name.value === arg.name)) continue;
    cost += (directives.argumentWeight(parent.name, definition.name, arg.name) ?? 0) + inputCost(arg.type, args[arg.name], directives);
  }
  return cost;
}

/** The weight of one value of a field: its own `@cost`, its type's, else 1 for a composite type and 0 for a leaf. */
export function typeCost(parent: GraphQLCompositeType, definition: GraphQLField<unknown, unknown>, directives: CostDirectives): number {
  const named = getNamedType(definition.type);
  return directives.fieldWeight(parent.name, definition.name) ?? directives.typeWeight(named.name) ?? (isCompositeType(named) ? 1 : 0);
}

/** The size `@listSize` gives a call of its field, and whether it breaks `requireOneSlicingArgument`. */
function sizeFromListSize(listSize: ListSize | undefined, args: Record<string, unknown>): { size?: number; violation: boolean } {
  if (!listSize) return { violation: false };
  const given = listSize.slicingArguments.map((path) => valueAt(args, path)).filter((value): value is number => typeof value === 'number');
  const violation = listSize.slicingArguments.length > 0 && listSize.requireOneSlicingArgument && given.length !== 1;
  if (given.length > 0) return { size: Math.max(0, ...given), violation };
  return { ...(listSize.assumedSize !== undefined ? { size: listSize.assumedSize } : {}), violation };
}

export function estimateCost({ schema, document, operation, variables, directives, defaultListSize }: CostInputs): CostEstimate {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const slicingViolations: string[] = [];
  // A fragment spreading itself is refused by validation; the guard keeps a crafted document from looping.
  const spreading = new Set<string>();

  type Sized = { fields: ReadonlySet<string>; size: number } | undefined;
  const selectionSetCost = (parent: GraphQLCompositeType, selectionSet: SelectionSetNode, sized: Sized): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) cost += fieldCost(parent, selection, sized);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (isCompositeType(type)) cost += selectionSetCost(type, selection.selectionSet, sized);
      } else {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !isCompositeType(type) || spreading.has(fragment.name.value)) continue;
        spreading.add(fragment.name.value);
        cost += selectionSetCost(type, fragment.selectionSet, sized);
        spreading.delete(fragment.name.value);
      }
    }
    return cost;
  };

  const fieldCost = (parent: GraphQLCompositeType, node: FieldNode, sized: Sized): number => {
    const definition = fieldDefinition(parent, node.name.value);
    if (!definition || node.name.value.startsWith('__')) return 0;
    const args = argumentsOf(definition, node, variables);
    const listSize = directives.listSize(parent.name, definition.name);
    const { size, violation } = sizeFromListSize(listSize, args);
    if (violation) slicingViolations.push(`${parent.name}.${definition.name}`);
    const isList = isListType(getNullableType(definition.type));
    const sizesChildren = (listSize?.sizedFields.length ?? 0) > 0;
    let instances = 1;
    if (sized?.fields.has(definition.name)) instances = sized.size;
    else if (isList) instances = sizesChildren ? defaultListSize : (size ?? defaultListSize);
    const named = getNamedType(definition.type);
    const children =
      node.selectionSet && isCompositeType(named)
        ? selectionSetCost(
            named,
            node.selectionSet,
            sizesChildren ? { fields: new Set(listSize!.sizedFields), size: size ?? defaultListSize } : undefined,
          )
        : 0;
    return instances * (typeCost(parent, definition, directives) + children) + argumentsCost(parent, definition, node, args, directives);
  };

  const root = schema.getRootType(operation.operation);
  const base = operation.operation === 'mutation' ? MUTATION_BASE_COST : 0;
  return { cost: base + (root ? selectionSetCost(root, operation.selectionSet, undefined) : 0), slicingViolations };
}
