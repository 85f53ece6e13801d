/**
 * Compiling, once per operation: the plan @apollo/gateway built for it, with each fetch's data source
 * resolved, and the values of the operation's @skip/@include variables each request compiles its result
 * shape for.
 */
import { isObjectType, Kind, visit, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { fragmentsByName } from '../pipeline/operation-limits.ts';
import { compileObject, MAX_OBJECT_SHAPES } from './compile-shape.ts';
import type {
  CompiledOperation,
  DataObject,
  ObjectShape,
  PlanNode,
  PlanResolved,
  RequiredSelection,
  RequiresNode,
  Step,
} from './compiled-plan.ts';

/** The most combinations of @skip/@include values compiled for one operation; others are left to the gateway. */
const MAX_CONDITION_COMBINATIONS = 16;

export function compileOperation(
  node: PlanNode | undefined,
  serviceMap: PlanResolved['serviceMap'],
  document: DocumentNode,
  operation: OperationDefinitionNode,
  schema: GraphQLSchema,
): CompiledOperation | null {
  const rootType =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : undefined;
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
export function conditionValues(known: CompiledOperation, variables: DataObject): Map<string, boolean> | undefined {
  const values = new Map<string, boolean>();
  for (const { name, defaultValue } of known.conditions) {
    const value = Object.hasOwn(variables, name) && variables[name] !== undefined ? variables[name] : defaultValue;
    if (typeof value !== 'boolean') return undefined;
    values.set(name, value);
  }
  return values;
}

export function resultShape(known: CompiledOperation, conditions: ReadonlyMap<string, boolean>): ObjectShape | null {
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
      return step && node.path.every((part) => typeof part === 'string')
        ? { kind: 'Flatten', path: node.path as string[], step }
        : undefined;
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
      return {
        kind: 'Fetch',
        dataSource,
        query: node.operation,
        operationName: node.operationName,
        variableUsages: node.variableUsages ?? [],
        requires,
      };
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
      const key = selection.alias ?? selection.name;
      // Representations are plain objects (execute-plan.ts): a key starting with "__" could be "__proto__".
      if ((selection.selections && !nested) || (key.startsWith('__') && key !== '__typename')) return undefined;
      compiled.push({ kind: 'Field', key, selections: nested });
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
