/**
 * The order every GraphQL request goes through, written down once, whatever transport brought it. Each
 * stage is a plain function of the GatewayRequest; the first one that answers ends the request, and the
 * transport writes that answer back.
 *
 * Before the body is read:
 *   1. authenticate                   who is calling; a refused credential is recorded, answered at 4
 * With the body:
 *   2. limit requests                 the request rate limit by caller; RateLimit-* headers
 *   3. resolve persisted documents    a document sent by id gets its text, so that the stages after read it
 *   4. limit login attempts           the login rate limit, per login field the operation calls
 *   5. refuse failed authentication   UNAUTHENTICATED (or 503 when accounts is unreachable), once counted
 *   6. document limits                nesting and recursive selections, before any other work on the document
 *   7. execute                        Apollo Server, whose own pipeline runs the stages of `apolloStages` in
 *                                     order: parse (MAX_TOKENS), validate (operation limits), resolve the
 *                                     operation, authorize, demand control (cost), plan, execute (plan
 *                                     execution, else @apollo/gateway; a subscription's plan is taken by ../ws/)
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { GatewayContext } from '../execution/subgraph-data-source.ts';
import type { GatewayRequest, PipelineAnswer } from './gateway-request.ts';
import { operationResolutionPlugin } from './operation-resolution.ts';

export type Stage = (request: GatewayRequest) => PipelineAnswer | undefined | Promise<PipelineAnswer | undefined>;

export interface PipelineStages {
  authenticate: Stage;
  limitRequests: Stage;
  resolvePersistedDocuments: Stage;
  limitLoginAttempts: Stage;
  refuseFailedAuthentication: Stage;
  checkDocumentLimits: Stage;
  execute: (request: GatewayRequest) => Promise<PipelineAnswer>;
}

export interface Pipeline {
  /** The stages that need no body; a transport may run them while the body is still coming. */
  start(request: GatewayRequest): Promise<PipelineAnswer | undefined>;
  /** The stages after, with `request.body` set. */
  finish(request: GatewayRequest): Promise<PipelineAnswer>;
  /** Both. */
  run(request: GatewayRequest): Promise<PipelineAnswer>;
}

async function firstAnswer(stages: readonly Stage[], request: GatewayRequest): Promise<PipelineAnswer | undefined> {
  for (const stage of stages) {
    // A stage that answers at once is not awaited: each await is a turn of the microtask queue, every request.
    const settled = stage(request);
    const answer = settled instanceof Promise ? await settled : settled;
    if (answer) return answer;
  }
  return undefined;
}

export function createPipeline(stages: PipelineStages): Pipeline {
  const beforeBody: Stage[] = [stages.authenticate];
  const withBody: Stage[] = [
    stages.limitRequests,
    stages.resolvePersistedDocuments,
    stages.limitLoginAttempts,
    stages.refuseFailedAuthentication,
    stages.checkDocumentLimits,
  ];
  const start = (request: GatewayRequest) => firstAnswer(beforeBody, request);
  const finish = async (request: GatewayRequest) => (await firstAnswer(withBody, request)) ?? stages.execute(request);
  return { start, finish, run: async (request) => (await start(request)) ?? finish(request) };
}

export interface ApolloStages {
  /** Told of every operation and its outcome (metrics), and drains the server on stop: run around all others. */
  observe: ApolloServerPlugin<GatewayContext>[];
  /** The operation limits, as validation rules. */
  operationLimits: ValidationRule[];
  /** Refuses a denied field before planning; must answer before `planExecution`. */
  authorization: ApolloServerPlugin<GatewayContext>;
  /** Estimates the operation's cost, refuses it over the limits, measures the answer's; after authorization, before planning. */
  demandControl: ApolloServerPlugin<GatewayContext>;
  /** Drops cached credentials after a mutation that changes them. */
  credentialChanges: ApolloServerPlugin;
  /** Takes the plan of a subscription started over a transport that streams (../ws/), instead of executing it. */
  subscriptionStart: ApolloServerPlugin<GatewayContext>;
  /** Executes the plan in place of @apollo/gateway where it may; the last to answer. */
  planExecution: ApolloServerPlugin<GatewayContext>;
}

/** The stages that run inside Apollo Server, in its options' order. */
export function apolloStages(stages: ApolloStages): { validationRules: ValidationRule[]; plugins: ApolloServerPlugin<GatewayContext>[] } {
  return {
    validationRules: stages.operationLimits,
    plugins: [
      ...stages.observe,
      operationResolutionPlugin,
      stages.authorization,
      stages.demandControl,
      stages.credentialChanges as ApolloServerPlugin<GatewayContext>,
      stages.subscriptionStart,
      stages.planExecution,
    ],
  };
}
