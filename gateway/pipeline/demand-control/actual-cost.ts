/**
 * The actual cost of an answer, counted from its shape with the weights of the estimate (cost-estimate.ts):
 * each value a field returned costs its weight (every item of a list, so lists cost their real length),
 * each call its arguments' weights, and a mutation its base cost. A `null` costs nothing. Where an answer
 * has `__typename`, fragments count only on the types they apply to.
 */
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type SelectionSetNode,
} from 'graphql';
import { argumentsCost, argumentsOf, fieldDefinition, isIncluded, MUTATION_BASE_COST, typeCost, type CostInputs } from './cost-estimate.ts';

type Fields = Map<string, { parent: GraphQLCompositeType; nodes: FieldNode[] }>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function actualCost(inputs: Omit<CostInputs, 'defaultListSize'>, data: Record<string, unknown> | null | undefined): number {
  const { schema, document, operation, variables, directives } = inputs;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  const applies = (condition: string | undefined, runtime: GraphQLCompositeType | undefined): boolean => {
    if (!condition || !runtime || !isObjectType(runtime)) return true;
    const type = schema.getType(condition);
    return type === runtime || (isAbstractType(type) && schema.isSubType(type, runtime));
  };

  // The fields an object answers, by response key, as graphql-js's collectFields groups them.
  const collect = (
    parent: GraphQLCompositeType,
    selectionSet: SelectionSetNode,
    runtime: GraphQLCompositeType | undefined,
    into: Fields,
    seen: Set<string>,
  ) => {
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const entry = into.get(key) ?? { parent, nodes: [] };
        entry.nodes.push(selection);
        into.set(key, entry);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        const type = condition ? schema.getType(condition) : parent;
        if (isCompositeType(type) && applies(condition, runtime)) collect(type, selection.selectionSet, runtime, into, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !isCompositeType(type) || seen.has(fragment.name.value) || !applies(type.name, runtime)) continue;
        seen.add(fragment.name.value);
        collect(type, fragment.selectionSet, runtime, into, seen);
      }
    }
  };

  const objectCost = (parent: GraphQLCompositeType, selectionSets: SelectionSetNode[], value: Record<string, unknown>): number => {
    const typename = typeof value.__typename === 'string' ? schema.getType(value.__typename) : undefined;
    const runtime = isObjectType(typename) ? typename : undefined;
    const fields: Fields = new Map();
    for (const selectionSet of selectionSets) collect(runtime ?? parent, selectionSet, runtime, fields, new Set());
    let cost = 0;
    for (const [key, { parent: owner, nodes }] of fields) {
      const definition = fieldDefinition(runtime ?? owner, nodes[0]!.name.value) ?? fieldDefinition(owner, nodes[0]!.name.value);
      if (!definition || !(key in value)) continue;
      const args = argumentsOf(definition, nodes[0]!, variables);
      cost += argumentsCost(owner, definition, nodes[0]!, args, directives);
      const children = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      const weight = typeCost(owner, definition, directives);
      const named = getNamedType(definition.type);
      const valueCost = (item: unknown): number => {
        if (item === null || item === undefined) return 0;
        if (Array.isArray(item)) return item.reduce<number>((sum, element) => sum + valueCost(element), 0);
        return weight + (isCompositeType(named) && isRecord(item) ? objectCost(named, children, item) : 0);
      };
      cost += valueCost(value[key]);
    }
    return cost;
  };

  const root = schema.getRootType(operation.operation);
  const base = operation.operation === 'mutation' ? MUTATION_BASE_COST : 0;
  return base + (root && isRecord(data) ? objectCost(root, [operation.selectionSet], data) : 0);
}
