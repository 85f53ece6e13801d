/**
 * What the supergraph declares of its costs, through the cost spec's directives (`https://specs.apollo.dev/cost`,
 * the IBM GraphQL Cost Directive specification as Federation 2.9 composes it):
 *
 * - `@cost(weight:)` on an object, scalar or enum type, a field, an argument or an input field;
 * - `@listSize(assumedSize:, slicingArguments:, sizedFields:, requireOneSlicingArgument:)` on a field.
 *
 * Subgraphs import them from federation v2.9 (`import: ["@cost", "@listSize"]`); composition keeps them in the
 * supergraph under the link's names: `@cost` is the spec's eponymous directive, `@listSize` imported (else
 * `@cost__listSize`). Read here under whatever names the supergraph's `@link` gives them.
 */
import { Kind, type ConstDirectiveNode, type ConstValueNode, type DocumentNode } from 'graphql';

export const COST_SPEC_URL = 'https://specs.apollo.dev/cost/';

export interface ListSize {
  assumedSize?: number;
  /** Argument paths ("first", "filter.max") whose value is the size of the list. */
  slicingArguments: readonly string[];
  /** Child fields the size applies to, in place of the field itself (a connection's `edges`). */
  sizedFields: readonly string[];
  /** Default true: exactly one slicing argument must be given. */
  requireOneSlicingArgument: boolean;
}

export interface CostDirectives {
  typeWeight(type: string): number | undefined;
  fieldWeight(type: string, field: string): number | undefined;
  argumentWeight(type: string, field: string, argument: string): number | undefined;
  inputFieldWeight(inputType: string, field: string): number | undefined;
  listSize(type: string, field: string): ListSize | undefined;
}

function costDirectives(weights: ReadonlyMap<string, number>, listSizes: ReadonlyMap<string, ListSize>): CostDirectives {
  return {
    typeWeight: (type) => weights.get(type),
    fieldWeight: (type, field) => weights.get(`${type}.${field}`),
    argumentWeight: (type, field, argument) => weights.get(`${type}.${field}(${argument})`),
    inputFieldWeight: (inputType, field) => weights.get(`${inputType}.${field}`),
    listSize: (type, field) => listSizes.get(`${type}.${field}`),
  };
}

/** A supergraph that declares no cost: every weight is the default one. */
export const NO_COST_DIRECTIVES: CostDirectives = costDirectives(new Map(), new Map());

function argument(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((candidate) => candidate.name.value === name)?.value;
}

function stringOf(value: ConstValueNode | undefined): string | undefined {
  return value?.kind === Kind.STRING ? value.value : undefined;
}

function strings(value: ConstValueNode | undefined): string[] {
  if (value?.kind === Kind.STRING) return [value.value];
  return value?.kind === Kind.LIST ? value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : [])) : [];
}

/** Federation's weights are Int; the IBM spec's are strings of floats ("2.0"). */
function weightOf(directive: ConstDirectiveNode): number | undefined {
  const value = argument(directive, 'weight');
  const weight = value?.kind === Kind.INT || value?.kind === Kind.FLOAT || value?.kind === Kind.STRING ? Number(value.value) : NaN;
  return Number.isFinite(weight) ? weight : undefined;
}

function sizeOf(directive: ConstDirectiveNode): ListSize {
  const assumed = argument(directive, 'assumedSize');
  const requireOne = argument(directive, 'requireOneSlicingArgument');
  return {
    ...(assumed?.kind === Kind.INT ? { assumedSize: Number(assumed.value) } : {}),
    slicingArguments: strings(argument(directive, 'slicingArguments')),
    sizedFields: strings(argument(directive, 'sizedFields')),
    requireOneSlicingArgument: requireOne?.kind === Kind.BOOLEAN ? requireOne.value : true,
  };
}

/** The local names of `@cost` and `@listSize` under the supergraph's `@link` of the cost spec, if it has one. */
function localNames(document: DocumentNode): { cost: string; listSize: string } | undefined {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link' || !stringOf(argument(link, 'url'))?.startsWith(COST_SPEC_URL)) continue;
      const namespace = stringOf(argument(link, 'as')) ?? 'cost';
      const names = { cost: namespace, listSize: `${namespace}__listSize` };
      const imports = argument(link, 'import');
      for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
        const name =
          entry.kind === Kind.STRING
            ? entry.value
            : entry.kind === Kind.OBJECT
              ? stringOf(entry.fields.find((f) => f.name.value === 'name')?.value)
              : undefined;
        const as = entry.kind === Kind.OBJECT ? stringOf(entry.fields.find((f) => f.name.value === 'as')?.value) : undefined;
        if (name === '@cost') names.cost = (as ?? name).slice(1);
        if (name === '@listSize') names.listSize = (as ?? name).slice(1);
      }
      return names;
    }
  }
  return undefined;
}

export function readCostDirectives(supergraph: DocumentNode): CostDirectives {
  const names = localNames(supergraph);
  if (!names) return NO_COST_DIRECTIVES;
  const weights = new Map<string, number>();
  const listSizes = new Map<string, ListSize>();
  const readWeight = (key: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    const directive = directives?.find((candidate) => candidate.name.value === names.cost);
    const weight = directive && weightOf(directive);
    if (weight !== undefined) weights.set(key, weight);
  };
  for (const definition of supergraph.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const type = definition.name.value;
    readWeight(type, definition.directives as readonly ConstDirectiveNode[] | undefined);
    if (!('fields' in definition)) continue;
    for (const field of definition.fields ?? []) {
      const key = `${type}.${field.name.value}`;
      readWeight(key, field.directives);
      const listSize = field.directives?.find((candidate) => candidate.name.value === names.listSize);
      if (listSize) listSizes.set(key, sizeOf(listSize));
      if ('arguments' in field) for (const arg of field.arguments ?? []) readWeight(`${key}(${arg.name.value})`, arg.directives);
    }
  }
  return costDirectives(weights, listSizes);
}
