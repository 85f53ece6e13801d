/**
 * One GraphQL request as every stage of the pipeline sees it, whatever transport brought it: the
 * transport fills in what it received, the stages settle who is calling, and the first stage that answers
 * gives the answer the transport writes back.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { BaseLogger } from 'pino';
import { ANONYMOUS, type Principal } from '../../core/identity.ts';
import type { TraceSpan } from '../../core/tracing.ts';
import type { OperationLogRecord } from '../http/operation-log.ts';
import type { AuthenticationError } from './authentication.ts';
import type { SubscriptionSlot } from '../ws/subscription-plan.ts';

/** What authentication reads of a request. */
export interface CallerRequest {
  /** The request id: on every log line, returned to the client, passed to the subgraphs. */
  readonly id: string;
  readonly headers: IncomingHttpHeaders;
  /** The logger of this request, with its id. */
  readonly log: Pick<BaseLogger, 'error' | 'warn' | 'info' | 'debug'>;
}

export interface GatewayRequest extends CallerRequest {
  /** Upper-case: GET or POST over HTTP. */
  readonly method: string;
  /** The client's address, through the trusted proxies (TRUST_PROXY). */
  readonly ip: string;
  /** The query string, "?" included (Apollo Server reads a GET operation from it); a persisted document's text is put in it. */
  search: string;
  /** The query parameters, parsed; rewritten with `search`. */
  query: unknown;
  /** The body, parsed; set by the transport once it has been read. */
  body: unknown;
  /** Who is calling: ANONYMOUS until authentication settles it. */
  principal: Principal;
  /** Why the credentials were refused, answered after the rate limits counted the request. */
  authenticationFailure: AuthenticationError | null;
  /** Headers every answer to this request carries (e.g. RateLimit-*), set by the stages. */
  readonly responseHeaders: Record<string, string | number>;
  /** The request's span when traces are exported (http/request-trace.ts). */
  readonly trace?: TraceSpan;
  /** What the request's log line says of its operation, filled while Apollo Server runs it. */
  readonly operationLog: OperationLogRecord;
  /** Set by a transport that streams (gateway/ws/): a subscription start puts its plan there. */
  subscription?: SubscriptionSlot;
}

/** An answer a stage gives in place of going on. */
export interface PipelineAnswer {
  status: number;
  headers: Iterable<[string, string | number]>;
  /** An object is sent as JSON; a string as it is; an iterable in chunks (incremental delivery). */
  body: string | object | AsyncIterable<string>;
}

export function createGatewayRequest(
  fields: Omit<GatewayRequest, 'principal' | 'authenticationFailure' | 'responseHeaders' | 'body' | 'operationLog'>,
): GatewayRequest {
  // Each field named, not spread: V8 copies `{ ...fields, more }` on its slow path, about 20 µs a request when loaded.
  return {
    id: fields.id,
    method: fields.method,
    headers: fields.headers,
    ip: fields.ip,
    search: fields.search,
    query: fields.query,
    log: fields.log,
    trace: fields.trace,
    subscription: fields.subscription,
    body: undefined,
    principal: ANONYMOUS,
    authenticationFailure: null,
    responseHeaders: {},
    operationLog: {},
  };
}

/** The GraphQL payload of a request: the body of a POST (one operation or a batch), the query parameters of a GET. */
export function graphqlPayload(request: GatewayRequest): unknown {
  return request.method === 'GET' ? request.query : request.body;
}

/** A JSON answer of GraphQL errors. */
export function errorAnswer(status: number, errors: object[], headers: Record<string, string | number> = {}): PipelineAnswer {
  return { status, headers: Object.entries(headers), body: { errors } };
}
