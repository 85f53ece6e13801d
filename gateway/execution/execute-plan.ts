/**
 * Executing, once per request: the compiled plan's fetches, as @apollo/gateway's executeQueryPlan runs
 * them (executeNode, executeFetch), merging each answer into the data as its deepMerge does.
 */
import { GiveWay, isPlainObject, type DataObject, type ProcessOptions, type RequiredSelection, type Step } from './compiled-plan.ts';
import type { GatewayContext } from './subgraph-data-source.ts';

export interface Cursor {
  path: readonly string[];
  data: unknown;
}

export interface Execution {
  context: GatewayContext;
  variables: DataObject;
  /** The value of each variable of a @skip, @include or plan condition. */
  conditions: ReadonlyMap<string, boolean>;
  overallCachePolicy: unknown;
  /** Set once the request is the gateway's: fetches still under way in parallel branches stop there. */
  gaveWay: boolean;
}

export async function executeStep(step: Step, cursor: Cursor, execution: Execution): Promise<void> {
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
  const entities = (
    Array.isArray(cursor.data) ? cursor.data.filter((entity) => entity !== null && entity !== undefined) : [cursor.data]
  ) as DataObject[];
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
  if ('representations' in variables) throw new GiveWay('unexpected_data');
  const data = await send(fetch, { ...variables, representations }, cursor, execution);
  if (data === undefined || data === null) return;
  const received = (data as DataObject)._entities;
  if (!Array.isArray(received) || received.length !== representations.length) throw new GiveWay('unexpected_data');
  received.forEach((entity: DataObject | null, i) => {
    const existing = entityOfRepresentation[i]!;
    if (entity && !entity.__typename) entity.__typename = existing.__typename;
    deepMerge(existing, entity);
  });
}

/** One call of a fetch; a failed call or an answer with errors is for the gateway to report. */
async function send(
  fetch: Extract<Step, { kind: 'Fetch' }>,
  variables: DataObject,
  cursor: Cursor,
  execution: Execution,
): Promise<unknown> {
  // The call executeQueryPlan's sendOperation makes. Cast: the kind's enum is not exported, and the data
  // source reads only the cache policy of the incoming request.
  const options = {
    kind: 'incoming operation',
    request: { query: fetch.query, variables, operationName: fetch.operationName },
    incomingRequestContext: { overallCachePolicy: execution.overallCachePolicy },
    context: execution.context,
    pathInIncomingRequest: cursor.path,
  } as unknown as ProcessOptions;
  if (execution.gaveWay) throw new GiveWay('subgraph_error');
  const response = await fetch.dataSource.process(options).catch(() => {
    throw new GiveWay('subgraph_error');
  });
  if (response.errors) throw new GiveWay('subgraph_error');
  return response.data;
}

/** The gateway's `executeSelectionSet` over a fetch's `requires`: null when a required field is missing. */
function represent(source: unknown, selections: RequiredSelection[]): DataObject | null {
  if (source === null) return null;
  // A plain object, not one without prototype: V8 keeps those in dictionary mode, several times slower to
  // build and to stringify into the fetch's body. No key is "__proto__" (compile-plan.ts refuses any "__" but
  // __typename).
  const result: DataObject = {};
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

/**
 * The gateway's `flattenResultsAtPath` over `path` from its `from`-th step: "@" steps into every element of a
 * list, whose results are flattened one level. By index, so that no step copies the rest of the path for
 * each element (deep plans walk thousands of them per request).
 */
function flattenAtPath(value: unknown, path: readonly string[], from = 0): unknown {
  if (from === path.length || value === undefined || value === null) return value;
  const head = path[from]!;
  if (head === '@') {
    if (!Array.isArray(value)) throw new GiveWay('unexpected_data');
    const flattened: unknown[] = [];
    for (const element of value) {
      const inner = flattenAtPath(element, path, from + 1);
      if (Array.isArray(inner)) for (const item of inner) flattened.push(item);
      else flattened.push(inner);
    }
    return flattened;
  }
  if (Array.isArray(value)) throw new GiveWay('unexpected_data');
  return flattenAtPath(Object.hasOwn(value, head) ? (value as DataObject)[head] : undefined, path, from + 1);
}

/** The gateway's `deepMerge`: objects merged key by key, lists of the same length element by element. */
function deepMerge(target: DataObject, source: unknown): void {
  if (source === undefined || source === null) return;
  for (const key of Object.keys(source)) {
    const value = (source as DataObject)[key];
    if (value === undefined) continue;
    if (!Object.hasOwn(target, key) && key in target)
      Object.defineProperty(target, key, { configurable: true, enumerable: true, value: undefined, writable: true });
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
