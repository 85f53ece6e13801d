/**
 * Subscriptions over HTTP on `/graphql`, by what a POST accepts: GraphQL over SSE (graphql-sse's
 * distinct connections mode, `Accept: text/event-stream`: `next` events, then `complete`) and Apollo's
 * multipart subscriptions (`Accept: multipart/mixed;subscriptionSpec=1.0`: one part
 * `{"payload": <result>}` per event, `{}` as a heartbeat, the closing boundary at the end). The start goes
 * through the same pipeline and starter as over WebSocket; a refused start is the pipeline's HTTP answer.
 * A client that goes away destroys the response stream, whose `return()` closes the upstream.
 */
import type { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import type { GatewayRequest, PipelineAnswer } from '../pipeline/gateway-request.ts';
import type { SubscriptionStarter } from '../ws/subscription-starter.ts';
import type { SubscriptionStream } from '../ws/subscription-stream.ts';

export type StreamFormat = 'sse' | 'multipart';

export interface SubscriptionStreamOptions {
  subscriptions: SubscriptionStarter;
  formatError(error: GraphQLError): GraphQLFormattedError;
  /** How often an idle stream sends a heartbeat, in milliseconds. Default 5000 (Apollo Router's). */
  heartbeatMs?: number;
}

interface Encoding {
  contentType: string;
  event(result: object): string;
  heartbeat: string;
  end: string;
}

const BOUNDARY = 'graphql';
const ENCODINGS: Record<StreamFormat, Encoding> = {
  sse: {
    contentType: 'text/event-stream; charset=utf-8',
    event: (result) => `event: next\ndata: ${JSON.stringify(result)}\n\n`,
    heartbeat: ':\n\n',
    end: 'event: complete\ndata:\n\n',
  },
  multipart: {
    contentType: `multipart/mixed;boundary="${BOUNDARY}";subscriptionSpec="1.0"`,
    event: (result) => `\r\n--${BOUNDARY}\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${JSON.stringify({ payload: result })}`,
    heartbeat: `\r\n--${BOUNDARY}\r\ncontent-type: application/json; charset=utf-8\r\n\r\n{}`,
    end: `\r\n--${BOUNDARY}--\r\n`,
  },
};

/** Which streaming answer a request asks for; undefined for a plain one. */
export function streamFormatOf(request: GatewayRequest): StreamFormat | undefined {
  const accept = request.headers.accept;
  if (request.method !== 'POST' || !accept) return undefined;
  if (accept.includes('text/event-stream')) return 'sse';
  if (accept.includes('multipart/mixed') && /subscriptionSpec="?1\.0"?/.test(accept)) return 'multipart';
  return undefined;
}

/** For the HTTP route: answers a request asking for a stream, undefined for any other. */
export function subscriptionStreams({ subscriptions, formatError, heartbeatMs = 5_000 }: SubscriptionStreamOptions) {
  return async (request: GatewayRequest): Promise<PipelineAnswer | undefined> => {
    const format = streamFormatOf(request);
    if (!format) return undefined;
    // Apollo Server answers a refused start, in JSON: the stream's Accept is not one it serves.
    const started = await subscriptions.start({ ...request, headers: { ...request.headers, accept: 'application/json' } });
    if ('answer' in started) return started.answer;
    const encoding = ENCODINGS[format];
    const shown = (result: ExecutionResult) => (result.errors ? { ...result, errors: result.errors.map(formatError) } : result);
    return {
      status: 200,
      headers: [
        ['content-type', encoding.contentType],
        ['cache-control', 'no-cache'],
        ['x-accel-buffering', 'no'],
      ],
      body: chunks(started.stream, encoding, shown, heartbeatMs),
    };
  };
}

/** The stream's events as text, a heartbeat whenever none came for `heartbeatMs`. */
function chunks(
  stream: SubscriptionStream,
  encoding: Encoding,
  shown: (result: ExecutionResult) => object,
  heartbeatMs: number,
): AsyncIterableIterator<string> {
  let pending: Promise<IteratorResult<ExecutionResult>> | undefined;
  let ended = false;
  // A heartbeat first: the headers go out with the first chunk, and the client learns the stream is open.
  let started = false;
  const iterator: AsyncIterableIterator<string> = {
    async next() {
      if (ended) return { done: true, value: undefined };
      if (!started) {
        started = true;
        return { done: false, value: encoding.heartbeat };
      }
      // The event awaited survives a heartbeat: the next call awaits it again.
      pending ??= stream.next();
      let timer: NodeJS.Timeout | undefined;
      const beat = new Promise<'beat'>((resolve) => (timer = setTimeout(() => resolve('beat'), heartbeatMs)));
      const result = await Promise.race([pending, beat]);
      clearTimeout(timer);
      if (result === 'beat') return { done: false, value: encoding.heartbeat };
      pending = undefined;
      if (result.done) {
        ended = true;
        return { done: false, value: encoding.end };
      }
      return { done: false, value: encoding.event(shown(result.value)) };
    },
    async return() {
      ended = true;
      await stream.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
