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
 * Compiling is compile-plan.ts and compile-shape.ts, executing execute-plan.ts, shaping shape-result.ts; every
 * request left to the gateway is counted by reason (FALLBACK_REASONS), and an unexpected failure is logged.
 *
 * Everything before execution is untouched: authentication, rate limits, parsing, validation, operation
 * limits, authorization (its answer wins: this plugin is registered last), metrics, cache policy.
 */
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, type DocumentNode } from 'graphql';
import { compileOperation, conditionValues, resultShape } from './compile-plan.ts';
import type { Logger } from 'pino';
import {
  GiveWay,
  type CompiledOperation,
  type DataObject,
  type FallbackReason,
  type PlanResolved,
  type QueryPlanCallback,
} from './compiled-plan.ts';
import { executeStep, type Execution } from './execute-plan.ts';
import { shapeObject } from './shape-result.ts';
import type { GatewayContext } from './subgraph-data-source.ts';

export interface PlanExecution {
  /** For ApolloGateway's `experimental_didResolveQueryPlan`: learns the plan of each document. */
  learn: NonNullable<QueryPlanCallback>;
  /** Must come after every plugin that may answer in `responseForOperation` (authorization). */
  plugin: ApolloServerPlugin<GatewayContext>;
}

export interface PlanExecutionOptions {
  /** Told of every request left to @apollo/gateway, with why (for metrics). Default: none. */
  onFallback?: (reason: FallbackReason) => void;
  /** Where an unexpected failure of the plan execution is logged before the gateway takes over. Default: not logged. */
  logger?: Logger;
}

export function createPlanExecution({ onFallback, logger }: PlanExecutionOptions = {}): PlanExecution {
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
          const fallBack = (reason: FallbackReason) => {
            onFallback?.(reason);
            return null;
          };
          const known = compiled.get(document)?.get(request.operationName ?? '');
          if (known === null) return fallBack('unsupported_operation');
          if (!known || known.schema !== schema || known.operation !== operation) return fallBack('not_planned');
          const variables = request.variables ?? {};
          // The gateway's own check, which answers misfits with its errors: left to it.
          if ('errors' in getVariableValues(schema, operation.variableDefinitions ?? [], variables)) return fallBack('invalid_variables');
          const conditions = conditionValues(known, variables);
          if (!conditions) return fallBack('invalid_variables');
          const shape = resultShape(known, conditions);
          if (!shape) return fallBack('unsupported_selection');

          contextValue.subgraphAnswers = [];
          const execution: Execution = { context: contextValue, variables, conditions, overallCachePolicy, gaveWay: false };
          try {
            const data: DataObject = Object.create(null);
            if (known.plan) await executeStep(known.plan, { path: [], data }, execution);
            const result = shapeObject(data, shape);
            contextValue.subgraphAnswers = undefined;
            return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: result } } };
          } catch (error) {
            // The gateway answers, with the subgraph answers already fetched, and with its own errors.
            execution.gaveWay = true;
            if (error instanceof GiveWay) return fallBack(error.reason);
            logger?.error(
              { err: error, requestId: contextValue.requestId },
              'plan execution failed unexpectedly; @apollo/gateway executes the operation instead',
            );
            return fallBack('unexpected_error');
          }
        },
      };
    },
  };
  return { learn, plugin };
}
