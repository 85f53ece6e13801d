/**
 * Executes the query plans of queries and mutations in place of @apollo/gateway's `executeQueryPlan`, with
 * everything that does not depend on the answers prepared once per operation rather than on every request:
 * @apollo/gateway rebuilds the operation from the document, walks the plan through tracing spans, builds
 * entity representations and reshapes the whole result through federation-internals' generic
 * `computeResponse` on every request. Here, the plan and the client's selection are compiled when the
 * gateway first plans the document, and each request only fetches, merges and copies values.
 *
 * The answer is the gateway's own, not an approximation, because the work is the same, step by step:
 * - the plan is the one @apollo/gateway built for this very document and schema (learned from
 *   `experimental_didResolveQueryPlan`), with only Sequence, Parallel, Flatten, Fetch and Condition nodes:
 *   no @defer, no data rewrites (interface objects, @fromContext);
 * - each fetch sends the body the gateway would send (same query, variables and representations, built as
 *   its `executeSelectionSet` builds them) and merges the answer as its `deepMerge` does;
 * - the result is shaped as `computeResponse` shapes it, for selections it can settle once per operation:
 *   fields merged by response key in first-seen order, fragments whose type condition is known to apply,
 *   `__typename`, interface and union fields shaped by the `__typename` of each value (compiled for each
 *   object type they may be), @skip and @include (compiled for each combination of their variables' values
 *   met), no other directives, no introspection.
 * Whenever a request meets what the gateway would answer with an error (a subgraph error or a failed call,
 * null in a non-null field, a value its type rejects, a `_entities` list of the wrong length, variables that
 * do not fit), it gives way, and the gateway executes the operation itself, with the subgraph answers
 * already fetched (GatewayContext.subgraphAnswers), so that no subgraph is called twice: a mutation is
 * never run twice, and those after the one that failed are run by the gateway, as it would have run them.
 *
 * Everything before execution is untouched: authentication, rate limits, parsing, validation, operation
 * limits, authorization (its answer wins: this plugin is registered last), metrics, cache policy.
 */
