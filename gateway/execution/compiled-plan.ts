/**
 * What the plan execution prepares once per operation (compile-plan.ts, compile-shape.ts) and uses on every
 * request (execute-plan.ts, shape-result.ts): the plan's steps with their data sources, the result's shape,
 * and why a request is left to @apollo/gateway.
 */
import type { ApolloGateway, GraphQLDataSource } from '@apollo/gateway';
import type { FragmentDefinitionNode, GraphQLObjectType, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from './subgraph-data-source.ts';

export type QueryPlanCallback = NonNullable<ConstructorParameters<typeof ApolloGateway>[0]>['experimental_didResolveQueryPlan'];
export type PlanResolved = Parameters<NonNullable<QueryPlanCallback>>[0];
export type PlanNode = NonNullable<PlanResolved['queryPlan']['node']>;
type FetchNode = Extract<PlanNode, { kind: 'Fetch' }>;
export type RequiresNode = NonNullable<FetchNode['requires']>[number];
export type ProcessOptions = Parameters<GraphQLDataSource<GatewayContext>['process']>[0];
export type DataObject = Record<string, unknown>;

/** A plan node, with the data source of each fetch resolved. */
export type Step =
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
export type RequiredSelection =
  | { kind: 'Field'; key: string; selections: RequiredSelection[] | undefined }
  | { kind: 'Fragment'; typeName: string; selections: RequiredSelection[] };

/** How one value of the answer is checked and copied. */
export interface ValueShape {
  nonNull: boolean;
  list?: ValueShape;
  object?: ObjectShape;
  /** For an interface or a union: the shape of each object type the value may be, by its `__typename`. */
  objectOfType?: Map<string, ObjectShape>;
  /** For leaves: whether the gateway would accept the value for the field's type. */
  accepts?: (value: unknown) => boolean;
}

export interface ObjectShape {
  typeName: string;
  fields: FieldShape[];
}

export type FieldShape = { key: string; typename: true } | { key: string; typename?: false; value: ValueShape };

export interface CompiledOperation {
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
 * Why a request was executed by @apollo/gateway rather than by the plan execution:
 * - `not_planned`: the gateway has not planned this document for this schema yet (its first request);
 * - `unsupported_operation`: the plan or the operation has what is only settled per request (see plan-execution.ts);
 * - `unsupported_selection`: the selection's shape for these @skip/@include values cannot be compiled, or too many were;
 * - `invalid_variables`: variables the gateway answers with its own errors;
 * - `subgraph_error`: a subgraph call failed or answered errors;
 * - `unexpected_data`: an answer of a shape the gateway handles its own way (e.g. an `_entities` list of the wrong length);
 * - `invalid_value`: a null in a non-null field, or a value its type rejects;
 * - `unexpected_error`: anything else, a bug: logged.
 */
export const FALLBACK_REASONS = [
  'not_planned',
  'unsupported_operation',
  'unsupported_selection',
  'invalid_variables',
  'subgraph_error',
  'unexpected_data',
  'invalid_value',
  'unexpected_error',
] as const;
export type FallbackReason = (typeof FALLBACK_REASONS)[number];

/** Raised inside a request's execution when the gateway must answer it itself. */
export class GiveWay extends Error {
  constructor(readonly reason: Extract<FallbackReason, 'subgraph_error' | 'unexpected_data' | 'invalid_value'>) {
    super(reason);
  }
}

export function isPlainObject(value: unknown): value is DataObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
