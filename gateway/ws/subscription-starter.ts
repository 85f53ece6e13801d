/**
 * Starting a subscription, whatever transport streams it (WebSocket, SSE, multipart): the caller's
 * request goes through the pipeline's stages after authentication, with a slot where the subscription
 * plugin puts its plan (subscription-plan.ts); then its stream is opened. Holds what every transport
 * shares: the `MAX_SUBSCRIPTIONS_PER_CALLER` count, the open streams (ended at stop, or at a reload that
 * removed what they select), the metrics.
 */
import { validate, type GraphQLSchema } from 'graphql';
import { errorAnswer, type GatewayRequest, type PipelineAnswer } from '../pipeline/gateway-request.ts';
import type { Pipeline } from '../pipeline/pipeline.ts';
import { callerOf } from '../pipeline/rate-limit.ts';
import type { StartedSubscription, SubscriptionSlot } from './subscription-plan.ts';
import { openSubscriptionStream, type SubscriptionStream } from './subscription-stream.ts';
import { upstreamUrl } from './upstream.ts';

export interface SubscriptionMetrics {
  /** `operation`: the operation's name, undefined when anonymous. */
  subscriptionOpened(subgraph: string, operation: string | undefined): void;
  subscriptionClosed(subgraph: string, operation: string | undefined): void;
  subscriptionEventDelivered(subgraph: string): void;
  subscriptionUpstreamFailed(subgraph: string): void;
}

export interface SubscriptionStarterOptions {
  pipeline: Pipeline;
  identitySecret: string;
  /** MAX_SUBSCRIPTIONS_PER_CALLER: more open at once are refused (default 10). */
  maxSubscriptionsPerCaller: number;
  /** SUBSCRIPTION_UPSTREAM_URLS: per-subgraph WebSocket URLs in place of the routing URLs. */
  upstreamUrls: Readonly<Record<string, string>>;
  metrics: SubscriptionMetrics;
}

/** A stream, or the answer that refused it (or answered an operation that is not a subscription). */
export type SubscriptionStart = { stream: SubscriptionStream } | { answer: PipelineAnswer };

export interface SubscriptionStarter {
  /** `request`: authenticated already (the pipeline's `start`), its body the GraphQL payload. */
  start(request: GatewayRequest): Promise<SubscriptionStart>;
  /**
   * A reloaded supergraph now serves: a subscription that no longer validates against its API schema (its
   * field is gone, or a field its events select) ends with the reason; the others go on, on their plan.
   */
  useSchema(apiSchema: GraphQLSchema): void;
  /** Ends every open subscription with `reason`; resolves once their last events are on their way. */
  endAll(reason: string): Promise<void>;
}

export function createSubscriptionStarter({
  pipeline,
  identitySecret,
  maxSubscriptionsPerCaller,
  upstreamUrls,
  metrics,
}: SubscriptionStarterOptions): SubscriptionStarter {
  const openPerCaller = new Map<string, number>();
  const streams = new Map<SubscriptionStream, StartedSubscription>();

  return {
    async start(request) {
      const key = (({ kind, id }) => `${kind}:${id}`)(callerOf(request));
      if ((openPerCaller.get(key) ?? 0) >= maxSubscriptionsPerCaller) {
        return {
          answer: errorAnswer(429, [
            {
              message: `At most ${maxSubscriptionsPerCaller} subscriptions may be open at once`,
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
            },
          ]),
        };
      }
      // Counted before the pipeline runs: starts in flight together cannot pass the limit.
      openPerCaller.set(key, (openPerCaller.get(key) ?? 0) + 1);
      const release = () => {
        const left = (openPerCaller.get(key) ?? 1) - 1;
        if (left === 0) openPerCaller.delete(key);
        else openPerCaller.set(key, left);
      };
      const slot: SubscriptionSlot = {};
      request.subscription = slot;
      let answer: PipelineAnswer;
      try {
        answer = await pipeline.finish(request);
      } catch (error) {
        release();
        throw error;
      }
      const started = slot.started;
      if (!started) {
        release();
        return { answer };
      }

      const subgraph = started.primary.serviceName;
      metrics.subscriptionOpened(subgraph, started.operationName);
      const stream = openSubscriptionStream(started, {
        upstreamUrl: upstreamUrl(started.url, upstreamUrls[subgraph]),
        identitySecret,
        onEvent: () => metrics.subscriptionEventDelivered(subgraph),
        onUpstreamFailure: () => metrics.subscriptionUpstreamFailed(subgraph),
        onClose: () => {
          streams.delete(stream);
          release();
          metrics.subscriptionClosed(subgraph, started.operationName);
        },
      });
      streams.set(stream, started);
      return { stream };
    },
    useSchema(apiSchema) {
      for (const [stream, { document }] of streams) {
        const [invalid] = validate(apiSchema, document);
        if (invalid) stream.end(`the supergraph was reloaded without what it selects (${invalid.message})`);
      }
    },
    async endAll(reason) {
      for (const stream of [...streams.keys()]) stream.end(reason);
      // The transports send each stream's last event and its end on the next turns, before sockets close.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