import type { ApolloGateway, GraphQLDataSource } from '@apollo/gateway';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import {
  getVariableValues,
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLEnumType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import { fragmentsByName } from '../pipeline/operation-limits.ts';
import type { GatewayContext } from './subgraph-data-source.ts';

type QueryPlanCallback = NonNullable<ConstructorParameters<typeof ApolloGateway>[0]>['experimental_didResolveQueryPlan'];
type PlanResolved = Parameters<NonNullable<QueryPlanCallback>>[0];
type PlanNode = NonNullable<PlanResolved['queryPlan']['node']>;
type FetchNode = Extract<PlanNode, { kind: 'Fetch' }>;
type RequiresNode = NonNullable<FetchNode['requires']>[number];
type ProcessOptions = Parameters<GraphQLDataSource<GatewayContext>['process']>[0];
type DataObject = Record<string, unknown>;

/** A plan node, with the data source of each fetch resolved. */
type Step =
  | { kind: 'Sequence' | 'Parallel'; steps: Step[] }
  | { kind: 'Flatten'; path: string[]; step: Step }
  | { kind: 'Condition'; variable: string; ifClause: Step | undefined; elseClause: Step | undefined }
  | {
      kind: 'Fetch';
      dataSource: GraphQLDataSource<GatewayContext>;
      query: string;
      operationName: string | undefined;
      variableUsages: readonly string[];
      requires: RequiredSelection[] | undefined;
    };

/** What an entity representation takes from the data (the fetch's `requires`). */
type RequiredSelection =
  | { kind: 'Field'; key: string; selections: RequiredSelection[] | undefined }
  | { kind: 'Fragment'; typeName: string; selections: RequiredSelection[] };

/** How one value of the answer is checked and copied. */
interface ValueShape {
  nonNull: boolean;
  list?: ValueShape;
  object?: ObjectShape;
  /** For an interface or a union: the shape of each object type the value may be, by its `__typename`. */
  objectOfType?: Map<string, ObjectShape>;
  /** For leaves: whether the gateway would accept the value for the field's type. */
  accepts?: (value: unknown) => boolean;
}

interface ObjectShape {
  typeName: string;
  fields: FieldShape[];
}

type FieldShape = { key: string; typename: true } | { key: string; typename?: false; value: ValueShape };

interface CompiledOperation {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  /** The Query or Mutation type. */
  rootType: GraphQLObjectType;
  plan: Step | undefined;
  fragments: Map<string, FragmentDefinitionNode>;
  /** The variables of the operation's @skip and @include, with their default values. */
  conditions: { name: string; defaultValue: unknown }[];
  /**
   * The result's shape for each combination of the conditions' values met so far ("10" when the first is
   * true and the second false), compiled on first use; null where it can only be settled per request.
   */
  results: Map<string, ObjectShape | null>;
}

/**
 * The most object shapes one operation may compile to. Each interface or union field multiplies its
 * selections by its possible types; an operation past this is left to the gateway, compiled or not.
 */
const MAX_OBJECT_SHAPES = 1_000;

/** The most combinations of @skip/@include values compiled for one operation; others are left to the gateway. */
const MAX_CONDITION_COMBINATIONS = 16;

/** Raised inside a request's execution when the gateway must answer it itself. */
class GiveWay extends Error {}

interface Cursor {
  path: readonly string[];
  data: unknown;
}

interface Execution {
  context: GatewayContext;
  variables: DataObject;
  /** The value of each variable of a @skip, @include or plan condition. */
  conditions: ReadonlyMap<string, boolean>;
  overallCachePolicy: unknown;
  /** Set once the request is the gateway's: fetches still under way in parallel branches stop there. */
  gaveWay: boolean;
}

export interface PlanExecution {
  /** For ApolloGateway's `experimental_didResolveQueryPlan`: learns the plan of each document. */
  learn: NonNullable<QueryPlanCallback>;
  /** Must come after every plugin that may answer in `responseForOperation` (authorization). */
  plugin: ApolloServerPlugin<GatewayContext>;
}

export function createPlanExecution(): PlanExecution {
  // Per parsed document (Apollo Server keeps one per query text and schema), per operation name.
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledOperation | null>>();

  const learn = ({ queryPlan, serviceMap, requestContext }: PlanResolved) => {
    const { document, operation, schema, request } = requestContext;
    const operationName = request.operationName ?? '';
    if (!document || !operation || compiled.get(document)?.has(operationName)) return;
    const byName = compiled.get(document) ?? new Map<string, CompiledOperation | null>();
    compiled.set(document, byName);
    byName.set(operationName, compileOperation(queryPlan.node, serviceMap, document, operation, schema));
  };

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async responseForOperation({ document, schema, operation, request, contextValue, overallCachePolicy }) {
          const known = compiled.get(document)?.get(request.operationName ?? '');
          if (!known || known.schema !== schema || known.operation !== operation) return null;
          const variables = request.variables ?? {};
          // The gateway's own check, which answers misfits with its errors: left to it.
          if ('errors' in getVariableValues(schema, operation.variableDefinitions ?? [], variables)) return null;
          const conditions = conditionValues(known, variables);
          const shape = conditions && resultShape(known, conditions);
          if (!shape) return null;

          contextValue.subgraphAnswers = [];
          const execution: Execution = { context: contextValue, variables, conditions: conditions!, overallCachePolicy, gaveWay: false };
          try {
            const data: DataObject = Object.create(null);
            if (known.plan) await executeStep(known.plan, { path: [], data }, execution);
            const result = shapeObject(data, shape);
            contextValue.subgraphAnswers = undefined;
            return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: result } } };
          } catch {
            // GiveWay, or data the gateway's own execution would fail on as well: it answers, with its errors.
            execution.gaveWay = true;
            return null;
          }
        },
      };
    },
  };
  return { learn, plugin };
}

// ---- Compiling, once per operation ----

function compileOperation(
  node: PlanNode | undefined,
  serviceMap: PlanResolved['serviceMap'],
  document: DocumentNode,
  operation: OperationDefinitionNode,
  schema: GraphQLSchema,
): CompiledOperation | null {
  const rootType = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : undefined;
  if (!rootType || operation.directives?.length) return null;
  if ((operation.variableDefinitions ?? []).some((definition) => definition.directives?.length)) return null;
  const plan = node && compileStep(node, serviceMap, schema);
  if (node && !plan) return null;
  const fragments = fragmentsByName(document);
  const names = new Set<string>();
  for (const definition of [operation, ...fragments.values()]) {
    visit(definition.selectionSet, {
      Directive: (directive) => {
        const condition = directive.arguments?.find((argument) => argument.name.value === 'if')?.value;
        if (condition?.kind === Kind.VARIABLE) names.add(condition.name.value);
      },
    });
  }
  const conditions = [...names].map((name) => {
    const defaultValue = operation.variableDefinitions?.find((definition) => definition.variable.name.value === name)?.defaultValue;
    return { name, defaultValue: defaultValue?.kind === Kind.BOOLEAN ? defaultValue.value : undefined };
  });
  if (plan && !conditionsKnown(plan, names)) return null;
  return { schema, operation, rootType, plan, fragments, conditions, results: new Map() };
}

