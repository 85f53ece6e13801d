/**
 * Demand control, as the Apollo Server stage between authorization and planning: every operation's cost is
 * estimated (cost-estimate.ts) from the weights the supergraph declares (cost-directives.ts), checked against
 * MAX_OPERATION_COST and charged against its caller's cost budget (COST_BUDGET per COST_BUDGET_WINDOW_MS,
 * counted beside the request rate limit, in memory or Redis); once answered, its actual cost is counted from
 * the answer (actual-cost.ts). Both go to metrics, and to the answer's `extensions.cost` when the request
 * asks with `"extensions": {"includeCost": true}`.
 *
 * DEMAND_CONTROL: `off` (default) does nothing; `measure` counts, logs what it would refuse and never refuses;
 * `enforce` refuses: COST_ESTIMATED_TOO_EXPENSIVE (HTTP 400, the estimate in `extensions.cost`), a field whose
 * `@listSize(requireOneSlicingArgument: true)` is called without exactly one slicing argument
 * (GRAPHQL_VALIDATION_FAILED, HTTP 400), and COST_BUDGET_EXCEEDED (HTTP 429, `Retry-After`).
 */
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { cognitiveCloudError } from '../../../core/errors.ts';
import type { GatewayContext } from '../../execution/subgraph-data-source.ts';
import type { Verdict } from '../rate-limit-counter.ts';
import { actualCost } from './actual-cost.ts';
import type { CostDirectives } from './cost-directives.ts';
import { estimateCost } from './cost-estimate.ts';

export const DEMAND_CONTROL_MODES = ['off', 'measure', 'enforce'] as const;
export type DemandControlMode = (typeof DEMAND_CONTROL_MODES)[number];
export type CostRefusal = 'max_cost' | 'budget' | 'slicing';

export const DEMAND_CONTROL_DEFAULTS = { mode: 'off', maxCost: 0, defaultListSize: 10 } as const;

export interface DemandControlOptions {
  /** DEMAND_CONTROL, default `off`. */
  mode?: DemandControlMode;
  /** MAX_OPERATION_COST, default 0: no maximum. */
  maxCost?: number;
  /** DEMAND_CONTROL_LIST_SIZE, default 10: the size assumed of a list that declares none with `@listSize`. */
  defaultListSize?: number;
  /** What the served supergraph declares; default NO_COST_DIRECTIVES' weights. */
  directives: () => CostDirectives;
  /** Charges a cost to a caller's budget (rate-limit.ts); undefined when no budget is set. */
  chargeBudget?: (caller: string, cost: number) => Promise<Verdict | undefined>;
  logger: Logger;
  onEstimated?: (cost: number) => void;
  onActual?: (cost: number) => void;
  /** Told of each refusal, and of each one measure mode let through (`enforced` false). */
  onRefused?: (reason: CostRefusal, enforced: boolean) => void;
}

function badRequest(
  code: 'COST_ESTIMATED_TOO_EXPENSIVE' | 'GRAPHQL_VALIDATION_FAILED',
  message: string,
  extensions: object = {},
): GraphQLError {
  return cognitiveCloudError(code, message, { ...extensions, http: { status: 400 } });
}

export function demandControlPlugin(options: DemandControlOptions): ApolloServerPlugin<GatewayContext> {
  const mode = options.mode ?? DEMAND_CONTROL_DEFAULTS.mode;
  const maxCost = options.maxCost ?? DEMAND_CONTROL_DEFAULTS.maxCost;
  const defaultListSize = options.defaultListSize ?? DEMAND_CONTROL_DEFAULTS.defaultListSize;
  const { logger } = options;

  const refuse = (reason: CostRefusal, error: GraphQLError): void => {
    options.onRefused?.(reason, mode === 'enforce');
    if (mode === 'enforce') throw error;
    logger.warn({ reason, extensions: { ...error.extensions, http: undefined } }, `demand control would refuse: ${error.message}`);
  };

  // Off, no hook: Apollo Server awaits each plugin's hooks on every request.
  if (mode === 'off') return {};
  return {
    async requestDidStart() {
      let estimated: number | undefined;
      let directives: CostDirectives | undefined;
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return; // operation-resolution.ts has refused it
          directives = options.directives();
          const variables = request.variables ?? {};
          const estimate = estimateCost({ schema, document, operation, variables, directives, defaultListSize });
          estimated = estimate.cost;
          options.onEstimated?.(estimated);
          if (estimate.slicingViolations.length > 0) {
            const fields = estimate.slicingViolations.join(', ');
            refuse('slicing', badRequest('GRAPHQL_VALIDATION_FAILED', `Exactly one slicing argument must be given to ${fields}.`));
          }
          if (maxCost > 0 && estimated > maxCost) {
            const message = `The estimated cost of the operation, ${estimated}, is over the maximum of ${maxCost}.`;
            refuse('max_cost', badRequest('COST_ESTIMATED_TOO_EXPENSIVE', message, { cost: { estimated, max: maxCost } }));
          }
          const verdict = await options.chargeBudget?.(contextValue.caller ?? 'unknown', estimated);
          if (verdict?.isExceeded) {
            const retryAfter = verdict.ttlInSeconds;
            const headers = new HeaderMap([['retry-after', String(retryAfter)]]);
            const message = `Cost budget of ${verdict.max} per window spent; retry in ${retryAfter} s`;
            refuse(
              'budget',
              cognitiveCloudError('COST_BUDGET_EXCEEDED', message, { retryAfter, cost: { estimated }, http: { status: 429, headers } }),
            );
          }
        },
        async willSendResponse({ response, request, schema, document, operation }) {
          if (estimated === undefined || !directives || !document || !operation || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const variables = request.variables ?? {};
          const actual = actualCost({ schema, document, operation, variables, directives }, result.data);
          options.onActual?.(actual);
          if (request.extensions?.includeCost === true) result.extensions = { ...result.extensions, cost: { estimated, actual } };
        },
      };
    },
  };
}
