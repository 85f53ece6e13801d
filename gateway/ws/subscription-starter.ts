/**
 * Starting a subscription, whatever transport streams it (WebSocket, SSE, multipart): the caller's
 * request goes through the pipeline's stages after authentication, with a slot where the subscription
 * plugin puts its plan (subscription-plan.ts); then its stream is opened. Holds what every transport
 * shares: the `MAX_SUBSCRIPTIONS_PER_CALLER` count, the open streams (ended at stop), the metrics.
 */
import { errorAnswer, type GatewayRequest, type PipelineAnswer } from '../pipeline/gateway-request.ts';
import type { Pipeline } from '../pipeline/pipeline.ts';
import { callerOf } from '../pipeline/rate-limit.ts';
import type { SubscriptionSlot } from './subscription-plan.ts';
import { openSubscriptionStream, type SubscriptionStream } from './subscription-stream.ts';

export interface SubscriptionMetrics {
  subscriptionOpened(subgraph: string): void;
  subscriptionClosed(subgraph: string): void;
  subscriptionEventDelivered(subgraph: string): void;
  subscriptionUpstreamFailed(subgraph: string): void;
}

export interface SubscriptionStarterOptions {
  pipeline: Pipeline;
  identitySecret: string;
  /** MAX_SUBSCRIPTIONS_PER_CALLER: more open at once are refused (default 10). */
  maxSubscriptionsPerCaller: number;
  metrics: SubscriptionMetrics;
}

/** A stream, or the answer that refused it (or answered an operation that is not a subscription). */
export type SubscriptionStart = { stream: SubscriptionStream } | { answer: PipelineAnswer };

export interface SubscriptionStarter {
  /** `request`: authenticated already (the pipeline's `start`), its body the GraphQL payload. */
  start(request: GatewayRequest): Promise<SubscriptionStart>;
  /** Ends every open subscription with `reason`; resolves once their last events are on their way. */
  endAll(reason: string): Promise<void>;
}

export function createSubscriptionStarter({
  pipeline,
  identitySecret,
  maxSubscriptionsPerCaller,
  metrics,
}: SubscriptionStarterOptions): SubscriptionStarter {
  const openPerCaller = new Map<string, number>();
  const streams = new Set<SubscriptionStream>();

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
      metrics.subscriptionOpened(subgraph);
      const stream = openSubscriptionStream(started, {
        identitySecret,
        onEvent: () => metrics.subscriptionEventDelivered(subgraph),
        onUpstreamFailure: () => metrics.subscriptionUpstreamFailed(subgraph),
        onClose: () => {
          streams.delete(stream);
          release();
          metrics.subscriptionClosed(subgraph);
        },
      });
      streams.add(stream);
      return { stream };
    },
    async endAll(reason) {
      for (const stream of [...streams]) stream.end(reason);
      // The transports send each stream's last event and its end on the next turns, before sockets close.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