/** Whether every Condition node of the plan tests a variable of the operation's own @skip/@include. */
function conditionsKnown(step: Step, names: ReadonlySet<string>): boolean {
  switch (step.kind) {
    case 'Sequence':
    case 'Parallel':
      return step.steps.every((child) => conditionsKnown(child, names));
    case 'Flatten':
      return conditionsKnown(step.step, names);
    case 'Condition':
      return names.has(step.variable) && [step.ifClause, step.elseClause].every((clause) => !clause || conditionsKnown(clause, names));
    case 'Fetch':
      return true;
  }
}

/**
 * Each condition's value in this request, or its default, as the gateway reads them (query-planner's
 * `evaluateCondition`, resultShaping's `ifValue`); undefined when one is not a boolean, which the gateway reports.
 */
function conditionValues(known: CompiledOperation, variables: DataObject): Map<string, boolean> | undefined {
  const values = new Map<string, boolean>();
  for (const { name, defaultValue } of known.conditions) {
    const value = Object.hasOwn(variables, name) && variables[name] !== undefined ? variables[name] : defaultValue;
    if (typeof value !== 'boolean') return undefined;
    values.set(name, value);
  }
  return values;
}

function resultShape(known: CompiledOperation, conditions: ReadonlyMap<string, boolean>): ObjectShape | null {
  const key = known.conditions.map(({ name }) => (conditions.get(name) ? '1' : '0')).join('');
  let shape = known.results.get(key);
  if (shape === undefined) {
    if (known.results.size >= MAX_CONDITION_COMBINATIONS) return null;
    const compilation = { schema: known.schema, fragments: known.fragments, conditions, shapesLeft: MAX_OBJECT_SHAPES };
    shape = compileObject(known.operation.selectionSet.selections, known.rootType, compilation) ?? null;
    known.results.set(key, shape);
  }
  return shape;
}

function compileStep(node: PlanNode, serviceMap: PlanResolved['serviceMap'], schema: GraphQLSchema): Step | undefined {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel': {
      const steps = node.nodes.map((child) => compileStep(child, serviceMap, schema));
      return steps.every((step) => step !== undefined) ? { kind: node.kind, steps: steps as Step[] } : undefined;
    }
    case 'Flatten': {
      const step = compileStep(node.node, serviceMap, schema);
      return step && node.path.every((part) => typeof part === 'string') ? { kind: 'Flatten', path: node.path as string[], step } : undefined;
    }
    case 'Condition': {
      const ifClause = node.ifClause && compileStep(node.ifClause, serviceMap, schema);
      const elseClause = node.elseClause && compileStep(node.elseClause, serviceMap, schema);
      if ((node.ifClause && !ifClause) || (node.elseClause && !elseClause)) return undefined;
      return { kind: 'Condition', variable: node.condition, ifClause, elseClause };
    }
    case 'Fetch': {
      const dataSource = serviceMap[node.serviceName];
      if (!dataSource || (node.operationKind !== 'query' && node.operationKind !== 'mutation') || node.hasDefers) return undefined;
      if (node.inputRewrites?.length || node.outputRewrites?.length || node.contextRewrites?.length) return undefined;
      const requires = node.requires && compileRequires(node.requires, schema);
      if (node.requires && !requires) return undefined;
      return { kind: 'Fetch', dataSource, query: node.operation, operationName: node.operationName, variableUsages: node.variableUsages ?? [], requires };
    }
    default:
      return undefined;
  }
}

function compileRequires(selections: readonly RequiresNode[], schema: GraphQLSchema): RequiredSelection[] | undefined {
  const compiled: RequiredSelection[] = [];
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const nested = selection.selections && compileRequires(selection.selections, schema);
      if (selection.selections && !nested) return undefined;
      compiled.push({ kind: 'Field', key: selection.alias ?? selection.name, selections: nested });
    } else if (selection.typeCondition) {
      // The gateway matches the condition against the supergraph's types; for an object type of the API
      // schema, that is the same as comparing __typename. Anything else (abstract, inaccessible) is left to it.
      const nested = compileRequires(selection.selections, schema);
      if (!nested || !isObjectType(schema.getType(selection.typeCondition))) return undefined;
      compiled.push({ kind: 'Fragment', typeName: selection.typeCondition, selections: nested });
    }
    // The gateway's executeSelectionSet skips a fragment without a type condition: so does this.
  }
  return compiled;
}

