/**
 * Subscriptions through the federation plan. @apollo/gateway plans a subscription (a SubscriptionNode:
 * the `primary` fetch to the subgraph owning the root field, the `rest` to run for each event) but its
 * executor refuses to run it. So a subscription start goes through Apollo Server like any operation
 * (parsing, operation limits, authorization of every field), and this plugin, in `responseForOperation`,
 * takes the plan instead of executing: the transport opens the primary upstream, and every event runs
 * through @apollo/gateway's own `executeQueryPlan` as the plan `Sequence[primary, rest]`, with the primary
 * fetch answered by the event itself. So entity fetches, merging and result shaping are Apollo's own.
 */
import { buildOperationContext, executeQueryPlan, type GraphQLDataSource, type ApolloGateway, type ServiceMap } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { operationFromDocument } from '@apollo/federation-internals';
import type { FetchNode, PlanNode, QueryPlan, SubscriptionNode } from '@apollo/query-planner';
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../execution/subgraph-data-source.ts';

/** A subscription's plan, settled once at its start: it keeps running on it across hot reloads. */
export interface StartedSubscription {
  primary: FetchNode;
  /** The primary's variables, as the upstream subscription gets them. */
  primaryVariables: Record<string, unknown>;
  /** The primary subgraph's routing URL. */
  url: string;
  context: GatewayContext;
  /** What the client sent, checked again against each reloaded supergraph. */
  document: DocumentNode;
  operationName: string | undefined;
  /** Runs the `rest` of the plan on one event of the primary. */
  shapeEvent(event: ExecutionResult): Promise<ExecutionResult>;
}

/** Set on the context of a subscription start by a transport that streams (gateway/ws/). */
export interface SubscriptionSlot {
  started?: StartedSubscription;
}

/** What @apollo/gateway keeps private and its own executor uses: the planner, the data sources, the schemas. */
interface GatewayInternals {
  queryPlanner?: { buildQueryPlan(operation: ReturnType<typeof operationFromDocument>): QueryPlan };
  serviceMap: Record<string, { dataSource: GraphQLDataSource }>;
  supergraphSchema?: GraphQLSchema;
  apiSchema?: Parameters<typeof executeQueryPlan>[5];
}

export function subscriptionStartPlugin(gateway: ApolloGateway): ApolloServerPlugin<GatewayContext> {
  const internals = gateway as unknown as GatewayInternals;
  return {
    async requestDidStart({ contextValue }) {
      // Only a transport that streams gives a slot: for any other request, no listener (Apollo Server awaits
      // each plugin's responseForOperation one after the other).
      if (!contextValue.subscription) return;
      return {
        async responseForOperation(requestContext) {
          const { operation, document, request, contextValue, schema } = requestContext;
          const slot = contextValue.subscription;
          if (operation?.operation !== 'subscription' || !slot) return null;
          const { queryPlanner, supergraphSchema, apiSchema } = internals;
          if (!queryPlanner || !supergraphSchema || !apiSchema) throw new Error('the gateway has no supergraph loaded');
          const plan = queryPlanner.buildQueryPlan(
            operationFromDocument(apiSchema, document, { operationName: request.operationName ?? undefined }),
          );
          const node = plan.node as SubscriptionNode;
          const serviceMap: ServiceMap = Object.fromEntries(
            Object.entries(internals.serviceMap).map(([name, { dataSource }]) => [name, dataSource]),
          );
          const primarySource = serviceMap[node.primary.serviceName] as GraphQLDataSource & { url?: string };
          const operationContext = buildOperationContext({
            schema,
            operationDocument: document,
            operationName: request.operationName ?? undefined,
          });
          const variables = request.variables ?? {};
          const gatewayRequestContext = {
            ...requestContext,
            context: contextValue,
            request: { ...request, variables },
          } as unknown as Parameters<typeof executeQueryPlan>[2];
          slot.started = {
            primary: node.primary,
            primaryVariables: Object.fromEntries(
              (node.primary.variableUsages ?? []).filter((name) => name in variables).map((name) => [name, variables[name]]),
            ),
            url: primarySource.url ?? '',
            context: contextValue,
            document,
            operationName: operation.name?.value,
            async shapeEvent(event: ExecutionResult) {
              // The primary fetch is answered by the event; the rest fetches from the subgraphs as for a query.
              const eventSource: GraphQLDataSource = { process: async () => ({ data: event.data ?? null, errors: event.errors as never }) };
              const nodes: PlanNode[] = node.rest ? [node.primary, node.rest] : [node.primary];
              const eventPlan: QueryPlan = { kind: 'QueryPlan', node: { kind: 'Sequence', nodes } };
              const result = await executeQueryPlan(
                eventPlan,
                { ...serviceMap, [node.primary.serviceName]: eventSource },
                gatewayRequestContext,
                operationContext,
                supergraphSchema,
                apiSchema,
              );
              return result as ExecutionResult;
            },
          };
          return { http: { status: 200, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: null } } };
        },
      };
    },
  };
}
