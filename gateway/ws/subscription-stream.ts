/**
 * One client subscription: the upstream's events, each run through the rest of the plan in the order
 * they came, as an async iterator graphql-ws's server reads. An event whose entity fetch failed is sent
 * with its errors and the stream goes on; an upstream that fails ends the stream with one last event
 * carrying a readable error; `return()` (the client went away or completed) closes the upstream.
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { StartedSubscription } from './subscription-plan.ts';
import { openUpstream } from './upstream.ts';

export interface SubscriptionStream extends AsyncIterableIterator<ExecutionResult> {
  /** Ends the stream with `reason` as its last event's error (the gateway stops). */
  end(reason: string): void;
}

export interface StreamOptions {
  /** The primary's WebSocket URL (upstream.ts's `upstreamUrl`). */
  upstreamUrl: URL;
  identitySecret: string;
  /** Each event sent to the client. */
  onEvent(): void;
  /** The upstream failed. */
  onUpstreamFailure(): void;
  /** The stream ended, whichever way: exactly once. */
  onClose(): void;
}

export function endedError(reason: string): ExecutionResult {
  return { errors: [new GraphQLError(`The subscription ended: ${reason}`, { extensions: { code: 'SUBSCRIPTION_ENDED' } })] };
}

export function openSubscriptionStream(started: StartedSubscription, options: StreamOptions): SubscriptionStream {
  const queue: ExecutionResult[] = [];
  let waiting: ((result: IteratorResult<ExecutionResult>) => void) | undefined;
  let done = false;
  // Events are shaped one after the other, so that they reach the client in the order the subgraph sent them.
  let shaping = Promise.resolve();

  const push = (result: ExecutionResult) => {
    if (done) return;
    options.onEvent();
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve({ done: false, value: result });
    } else queue.push(result);
  };
  const finish = () => {
    if (done) return;
    done = true;
    closeUpstream();
    options.onClose();
    if (queue.length === 0 && waiting) waiting({ done: true, value: undefined });
  };
  const endWith = (reason: string) => {
    push(endedError(reason));
    finish();
  };

  const closeUpstream = openUpstream(started, options.upstreamUrl, options.identitySecret, {
    next: (event) => {
      shaping = shaping.then(async () => push(await started.shapeEvent(event).catch((error: Error) => endedError(error.message))));
    },
    fail: (reason) => {
      options.onUpstreamFailure();
      shaping = shaping.then(() => endWith(reason));
    },
    complete: () => {
      shaping = shaping.then(finish);
    },
  });

  const stream: SubscriptionStream = {
    next() {
      const value = queue.shift();
      if (value) return Promise.resolve({ done: false, value });
      if (done) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => (waiting = resolve));
    },
    async return() {
      queue.length = 0;
      finish();
      return { done: true, value: undefined };
    },
    end: endWith,
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