/** What compiling one operation's selection reads, and how many more object shapes it may make. */
interface Compilation {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  /** The values of the variables of @skip and @include this shape is compiled for. */
  conditions: ReadonlyMap<string, boolean>;
  shapesLeft: number;
}

/**
 * The shape of an object of `parentType` for these selections, merged by response key in first-seen order
 * as the gateway merges them; undefined for anything that could only be settled per request.
 */
function compileObject(selections: readonly SelectionNode[], parentType: GraphQLObjectType, compilation: Compilation): ObjectShape | undefined {
  if (--compilation.shapesLeft < 0) return undefined;
  const { schema, fragments } = compilation;
  const byKey = new Map<string, { name: string; selections: SelectionNode[] }>();
  // A named fragment collected once into an object adds nothing the second time: skipped, so that
  // fragments spreading each other many times cannot make compiling exponential.
  const collected = new Set<string>();
  const collect = (nodes: readonly SelectionNode[]): boolean => {
    for (const node of nodes) {
      const included = isIncluded(node.directives ?? [], compilation.conditions);
      if (included === undefined) return false;
      if (!included) continue;
      if (node.kind === Kind.FIELD) {
        const key = node.alias?.value ?? node.name.value;
        // An alias starting with "__" would be an own "__proto__" key in some objects: left to the gateway.
        if (key.startsWith('__') && key !== '__typename') return false;
        const merged = byKey.get(key) ?? { name: node.name.value, selections: [] };
        merged.selections.push(...(node.selectionSet?.selections ?? []));
        byKey.set(key, merged);
        continue;
      }
      if (node.kind === Kind.FRAGMENT_SPREAD) {
        if (collected.has(node.name.value)) continue;
        collected.add(node.name.value);
      }
      const fragment = node.kind === Kind.INLINE_FRAGMENT ? node : fragments.get(node.name.value);
      if (!fragment || (fragment.kind === Kind.FRAGMENT_DEFINITION && fragment.directives?.length)) return false;
      const condition = fragment.typeCondition && schema.getType(fragment.typeCondition.name.value);
      const applies = !condition || condition === parentType || (isAbstractType(condition) && schema.isSubType(condition, parentType));
      if (applies && !collect(fragment.selectionSet.selections)) return false;
    }
    return true;
  };
  if (!collect(selections)) return undefined;

  const fields: FieldShape[] = [];
  for (const [key, { name, selections: nested }] of byKey) {
    if (name === '__typename') {
      fields.push({ key, typename: true });
      continue;
    }
    const field = parentType.getFields()[name];
    // Selected through an interface, the gateway shapes the value by the interface's field type: only
    // where both are the same type is it settled here.
    if (!field || parentType.getInterfaces().some((type) => String(type.getFields()[name]?.type ?? field.type) !== String(field.type))) return undefined;
    const value = compileValue(field.type, nested, compilation);
    if (!value) return undefined;
    fields.push({ key, value });
  }
  return { typeName: parentType.name, fields };
}

/**
 * Whether a selection with these directives is part of the result, as resultShaping's `shouldSkip` decides;
 * undefined for any other directive, or a condition that is neither a literal nor a known variable.
 */
function isIncluded(directives: readonly DirectiveNode[], conditions: ReadonlyMap<string, boolean>): boolean | undefined {
  let included = true;
  for (const directive of directives) {
    const name = directive.name.value;
    const condition = directive.arguments?.length === 1 && directive.arguments[0]!.name.value === 'if' ? directive.arguments[0]!.value : undefined;
    const value = condition?.kind === Kind.BOOLEAN ? condition.value : condition?.kind === Kind.VARIABLE ? conditions.get(condition.name.value) : undefined;
    if ((name !== 'skip' && name !== 'include') || value === undefined) return undefined;
    if (name === 'skip' ? value : !value) included = false;
  }
  return included;
}

