/**
 * Answers an operation that the gateway plans as ONE fetch straight from that subgraph's answer, skipping
 * @apollo/gateway's per-request execution (operation rebuilt from the document, plan walk, result shaping).
 *
 * It is the same answer, not an approximation, because it is only taken when all of this holds:
 * - the gateway itself planned this very document (learned from `experimental_didResolveQueryPlan`, for the
 *   schema in use) as a single root Fetch of a query, without requires, rewrites or defer;
 * - the fetch's selection set is the client's, printed character for character: same fields, aliases and
 *   arguments in the same order; no fragments, no directives (@skip/@include), no __typename, no
 *   introspection; every selected type an object type and every leaf a scalar (no abstract types nor enums,
 *   whose values the API schema may hide);
 * - the variables pass the gateway's own check (graphql-js `getVariableValues` against the API schema);
 * - the subgraph answers `data` without `errors`, with exactly the selected keys in the selected order at
 *   every level, and every leaf a value the gateway would accept for its type (federation-internals'
 *   isValidLeafValue). Non-null violations cannot pass: the subgraph reports them as errors.
 * Whenever anything does not hold, the operation goes the gateway's way, and the answer already fetched is
 * handed to it (GatewayContext.prefetched), so that no subgraph is called twice.
 *
 * Everything before execution is untouched: authentication, rate limits, parsing, validation, operation
 * limits, authorization (its answer wins: this plugin is registered last), metrics, cache policy.
 */
import type { ApolloGateway, GraphQLDataSource } from '@apollo/gateway';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  getVariableValues,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  print,
  type DocumentNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from './subgraph-data-source.ts';

type QueryPlanCallback = NonNullable<ConstructorParameters<typeof ApolloGateway>[0]>['experimental_didResolveQueryPlan'];
type PlanResolved = Parameters<NonNullable<QueryPlanCallback>>[0];
type ProcessOptions = Parameters<GraphQLDataSource<GatewayContext>['process']>[0];
type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource<GatewayContext>['process']>>;

/** What each selected field must look like in the subgraph's answer. */
interface FieldShape {
  responseKey: string;
  type: GraphQLOutputType;
  /** For object types: the shape of the object's own selection. */
  selection?: FieldShape[];
}

interface Shortcut {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  dataSource: GraphQLDataSource<GatewayContext>;
  query: string;
  operationName: string | undefined;
  variableUsages: readonly string[];
  shape: FieldShape[];
}

export interface SingleFetchShortcut {
  /** For ApolloGateway's `experimental_didResolveQueryPlan`: learns which documents qualify. */
  learn: NonNullable<QueryPlanCallback>;
  /** Must come after every plugin that may answer in `responseForOperation` (authorization). */
  plugin: ApolloServerPlugin<GatewayContext>;
}

export function createSingleFetchShortcut(): SingleFetchShortcut {
  // Per parsed document (Apollo keeps one per query text and schema), per operation name.
  const shortcuts = new WeakMap<DocumentNode, Map<string, Shortcut | null>>();

  const learn = ({ queryPlan, serviceMap, requestContext }: PlanResolved) => {
    const { document, operation, schema, request } = requestContext;
    if (!document || !operation || shortcuts.get(document)?.has(request.operationName ?? '')) return;
    const byName = shortcuts.get(document) ?? new Map<string, Shortcut | null>();
    shortcuts.set(document, byName);
    const node = queryPlan.node;
    const dataSource = node?.kind === 'Fetch' ? serviceMap[node.serviceName] : undefined;
    const qualifies =
      node?.kind === 'Fetch' && dataSource && operation.operation === 'query' && node.operationKind === 'query' &&
      !node.requires && !node.inputRewrites?.length && !node.outputRewrites?.length && !node.contextRewrites?.length && !node.hasDefers &&
      !operation.directives?.length && (operation.variableDefinitions ?? []).every((definition) => !definition.directives?.length) &&
      isSameSelection(node.operation, operation.selectionSet);
    const shape = qualifies ? shapeOf(operation.selectionSet, schema.getQueryType()!) : undefined;
    byName.set(request.operationName ?? '', shape && dataSource && node?.kind === 'Fetch'
      ? { schema, operation, dataSource, query: node.operation, operationName: node.operationName, variableUsages: node.variableUsages ?? [], shape }
      : null);
  };

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async responseForOperation({ document, schema, operation, request, contextValue, overallCachePolicy }) {
          const shortcut = shortcuts.get(document)?.get(request.operationName ?? '');
          if (!shortcut || shortcut.schema !== schema || shortcut.operation !== operation) return null;
          const provided = request.variables ?? {};
          // The gateway's own check, which answers misfits with its errors: left to it.
          if ('errors' in getVariableValues(schema, operation.variableDefinitions ?? [], provided)) return null;
          // The variables the gateway would send: those the fetch uses and the client gave.
          const variables: Record<string, unknown> = Object.create(null);
          for (const name of shortcut.variableUsages) if (Object.hasOwn(provided, name) && provided[name] !== undefined) variables[name] = provided[name];

          // The call the gateway would make for this fetch (executeQueryPlan's sendOperation). Cast: the
          // kind's enum is not exported, and the data source reads only the cache policy of the request.
          const options = {
            kind: 'incoming operation',
            request: { query: shortcut.query, variables, operationName: shortcut.operationName },
            incomingRequestContext: { overallCachePolicy },
            context: contextValue,
            pathInIncomingRequest: [],
          } as unknown as ProcessOptions;
          const answer = shortcut.dataSource.process(options);
          const response = await answer.catch(() => undefined);
          if (response && isPassThrough(response, shortcut.shape)) {
            return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: response.data } } };
          }
          contextValue.prefetched = { dataSource: shortcut.dataSource, body: JSON.stringify(options.request), answer };
          return null;
        },
      };
    },
  };
  return { learn, plugin };
}

