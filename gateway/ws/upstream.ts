/**
 * The primary fetch of a subscription, opened over graphql-ws to the subgraph that owns its root field:
 * its routing URL as ws(s)://, or the URL SUBSCRIPTION_UPSTREAM_URLS gives it, the caller's identity signed into the upgrade request as for any subgraph
 * call (subgraphs/kit/identity.ts: audience, GET, path, request id). One socket per client subscription:
 * the signature binds the socket to one caller and one request, and a socket dies with its subscription,
 * so a client gone or a subgraph gone touches no one else (bench/README.md would measure multiplexing).
 */
import type { ClientRequest } from 'node:http';
import { createClient } from 'graphql-ws';
import type { ExecutionResult } from 'graphql';
import WebSocket from 'ws';
import { signedRequestHeaders } from '../../core/identity.ts';
import type { StartedSubscription } from './subscription-plan.ts';

export interface UpstreamSink {
  next(event: ExecutionResult): void;
  /** The upstream ended abnormally: the subgraph closed, died or refused; `reason` says how. */
  fail(reason: string): void;
  complete(): void;
}

/**
 * A WebSocket whose upgrade request carries `headers`, made once its TCP connection is, right before the
 * request is written (ws's `finishRequest`), not when the socket is made: in between, the connects of a
 * burst of subscription starts wait for a busy gateway's event loop (1 to 2 s of a burst of 1,000 in one
 * process). Each socket made is kept in `made`.
 */
function signedSocket(headers: () => Record<string, string>, made: Set<WebSocket>) {
  const finishRequest = (request: ClientRequest) =>
    request.once('socket', (socket) => {
      const send = () => {
        for (const [name, value] of Object.entries(headers())) request.setHeader(name, value);
        request.end();
      };
      if (socket.connecting) socket.once('connect', send);
      else send();
    });
  return class SignedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { finishRequest });
      made.add(this);
    }
  };
}

function reasonOf(error: unknown): string {
  if (Array.isArray(error)) return error.map((each: { message?: string }) => each.message).join('; ');
  const closed = error as { code?: number; reason?: string; message?: string };
  if (typeof closed?.code === 'number')
    return `the subgraph closed the connection (${closed.code}${closed.reason ? `: ${closed.reason}` : ''})`;
  return closed?.message ?? 'the subgraph connection failed';
}

/** Where a subscription's primary goes: `override` when the settings give one, else the routing URL as ws(s)://. */
export function upstreamUrl(routingUrl: string, override: string | undefined): URL {
  if (override) return new URL(override);
  const url = new URL(routingUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}

/** Opens the primary at `url`; the returned function closes it (the client went away). */
export function openUpstream(started: StartedSubscription, url: URL, identitySecret: string, sink: UpstreamSink): () => void {
  const { primary, context } = started;
  const sockets = new Set<WebSocket>();
  const client = createClient({
    url: url.href,
    lazy: true,
    retryAttempts: 0,
    webSocketImpl: signedSocket(
      () =>
        signedRequestHeaders({
          principal: context.principal,
          audience: primary.serviceName,
          method: 'GET',
          path: `${url.pathname}${url.search}`,
          requestId: context.requestId,
          secret: identitySecret,
        }),
      sockets,
    ),
  });
  const unsubscribe = client.subscribe(
    { query: primary.operation, operationName: primary.operationName, variables: started.primaryVariables },
    { next: (event) => sink.next(event as ExecutionResult), error: (error) => sink.fail(reasonOf(error)), complete: () => sink.complete() },
  );
  return () => {
    unsubscribe();
    // A socket that never opened rejects its disposal with the reason, already given to the sink.
    void Promise.resolve(client.dispose()).catch(() => {});
    // A socket still connecting when the client went away would open and stay: graphql-ws closes only open ones.
    for (const socket of sockets) if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
  };
}
