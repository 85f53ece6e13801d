/**
 * Which subgraphs own each field of a supergraph, as its `join__` directives say: a field's
 * `@join__field(graph:)` applications, or, when it has none, every `@join__type(graph:)` of its type. Names
 * are the subgraphs' own (`@join__graph(name:)`), e.g. `accounts`, not the enum values (`ACCOUNTS`).
 */
import { Kind, type DirectiveNode, type DocumentNode } from 'graphql';

export interface FieldOwners {
  /** The subgraphs that may resolve `typeName.fieldName`; empty for a field the supergraph does not know. */
  ofField(typeName: string, fieldName: string): readonly string[];
  /** The subgraphs that define `typeName`. */
  ofType(typeName: string): readonly string[];
}

const NONE: readonly string[] = Object.freeze([]);

/** Before any supergraph is loaded. */
export const NO_FIELD_OWNERS: FieldOwners = Object.freeze({ ofField: () => NONE, ofType: () => NONE });

function argument(directive: DirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((node) => node.name.value === name)?.value;
  return value?.kind === Kind.STRING || value?.kind === Kind.ENUM ? value.value : undefined;
}

/** A field merely referenced by a subgraph (`external`), or taken over from it (`usedOverridden`), is not its own. */
function flagged(directive: DirectiveNode, name: string): boolean {
  const value = directive.arguments?.find((node) => node.name.value === name)?.value;
  return value?.kind === Kind.BOOLEAN && value.value;
}

export function readFieldOwners(supergraph: DocumentNode): FieldOwners {
  // join__Graph's values name the subgraphs: ACCOUNTS @join__graph(name: "accounts", url: ...).
  const graphNames = new Map<string, string>();
  for (const definition of supergraph.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((directive) => directive.name.value === 'join__graph');
      graphNames.set(value.name.value, (graph && argument(graph, 'name')) ?? value.name.value.toLowerCase());
    }
  }
  const graphsOf = (directives: readonly DirectiveNode[] | undefined, name: string): string[] => {
    const graphs = new Set<string>();
    for (const directive of directives ?? []) {
      const graph =
        directive.name.value === name && !flagged(directive, 'external') && !flagged(directive, 'usedOverridden')
          ? argument(directive, 'graph')
          : undefined;
      if (graph !== undefined) graphs.add(graphNames.get(graph) ?? graph);
    }
    return [...graphs];
  };

  const types = new Map<string, readonly string[]>();
  const fields = new Map<string, readonly string[]>();
  for (const definition of supergraph.definitions) {
    if (!('name' in definition) || !definition.name || definition.kind === Kind.DIRECTIVE_DEFINITION || !('directives' in definition))
      continue;
    const typeName = definition.name.value;
    const typeOwners = graphsOf(definition.directives, 'join__type');
    types.set(typeName, typeOwners);
    if (!('fields' in definition)) continue;
    for (const field of definition.fields ?? []) {
      const own = graphsOf(field.directives, 'join__field');
      fields.set(`${typeName}.${field.name.value}`, own.length > 0 ? own : typeOwners);
    }
  }
  return {
    ofField: (typeName, fieldName) => fields.get(`${typeName}.${fieldName}`) ?? NONE,
    ofType: (typeName) => types.get(typeName) ?? NONE,
  };
}
