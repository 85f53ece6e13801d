/**
 * How the gateway calls one subgraph: the caller's identity signed into headers for this very call
 * (core/identity.ts), the request id and the configured client headers passed along (header-propagation.ts),
 * identical query fetches in flight shared (inflight-deduplication.ts), each fetch through the subgraph's
 * circuit breaker and retries (subgraph-resilience.ts), over our pooled fetcher.
 *
 * It does what Apollo's RemoteGraphQLDataSource does for a gateway without APQ (same request body, same
 * errors for non-2xx answers and non-JSON bodies, subgraph Cache-Control honoured when configured), minus what
 * that class builds on every call and never uses here: a node-fetch Headers and a node-fetch Request kept only
 * for its error hooks. Measured in bench/README.md.
 */
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { FetcherResponse } from '@apollo/utils.fetcher';
import { SpanKind } from '@opentelemetry/api';
import { isBrokenCircuitError } from 'cockatiel';
import type { Logger } from 'pino';
import { TRACING_OFF, type TraceSpan, type Tracing } from '../../core/tracing.ts';
import { signedRequestHeaders, SYSTEM, type Principal } from '../../core/identity.ts';
import type { OperationLogRecord } from '../http/operation-log.ts';
import type { SubscriptionSlot } from '../ws/subscription-plan.ts';
import { NO_HEADER_PROPAGATION, propagatedHeaders, type ClientHeaders, type HeaderPropagation } from './header-propagation.ts';
import { callerKey, type InflightDeduplication } from './inflight-deduplication.ts';
import { errorFromResponse, isGraphQLErrorAnswer, unreachable } from './subgraph-errors.ts';
import { isConnectionFailure, type SubgraphResilience } from './subgraph-resilience.ts';

/** What the gateway knows of each request; built per request, never shared. */
export interface GatewayContext {
  principal: Principal;
  requestId: string;
  /** Who the request counts against in the rate limits and the cost budget (pipeline/rate-limit.ts `callerKey`). */
  caller?: string;
  /** The client's request headers: those HEADER_PROPAGATION names go on to subgraphs. */
  clientHeaders?: ClientHeaders;
  /** Filled for the request's log line (operation-log.ts). */
  operationLog?: OperationLogRecord;
  /** The request's span, when traces are exported: each subgraph call is a child of it. */
  trace?: TraceSpan;
  /**
   * While gateway/execution/plan-execution.ts executes this request, and after it gave way to the gateway's own
   * execution: the subgraph calls made so far, so that a call with the same body takes the answer already
   * fetched instead of calling the subgraph a second time.
   */
  subgraphAnswers?: SubgraphAnswer[];
  /**
   * Set once this request has sent a mutation fetch: its later fetches read what it wrote, so they are never
   * answered by a call that another request started before the write.
   */
  wrote?: boolean;
  /** For a subscription start over a transport that streams: where its plan is put (gateway/ws/subscription-plan.ts). */
  subscription?: SubscriptionSlot;
}

interface SubgraphAnswer {
  dataSource: GraphQLDataSource<GatewayContext>;
  body: string;
  call: Promise<SubgraphCall>;
}

/** An answer with the HTTP response it came in, whose body our fetcher keeps readable (fetcher.ts). */
interface SubgraphCall {
  response: FetcherResponse;
  answer: SubgraphResponse;
}

type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;
type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource<GatewayContext>['process']>>;

/**
 * A fetch of the plan execution, which copies a frozen object before it writes into it (execute-plan.ts): it
 * gets the very answer a shared call parsed, frozen, where @apollo/gateway's own execution, which merges into
 * the answers it gets, gets one parsed afresh.
 */
export type ReadOnlyProcessOptions = ProcessOptions & { readOnlyAnswer: true };

export interface SubgraphDataSourceOptions {
  /** The subgraph's name in the supergraph: the audience of its calls' signatures. */
  name: string;
  url: string;
  /** Every fetch goes through it: the subgraph's circuit breaker and retries. */
  resilience: SubgraphResilience;
  identitySecret: string;
  /** Default: no traces. */
  tracing?: Tracing;
  /** Each call logged at debug: subgraph, request id, status, duration. Default: not logged. */
  logger?: Logger;
  /** Shared by the gateway's subgraphs when SUBGRAPH_DEDUPLICATION is on. Default: every fetch makes its call. */
  deduplication?: InflightDeduplication;
  /** Default: no client header copied, Cache-Control not followed. */
  headerPropagation?: HeaderPropagation;
  /** A fetch was answered by another request's call in flight. */
  onDeduplicated?(subgraph: string): void;
}