/** Whether the subgraph is asked for exactly what the client asked, by the fetch's printed selection. */
function isSameSelection(fetchOperation: string, selectionSet: SelectionSetNode): boolean {
  const [definition, ...others] = parse(fetchOperation, { noLocation: true }).definitions;
  return others.length === 0 && definition?.kind === Kind.OPERATION_DEFINITION && print(definition.selectionSet) === print(selectionSet);
}

/** The expected shape of the answer, or undefined when the selection has anything the shortcut avoids. */
function shapeOf(selectionSet: SelectionSetNode, parentType: ReturnType<GraphQLSchema['getQueryType']> & object): FieldShape[] | undefined {
  const shape: FieldShape[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.directives?.length || selection.name.value.startsWith('__')) return undefined;
    const field = parentType.getFields()[selection.name.value];
    if (!field) return undefined;
    const named = getNamedType(field.type);
    const responseKey = selection.alias?.value ?? selection.name.value;
    if (isObjectType(named) && selection.selectionSet) {
      const nested = shapeOf(selection.selectionSet, named);
      if (!nested) return undefined;
      shape.push({ responseKey, type: field.type, selection: nested });
    } else if (isScalarType(named) && !selection.selectionSet) {
      shape.push({ responseKey, type: field.type });
    } else {
      return undefined;
    }
  }
  // One response key twice (fields merged by validation) would need merging: not taken.
  return new Set(shape.map((field) => field.responseKey)).size === shape.length ? shape : undefined;
}

function isPassThrough(response: SubgraphResponse, shape: FieldShape[]): boolean {
  return response.errors === undefined && isObjectLike(response.data) && fits(response.data, shape);
}

function isObjectLike(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fits(object: Record<string, unknown>, shape: FieldShape[]): boolean {
  const keys = Object.keys(object);
  if (keys.length !== shape.length) return false;
  return shape.every((field, i) => keys[i] === field.responseKey && valueFits(object[field.responseKey], field.type, field.selection));
}

function valueFits(value: unknown, type: GraphQLOutputType, selection: FieldShape[] | undefined): boolean {
  if (value === null) return !isNonNullType(type);
  const nullable = getNullableType(type);
  if (isListType(nullable)) return Array.isArray(value) && value.every((item) => valueFits(item, nullable.ofType, selection));
  if (selection) return isObjectLike(value) && fits(value, selection);
  return isScalarType(nullable) && isValidScalar(nullable.name, value);
}

/** Values @apollo/gateway accepts for each scalar (federation-internals' isValidLeafValue), or stricter. */
function isValidScalar(scalar: string, value: unknown): boolean {
  switch (scalar) {
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Int':
      return Number.isSafeInteger(value);
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'String':
      return typeof value === 'string';
    case 'ID':
      return typeof value === 'string' || Number.isSafeInteger(value);
    default:
      // Custom scalars: the gateway passes any value through.
      return value !== undefined;
  }
}
