/**
 * Executing, once per request: the compiled plan's fetches, as @apollo/gateway's executeQueryPlan runs
 * them (executeNode, executeFetch), merging each answer into the data as its deepMerge does.
 *
 * A call that identical fetches of other requests joined gives them all the one answer it parsed, frozen
 * (subgraph-data-source.ts). So the request's data is copy-on-write: a frozen object or list is copied
 * (shallowly, once) before anything is written into it, and the copy takes its place.
 */
import { GiveWay, isPlainObject, type DataObject, type RequiredSelection, type Step } from './compiled-plan.ts';
import type { GatewayContext, ReadOnlyProcessOptions } from './subgraph-data-source.ts';

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
    const typename = existing.__typename;
    deepMerge(existing, entity);
    // The gateway first gives an entity without a __typename the one it is merged into (never written
    // here: the answer may be shared); what it merges is that same __typename.
    if (entity && !entity.__typename) existing.__typename = typename;
  });
}

/** One call of a fetch; a failed call or an answer with errors is for the gateway to report. */
async function send(
  fetch: Extract<Step, { kind: 'Fetch' }>,
  variables: DataObject,
  cursor: Cursor,
  execution: Execution,
): Promise<unknown> {
  // The call executeQueryPlan's sendOperation makes, whose answer is only read. Cast: the kind's enum is not
  // exported, and the data source reads only the cache policy of the incoming request.
  const options = {
    readOnlyAnswer: true,
    kind: 'incoming operation',
    request: { query: fetch.query, variables, operationName: fetch.operationName },
    incomingRequestContext: { overallCachePolicy: execution.overallCachePolicy },
    context: execution.context,
    pathInIncomingRequest: cursor.path,
  } as unknown as ReadOnlyProcessOptions;
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
 * each element (deep plans walk thousands of them per request). `value` is writable; so is everything on
 * the way down and what is found, which the fetch merges into (the value, or each element of a list).
 */
function flattenAtPath(value: unknown, path: readonly string[], from = 0): unknown {
  if (value === undefined || value === null) return value;
  if (from === path.length) {
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) ownAt(value, i);
    return value;
  }
  const head = path[from]!;
  if (head === '@') {
    if (!Array.isArray(value)) throw new GiveWay('unexpected_data');
    const flattened: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const inner = flattenAtPath(ownAt(value, i), path, from + 1);
      if (Array.isArray(inner)) for (const item of inner) flattened.push(item);
      else flattened.push(inner);
    }
    return flattened;
  }
  if (Array.isArray(value)) throw new GiveWay('unexpected_data');
  return flattenAtPath(Object.hasOwn(value, head) ? ownAt(value as DataObject, head) : undefined, path, from + 1);
}

/**
 * `holder[key]`, made writable: a frozen object or list (a shared answer's) is copied, shallowly, and the
 * copy put in its place. `holder` must be writable already.
 */
function ownAt(holder: DataObject | unknown[], key: string | number): unknown {
  const value = (holder as DataObject)[key];
  // Frozen is not extensible, and nothing else here is: the one check V8 answers from the object's map.
  if (typeof value !== 'object' || value === null || Object.isExtensible(value)) return value;
  // A spread defines a "__proto__" key as a plain property, as JSON.parse does, never as the prototype.
  const copy = Array.isArray(value) ? value.slice() : { ...value };
  (holder as DataObject)[key] = copy;
  return copy;
}

/**
 * The gateway's `deepMerge`: objects merged key by key, lists of the same length element by element, into
 * `target`, writable; what is merged into below it is made writable on the way (ownAt).
 */
function deepMerge(target: DataObject, source: unknown): void {
  if (source === undefined || source === null) return;
  for (const key of Object.keys(source)) {
    const value = (source as DataObject)[key];
    if (value === undefined) continue;
    if (!Object.hasOwn(target, key) && key in target)
      Object.defineProperty(target, key, { configurable: true, enumerable: true, value: undefined, writable: true });
    const existing = target[key];
    if (existing && isPlainObject(value)) {
      deepMerge(ownAt(target, key) as DataObject, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      const list = ownAt(target, key) as unknown[];
      for (let i = 0; i < value.length; i++) {
        if (isPlainObject(list[i]) && isPlainObject(value[i])) deepMerge(ownAt(list, i) as DataObject, value[i]);
        else list[i] = value[i];
      }
    } else {
      target[key] = value;
    }
  }
}