/** The kind of operation a fetch sends: the planner writes `query`, `mutation`, `subscription` or `{` first. */
function isQueryFetch(query: string): boolean {
  return /^\s*(?:\{|query\b)/.test(query);
}

export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  readonly name: string;
  readonly url: string;
  /** What the signature binds the call to besides its body (core/identity.ts). */
  private readonly path: string;
  private readonly headerPropagation: HeaderPropagation;

  constructor(private readonly options: SubgraphDataSourceOptions) {
    this.name = options.name;
    this.url = options.url;
    this.headerPropagation = options.headerPropagation ?? NO_HEADER_PROPAGATION;
    const { pathname, search } = new URL(options.url);
    this.path = `${pathname}${search}`;
  }

  async process(options: ProcessOptions): Promise<SubgraphResponse> {
    const { request, context } = options;
    if (!request.query) throw new Error('Missing query');
    const { http: _http, ...payload } = request;
    const body = JSON.stringify(payload);
    const earlier = takeEarlierAnswer(context.subgraphAnswers, this, body);
    if (earlier) return earlier;
    const isQuery = isQueryFetch(request.query);
    const propagated = propagatedHeaders(this.headerPropagation, this.name, context.clientHeaders);
    const { deduplication, onDeduplicated } = this.options;
    // Health checks and schema fetches carry no request context: they are the gateway's own calls.
    const isIncoming = 'incomingRequestContext' in options;
    let call: Promise<SubgraphCall>;
    if (deduplication && isIncoming && isQuery && !context.wrote) {
      const shared = deduplication.share(
        body,
        callerKey(context.principal ?? SYSTEM, propagated),
        () => this.call(body, propagated, isQuery, options),
        () => onDeduplicated?.(this.name),
      );
      // A call no other fetch joined is this one's alone, to write into.
      const readOnly = (options as Partial<ReadOnlyProcessOptions>).readOnlyAnswer === true;
      // One promise, awaited below: a second one derived from `shared` and read only by a later fetch
      // (takeEarlierAnswer) would be an unhandled rejection whenever the call fails.
      call = shared.then(({ value, shared }) => (!shared ? value : readOnly ? frozen(value) : freshCopy(value)));
    } else {
      if (!isQuery) context.wrote = true;
      call = this.call(body, propagated, isQuery, options);
    }
    context.subgraphAnswers?.push({ dataSource: this, body, call });
    const { response, answer } = await call;
    if (isIncoming && this.headerPropagation.cacheControl)
      restrictCachePolicy(options.incomingRequestContext.overallCachePolicy, response.headers.get('cache-control'));
    return answer;
  }

  private async call(body: string, propagated: [string, string][], isQuery: boolean, options: ProcessOptions): Promise<SubgraphCall> {
    const { request, context } = options;
    const { identitySecret, resilience, tracing = TRACING_OFF, logger } = this.options;
    const headers: Record<string, string> = {};
    if (request.http?.headers) for (const [name, value] of request.http.headers) headers[name.toLowerCase()] = value;
    for (const [name, value] of propagated) headers[name] = value;
    headers['content-type'] = 'application/json';
    const span = tracing.start('gateway.fetch', context.trace, { 'graphql.subgraph': this.name, 'url.full': this.url }, SpanKind.CLIENT);
    tracing.inject(span, headers);
    // Each attempt is signed for itself: its subgraph, path, body and request id (identity.ts), with a
    // fresh time and nonce, when it has a connection (fetcher.ts), so that neither a retry after a wait nor
    // a call that waited behind a burst is stale. A shared call is signed for its first caller, whose
    // principal every sharer has.
    const signed = () => ({
      method: 'POST',
      body,
      headers: {
        ...headers,
        ...signedRequestHeaders({
          principal: context.principal ?? SYSTEM,
          audience: this.name,
          path: this.path,
          body,
          requestId: context.requestId,
          secret: identitySecret,
        }),
      },
    });
    let response: FetcherResponse;
    const started = performance.now();
    const logCall = (outcome: Record<string, unknown>) =>
      logger?.debug(
        { subgraph: this.name, reqId: context.requestId, durationMs: Math.round(performance.now() - started), ...outcome },
        'subgraph call',
      );
    try {
      response = await resilience.fetch(this.url, signed, isQuery);
    } catch (error) {
      logCall({ error: (error as Error).message });
      tracing.end(span, (error as Error).message);
      // A subgraph that did answer in time is not unreachable: timeouts keep the gateway's own error.
      const isUnreachable = isConnectionFailure(error) || isBrokenCircuitError(error);
      throw isUnreachable ? unreachable(this.name, request.query!, error as Error) : error;
    }
    logCall({ status: response.status });
    tracing.end(span, response.ok ? undefined : `HTTP ${response.status}`);
    const answer = await parseBody(response);
    // A 4xx with a GraphQL body (a variable its scalar refuses, say) is the subgraph's answer: its errors
    // say what was wrong, where "400: Bad Request" would not. Anything else not 2xx is an HTTP error.
    if (!response.ok && !(response.status < 500 && isGraphQLErrorAnswer(answer))) throw errorFromResponse(response, answer);
    if (typeof answer !== 'object' || answer === null) throw new Error(`Expected JSON response body, but received: ${answer}`);
    return { response, answer: { ...answer, http: response } as SubgraphResponse };
  }
}

