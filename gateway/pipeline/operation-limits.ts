/**
 * Limits on what one request may ask, so that no single request can make the gateway or the subgraphs do
 * unbounded work. Each is checked before anything is planned or sent to a subgraph:
 *
 * - body size: fastify's `bodyLimit` on /graphql (HTTP 413, before the body is parsed);
 * - tokens: graphql-js's own `maxTokens` parse option (GRAPHQL_PARSE_FAILED, HTTP 400, parsing stops there);
 * - depth and aliases: graphql-armor's validation rules, root fields: ours below
 *   (GRAPHQL_VALIDATION_FAILED, HTTP 400, the message names the limit and what was found);
 * - batched requests (a JSON array of operations): refused unless enabled (HTTP 400);
 * - nesting and recursive selections: document-limits.ts, before all of these but the body size.
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export interface OperationLimits {
  /** MAX_DEPTH, default 12: how deeply fields may nest (fragments count as the fields they hold). */
  readonly maxDepth: number;
  /** MAX_ALIASES, default 30: how many aliases one operation may use. */
  readonly maxAliases: number;
  /** MAX_ROOT_FIELDS, default 20: how many root fields one operation may select (an alias counts again). */
  readonly maxRootFields: number;
  /** MAX_TOKENS, default 2000: how many lexical tokens one document may have. */
  readonly maxTokens: number;
  /** MAX_BODY_BYTES, default 102400: the largest request body. */
  readonly maxBodyBytes: number;
  /** BATCHED_REQUESTS, default false: whether a request may carry a JSON array of operations. */
  readonly batchedRequests: boolean;
  /** MAX_NESTING, default 100: how deeply lists, input objects and selection sets may nest (document-limits.ts). */
  readonly maxNesting: number;
  /** MAX_RECURSIVE_SELECTIONS, default 10000: selections an operation may make once its fragments are inlined (document-limits.ts). */
  readonly maxRecursiveSelections: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = Object.freeze({
  maxDepth: 12,
  maxAliases: 30,
  maxRootFields: 20,
  maxTokens: 2000,
  maxBodyBytes: 102_400,
  batchedRequests: false,
  maxNesting: 100,
  maxRecursiveSelections: 10_000,
});

/** A document's fragment definitions by name. */
export function fragmentsByName(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return fragments;
}

/** The names of an operation's root fields, once per selection, through fragments. */
export function rootFieldNames(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return names;
}

function maxRootFieldsRule(max: number): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(operation) {
      const found = rootFieldNames(operation, fragmentsByName(context.getDocument())).length;
      if (found > max)
        context.reportError(new GraphQLError(`Root fields limit of ${max} exceeded, found ${found}.`, { nodes: [operation] }));
    },
  });
}

/** Validation rules for Apollo Server's `validationRules`. */
export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  // Reported as validation errors (HTTP 400) rather than thrown, which would answer 500.
  const report = (context: ValidationContext | null, error: GraphQLError) =>
    context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')));
  return [
    maxDepthRule({ n: limits.maxDepth, propagateOnRejection: false, onReject: [report] }),
    maxAliasesRule({ n: limits.maxAliases, propagateOnRejection: false, onReject: [report] }),
    maxRootFieldsRule(limits.maxRootFields),
  ];
}