function compileValue(type: GraphQLOutputType, selections: SelectionNode[], compilation: Compilation): ValueShape | undefined {
  const nonNull = isNonNullType(type);
  const nullable = nonNull ? type.ofType : type;
  if (isListType(nullable)) {
    const list = compileValue(nullable.ofType, selections, compilation);
    return list && { nonNull, list };
  }
  if (isObjectType(nullable)) {
    const object = compileObject(selections, nullable, compilation);
    return object && { nonNull, object };
  }
  if (isAbstractType(nullable)) {
    const objectOfType = new Map<string, ObjectShape>();
    for (const possibleType of compilation.schema.getPossibleTypes(nullable)) {
      const object = compileObject(selections, possibleType, compilation);
      if (!object) return undefined;
      objectOfType.set(possibleType.name, object);
    }
    return { nonNull, objectOfType };
  }
  if (isScalarType(nullable)) return { nonNull, accepts: scalarAccepts(nullable.name) };
  if (isEnumType(nullable)) return { nonNull, accepts: enumAccepts(nullable) };
  return undefined;
}

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/** A number written without fraction or exponent, as federation-internals checks Int and ID. */
function isInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && INTEGER.test(String(value));
}

/** The values federation-internals' `isValidLeafValue` accepts for each scalar, which the gateway applies. */
function scalarAccepts(scalar: string): (value: unknown) => boolean {
  switch (scalar) {
    case 'Boolean':
      return (value) => typeof value === 'boolean';
    case 'Int':
      return isInteger;
    case 'ID':
      return (value) => typeof value === 'string' || isInteger(value);
    case 'Float':
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'String':
      return (value) => typeof value === 'string';
    default:
      // Custom scalars: the gateway passes any value through.
      return () => true;
  }
}

/** Only the values the API schema shows (an @inaccessible value is hidden from it). */
function enumAccepts(type: GraphQLEnumType): (value: unknown) => boolean {
  return (value) => typeof value === 'string' && type.getValue(value) !== undefined;
}

// ---- Executing, once per request: as executeQueryPlan's executeNode and executeFetch ----

async function executeStep(step: Step, cursor: Cursor, execution: Execution): Promise<void> {
  switch (step.kind) {
    case 'Sequence':
      for (const child of step.steps) await executeStep(child, cursor, execution);
      return;
    case 'Parallel':
      await Promise.all(step.steps.map((child) => executeStep(child, cursor, execution)));
      return;
    case 'Flatten': {
      const data = flattenAtPath(cursor.data, step.path);
      if (data !== undefined && data !== null) await executeStep(step.step, { path: [...cursor.path, ...step.path], data }, execution);
      return;
    }
    case 'Condition': {
      const branch = execution.conditions.get(step.variable) ? step.ifClause : step.elseClause;
      if (branch) await executeStep(branch, cursor, execution);
      return;
    }
    case 'Fetch':
      return executeFetch(step, cursor, execution);
  }
}

async function executeFetch(fetch: Extract<Step, { kind: 'Fetch' }>, cursor: Cursor, execution: Execution): Promise<void> {
  const entities = (Array.isArray(cursor.data) ? cursor.data.filter((entity) => entity !== null && entity !== undefined) : [cursor.data]) as DataObject[];
  if (entities.length === 0) return;
  const variables: DataObject = Object.create(null);
  for (const name of fetch.variableUsages) {
    if (Object.hasOwn(execution.variables, name) && execution.variables[name] !== undefined) variables[name] = execution.variables[name];
  }

  if (!fetch.requires) {
    const data = await send(fetch, variables, cursor, execution);
    for (const entity of entities) deepMerge(entity, data);
    return;
  }
  const representations: DataObject[] = [];
  const entityOfRepresentation: DataObject[] = [];
  for (const entity of entities) {
    const representation = represent(entity, fetch.requires);
    if (representation?.__typename) {
      representations.push(representation);
      entityOfRepresentation.push(entity);
    }
  }
  if (representations.length === 0) return;
  if ('representations' in variables) throw new GiveWay();
  const data = await send(fetch, { ...variables, representations }, cursor, execution);
  if (data === undefined || data === null) return;
  const received = (data as DataObject)._entities;
  if (!Array.isArray(received) || received.length !== representations.length) throw new GiveWay();
  received.forEach((entity: DataObject | null, i) => {
    const existing = entityOfRepresentation[i]!;
    if (entity && !entity.__typename) entity.__typename = existing.__typename;
    deepMerge(existing, entity);
  });
}