/** The same answer parsed afresh from its body, for a reader that merges other subgraphs' data into the objects it gets. */
async function freshCopy({ response }: SubgraphCall): Promise<SubgraphCall> {
  return { response, answer: { ...(JSON.parse(await response.text()) as object), http: response } as SubgraphResponse };
}

/**
 * The answer as parsed, its data frozen (once, by its first reader), for the plan execution's fetches that
 * share it: none can write into it, so none can see what another wrote.
 */
function frozen(call: SubgraphCall): SubgraphCall {
  deepFreeze(call.answer.data);
  return call;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
}

/** An answer fetched earlier in this request for the same call, parsed afresh. */
function takeEarlierAnswer(
  answers: SubgraphAnswer[] | undefined,
  dataSource: SubgraphDataSource,
  body: string,
): Promise<SubgraphResponse> | undefined {
  const index = answers?.findIndex((earlier) => earlier.dataSource === dataSource && earlier.body === body) ?? -1;
  if (index < 0) return undefined;
  const [{ call }] = answers!.splice(index, 1) as [SubgraphAnswer];
  return call.then(freshCopy).then(({ answer }) => answer);
}

async function parseBody(response: FetcherResponse): Promise<unknown> {
  const contentType = response.headers.get('content-type');
  const isJson = contentType?.startsWith('application/json') || contentType?.startsWith('application/graphql-response+json');
  return isJson ? response.json() : response.text();
}

type CachePolicy = Extract<ProcessOptions, { incomingRequestContext: unknown }>['incomingRequestContext']['overallCachePolicy'];

/**
 * A subgraph's Cache-Control narrows the cache policy of the whole answer, as in RemoteGraphQLDataSource:
 * Apollo Server writes the narrowest (`no-store` when any answer had none, or no-store, or no max-age).
 */
function restrictCachePolicy(policy: CachePolicy | undefined, header: string | null): void {
  if (!policy || !('restrict' in policy)) return;
  const directives = new Map<string, string | true>();
  for (const part of (header ?? '').trim().split(/\s*,\s*/)) {
    const [name, value] = part.split(/\s*=\s*/, 2);
    if (name) directives.set(name.toLowerCase(), value === undefined ? true : value.replace(/^"|"$/g, ''));
  }
  const maxAge = directives.get('max-age');
  const uncacheable = directives.has('no-store') || directives.has('no-cache');
  policy.restrict({
    maxAge: !uncacheable && typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge) ? Number(maxAge) : 0,
    ...(directives.get('private') === true ? { scope: 'PRIVATE' as const } : {}),
    ...(directives.get('public') === true ? { scope: 'PUBLIC' as const } : {}),
  });
}
