/**
 * The limits checked on a request's document before any other work on it (validation, authorization,
 * planning, execution), each in time linear in the document:
 *
 * - nesting: the deepest nesting of lists, input objects and selection sets, found by a scan of the text
 *   before it is parsed, so that a document nested thousands deep never reaches the recursive parser
 *   (GRAPHQL_PARSE_FAILED, HTTP 400);
 * - recursive selections: how many fields, inline fragments and fragment spreads each operation selects
 *   once every fragment is inlined, counted once per fragment (Apollo Server 5's `maxRecursiveSelections`,
 *   Apollo Router's `max_recursive_selections`): five fragments spreading each other 64 times fit in 1.7 KB
 *   and expand to 33 million selections (MAX_RECURSIVE_SELECTIONS_EXCEEDED, HTTP 400).
 *
 * A document that does not parse is left to Apollo Server, which answers it with its own error.
 */
import { Kind, parse, type GraphQLError, type DefinitionNode, type DocumentNode, type SelectionSetNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { cognitiveCloudError } from '../../core/errors.ts';
import { errorAnswer, graphqlPayload, type GatewayRequest, type PipelineAnswer } from './gateway-request.ts';

export interface DocumentLimits {
  /** MAX_NESTING, default 100: how deeply lists, input objects and selection sets may nest in the text. */
  readonly maxNesting: number;
  /** MAX_RECURSIVE_SELECTIONS, default 10000: selections an operation may make once fragments are inlined. */
  readonly maxRecursiveSelections: number;
  /** MAX_TOKENS: the parse stops there, as Apollo Server's does. */
  readonly maxTokens: number;
}

/**
 * How deeply `[`, `{` and `(` nest in a GraphQL text, ignoring strings and comments; stops counting
 * past `max`, so a huge nesting costs no more than a small one.
 */
export function nestingDepth(text: string, max = Infinity): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x23 /* # */) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (char === 0x22 /* " */) {
      if (text.startsWith('"""', i)) {
        // Inside a block string only \""" escapes its end.
        let end = text.indexOf('"""', i + 3);
        while (end !== -1 && text.charCodeAt(end - 1) === 0x5c) end = text.indexOf('"""', end + 1);
        i = end < 0 ? text.length : end + 2;
      } else {
        for (i++; i < text.length && text.charCodeAt(i) !== 0x22 && text.charCodeAt(i) !== 0x0a; i++) if (text.charCodeAt(i) === 0x5c) i++;
      }
    } else if (char === 0x5b || char === 0x7b || char === 0x28) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > max) return deepest;
    } else if (char === 0x5d || char === 0x7d || char === 0x29) {
      depth--;
    }
  }
  return deepest;
}

/**
 * The selections of each operation of the document once its fragments are inlined, counted as Apollo's
 * rule counts them (fields, inline fragments and spreads), each fragment's total computed once. Counts
 * stop at `cap`, so that no document makes them overflow.
 */
export function recursiveSelections(
  document: DocumentNode,
  cap = Number.MAX_SAFE_INTEGER,
): { operation: string | undefined; selections: number }[] {
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition.selectionSet);
  const perFragment = new Map<string, number>();

  const countSet = (selectionSet: SelectionSetNode): number => {
    let count = 0;
    for (const selection of selectionSet.selections) {
      count += 1;
      if (selection.kind === Kind.FRAGMENT_SPREAD) count += countFragment(selection.name.value);
      else if (selection.selectionSet) count += countSet(selection.selectionSet);
      if (count >= cap) return cap;
    }
    return count;
  };
  const countFragment = (name: string): number => {
    const known = perFragment.get(name);
    if (known !== undefined) return known;
    // A cycle is refused by validation; counted here as nothing, so that it cannot loop.
    perFragment.set(name, 0);
    const selectionSet = fragments.get(name);
    const count = selectionSet ? countSet(selectionSet) : 0;
    perFragment.set(name, count);
    return count;
  };

  return document.definitions
    .filter((definition: DefinitionNode) => definition.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => ({ operation: operation.name?.value, selections: countSet(operation.selectionSet) }));
}

/** The refusal of one query text, or undefined when it is within the limits (or does not parse). */
export function checkDocument(query: string, limits: DocumentLimits): GraphQLError | undefined {
  if (nestingDepth(query, limits.maxNesting) > limits.maxNesting) {
    const message = `Syntax Error: Document nests lists, objects or selections more than ${limits.maxNesting} deep.`;
    return cognitiveCloudError('GRAPHQL_PARSE_FAILED', message);
  }
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true, maxTokens: limits.maxTokens });
  } catch {
    return undefined;
  }
  const max = limits.maxRecursiveSelections;
  const over = recursiveSelections(document, max + 1).find(({ selections }) => selections > max);
  if (!over) return undefined;
  const what = over.operation === undefined ? 'The anonymous operation' : `Operation "${over.operation}"`;
  const message = `Recursive selections limit of ${max} exceeded: ${what} selects more than ${max} fields and fragments once its fragments are inlined.`;
  return cognitiveCloudError('MAX_RECURSIVE_SELECTIONS_EXCEEDED', message);
}

/**
 * The stage checking every document of the request's payload (one operation, or a batch): the first one
 * over a limit answers HTTP 400. Verdicts are remembered by query text (most requests repeat a few texts),
 * for at most `maxCachedBytes` of text.
 */
export function documentLimitsStage(
  limits: DocumentLimits,
  maxCachedBytes = 4_000_000,
): (request: GatewayRequest) => PipelineAnswer | undefined {
  const verdicts = new LRUCache<string, GraphQLError | false>({
    maxSize: maxCachedBytes,
    sizeCalculation: (_verdict, query) => query.length + 1,
  });
  return (request) => {
    const payload = graphqlPayload(request);
    for (const item of Array.isArray(payload) ? payload : [payload]) {
      const query = (item as { query?: unknown } | null | undefined)?.query;
      if (typeof query !== 'string') continue;
      let verdict = verdicts.get(query);
      if (verdict === undefined) {
        verdict = checkDocument(query, limits) ?? false;
        verdicts.set(query, verdict);
      }
      if (verdict) return errorAnswer(400, [verdict.toJSON()]);
    }
    return undefined;
  };
}