/** One call of a fetch; a failed call or an answer with errors is for the gateway to report. */
async function send(fetch: Extract<Step, { kind: 'Fetch' }>, variables: DataObject, cursor: Cursor, execution: Execution): Promise<unknown> {
  // The call executeQueryPlan's sendOperation makes. Cast: the kind's enum is not exported, and the data
  // source reads only the cache policy of the incoming request.
  const options = {
    kind: 'incoming operation',
    request: { query: fetch.query, variables, operationName: fetch.operationName },
    incomingRequestContext: { overallCachePolicy: execution.overallCachePolicy },
    context: execution.context,
    pathInIncomingRequest: cursor.path,
  } as unknown as ProcessOptions;
  if (execution.gaveWay) throw new GiveWay();
  const response = await fetch.dataSource.process(options).catch(() => {
    throw new GiveWay();
  });
  if (response.errors) throw new GiveWay();
  return response.data;
}

/** The gateway's `executeSelectionSet` over a fetch's `requires`: null when a required field is missing. */
function represent(source: unknown, selections: RequiredSelection[]): DataObject | null {
  if (source === null) return null;
  const result: DataObject = Object.create(null);
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const value = Object.hasOwn(source as object, selection.key) ? (source as DataObject)[selection.key] : undefined;
      if (value === undefined) return null;
      const nested = selection.selections;
      if (Array.isArray(value)) result[selection.key] = value.map((item) => (nested ? represent(item, nested) : item));
      else result[selection.key] = nested ? represent(value, nested) : value;
    } else if ((source as DataObject).__typename === selection.typeName) {
      deepMerge(result, represent(source, selection.selections));
    }
  }
  return result;
}

/** The gateway's `flattenResultsAtPath`: "@" steps into every element of a list. */
function flattenAtPath(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0 || value === undefined || value === null) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '@') return (value as unknown[]).flatMap((element) => flattenAtPath(element, rest));
  if (Array.isArray(value)) throw new GiveWay();
  return flattenAtPath(Object.hasOwn(value, head) ? (value as DataObject)[head] : undefined, rest);
}

/** The gateway's `deepMerge`: objects merged key by key, lists of the same length element by element. */
function deepMerge(target: DataObject, source: unknown): void {
  if (source === undefined || source === null) return;
  for (const key of Object.keys(source)) {
    const value = (source as DataObject)[key];
    if (value === undefined) continue;
    if (!Object.hasOwn(target, key) && key in target) Object.defineProperty(target, key, { configurable: true, enumerable: true, value: undefined, writable: true });
    const existing = target[key];
    if (existing && isPlainObject(value)) {
      deepMerge(existing as DataObject, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      for (let i = 0; i < value.length; i++) {
        if (isPlainObject(existing[i]) && isPlainObject(value[i])) deepMerge(existing[i], value[i]);
        else existing[i] = value[i];
      }
    } else {
      target[key] = value;
    }
  }
}

function isPlainObject(value: unknown): value is DataObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- Shaping the result: as resultShaping's computeResponse, for what compileObject accepted ----

function shapeObject(input: DataObject, shape: ObjectShape): DataObject {
  const output: DataObject = Object.create(null);
  for (const field of shape.fields) {
    const given = Object.hasOwn(input, field.key) ? input[field.key] : undefined;
    if (field.typename) {
      const typename = given ?? (field.key === '__typename' ? undefined : input.__typename) ?? shape.typeName;
      if (typename !== shape.typeName) throw new GiveWay();
      output[field.key] = typename;
    } else {
      output[field.key] = shapeValue(given ?? null, field.value);
    }
  }
  return output;
}

function shapeValue(value: unknown, shape: ValueShape): unknown {
  // Null in a non-null field, a value of the wrong kind: the gateway reports them (and nulls the parent).
  if (value === null) {
    if (shape.nonNull) throw new GiveWay();
    return null;
  }
  if (shape.list) {
    if (!Array.isArray(value)) throw new GiveWay();
    const output = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) output[i] = shapeValue(value[i] ?? null, shape.list);
    return output;
  }
  if (shape.object) {
    if (!isPlainObject(value)) throw new GiveWay();
    const typename = value.__typename;
    if (typename !== undefined && typename !== shape.object.typeName) throw new GiveWay();
    return shapeObject(value, shape.object);
  }
  if (shape.objectOfType) {
    // The gateway's query plans fetch `__typename` of every interface and union value; a value without
    // one, or of a type the API schema does not show, is the gateway's to report.
    const object = isPlainObject(value) && typeof value.__typename === 'string' ? shape.objectOfType.get(value.__typename) : undefined;
    if (!object) throw new GiveWay();
    return shapeObject(value as DataObject, object);
  }
  if (!shape.accepts!(value)) throw new GiveWay();
  return value;
}
