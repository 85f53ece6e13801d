/**
 * How the gateway calls one subgraph: the caller's identity signed into headers for this very call
 * (core/identity.ts), the request id passed along, over our pooled fetcher.
 *
 * It does what Apollo's RemoteGraphQLDataSource does for a gateway without APQ (same request body, same
 * errors for non-2xx answers and non-JSON bodies, subgraph Cache-Control honoured), minus what that class
 * builds on every call and never uses here: a node-fetch Headers and a node-fetch Request kept only for
 * its error hooks. Measured in bench/README.md.
 */
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { SpanKind } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { GraphQLError, Kind, parse } from 'graphql';
import { TRACING_OFF, type TraceSpan, type Tracing } from '../../core/tracing.ts';
import { cognitiveCloudError } from '../../core/errors.ts';
import { signedRequestHeaders, SYSTEM, type Principal } from '../../core/identity.ts';
import type { OperationLogRecord } from '../http/operation-log.ts';
import type { SubscriptionSlot } from '../ws/subscription-plan.ts';

/** What the gateway knows of each request; built per request, never shared. */
export interface GatewayContext {
  principal: Principal;
  requestId: string;
  /** Who the request counts against in the rate limits and the cost budget (pipeline/rate-limit.ts `callerKey`). */
  caller?: string;
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

export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  /** What the signature binds the call to besides its body (core/identity.ts). */
  private readonly path: string;

  constructor(
    /** The subgraph's name in the supergraph: the audience of its calls' signatures. */
    readonly name: string,
    readonly url: string,
    private readonly fetcher: Fetcher,
    private readonly identitySecret: string,
    private readonly tracing: Tracing = TRACING_OFF,
    /** Each call logged at debug: subgraph, request id, status, duration. Default: not logged. */
    private readonly logger?: Logger,
  ) {
    const { pathname, search } = new URL(url);
    this.path = `${pathname}${search}`;
  }

  async process(options: ProcessOptions): Promise<SubgraphResponse> {
    const { request, context } = options;
    if (!request.query) throw new Error('Missing query');
    const { http: _http, ...payload } = request;
    const body = JSON.stringify(payload);
    const earlier = takeEarlierAnswer(context.subgraphAnswers, this, body);
    if (earlier) return earlier;
    const call = this.call(body, options);
    context.subgraphAnswers?.push({ dataSource: this, body, call });
    return call.then(({ answer }) => answer);
  }

  private async call(body: string, options: ProcessOptions): Promise<SubgraphCall> {
    const { request, context } = options;
    const headers: Record<string, string> = {};
    if (request.http?.headers) for (const [name, value] of request.http.headers) headers[name.toLowerCase()] = value;
    headers['content-type'] = 'application/json';
    // Health checks and schema fetches carry no request context: they are the gateway's own calls.
    // Each call is signed for itself: its subgraph, path, body and request id (identity.ts).
    Object.assign(
      headers,
      signedRequestHeaders({
        principal: context.principal ?? SYSTEM,
        audience: this.name,
        path: this.path,
        body,
        requestId: context.requestId,
        secret: this.identitySecret,
      }),
    );

    const span = this.tracing.start(
      'gateway.fetch',
      context.trace,
      { 'graphql.subgraph': this.name, 'url.full': this.url },
      SpanKind.CLIENT,
    );
    this.tracing.inject(span, headers);
    let response: FetcherResponse;
    const started = performance.now();
    const logCall = (outcome: Record<string, unknown>) =>
      this.logger?.debug(
        { subgraph: this.name, reqId: context.requestId, durationMs: Math.round(performance.now() - started), ...outcome },
        'subgraph call',
      );
    try {
      response = await this.fetcher(this.url, { method: 'POST', headers, body });
    } catch (error) {
      logCall({ error: (error as Error).message });
      this.tracing.end(span, (error as Error).message);
      // A subgraph that did answer in time is not unreachable: timeouts keep the gateway's own error.
      throw isConnectionFailure(error) ? unreachable(this.name, request.query!, error as Error) : error;
    }
    logCall({ status: response.status });
    this.tracing.end(span, response.ok ? undefined : `HTTP ${response.status}`);
    const answer = await parseBody(response);
    // A 4xx with a GraphQL body (a variable its scalar refuses, say) is the subgraph's answer: its errors
    // say what was wrong, where "400: Bad Request" would not. Anything else not 2xx is an HTTP error.
    if (!response.ok && !(response.status < 500 && isGraphQLErrorAnswer(answer))) throw errorFromResponse(response, answer);
    if (typeof answer !== 'object' || answer === null) throw new Error(`Expected JSON response body, but received: ${answer}`);
    if ('incomingRequestContext' in options)
      restrictCachePolicy(options.incomingRequestContext.overallCachePolicy, response.headers.get('cache-control'));
    return { response, answer: { ...answer, http: response } as SubgraphResponse };
  }
}

/**
 * An answer fetched earlier in this request for the same call, parsed afresh from its body: the first
 * reader may have merged other subgraphs' data into the objects it parsed.
 */
function takeEarlierAnswer(
  answers: SubgraphAnswer[] | undefined,
  dataSource: SubgraphDataSource,
  body: string,
): Promise<SubgraphResponse> | undefined {
  const index = answers?.findIndex((earlier) => earlier.dataSource === dataSource && earlier.body === body) ?? -1;
  if (index < 0) return undefined;
  const [{ call }] = answers!.splice(index, 1) as [SubgraphAnswer];
  return call.then(async ({ response }) => ({ ...(JSON.parse(await response.text()) as object), http: response }) as SubgraphResponse);
}

async function parseBody(response: FetcherResponse): Promise<unknown> {
  const contentType = response.headers.get('content-type');
  const isJson = contentType?.startsWith('application/json') || contentType?.startsWith('application/graphql-response+json');
  return isJson ? response.json() : response.text();
}

/** Codes of a connection that could not be made or was dropped: the subgraph is down or gone, not slow. */
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

function isConnectionFailure(error: unknown): boolean {
  for (let cause = error as { code?: unknown; cause?: unknown } | undefined; cause; cause = cause.cause as typeof cause) {
    if (typeof cause.code === 'string' && CONNECTION_FAILURES.has(cause.code)) return true;
  }
  return false;
}

/**
 * A subgraph that could not be reached (refused, reset, its name or route gone): an error naming it, at the first root
 * field of its call when that is a root fetch (an entity fetch's place in the answer is the plan's, not
 * the call's). The cause goes to the log through `originalError`, not to the client.
 */
function unreachable(name: string, query: string, cause: Error): GraphQLError {
  const operation = parse(query, { noLocation: true }).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const first = operation?.selectionSet.selections[0];
  const rootKey = first?.kind === Kind.FIELD && first.name.value !== '_entities' ? (first.alias ?? first.name).value : undefined;
  const error = cognitiveCloudError('SUBGRAPH_UNAVAILABLE', `The ${name} service could not be reached`, { serviceName: name });
  return new GraphQLError(error.message, {
    extensions: error.extensions,
    path: rootKey === undefined ? undefined : [rootKey],
    originalError: cause,
  });
}

function isGraphQLErrorAnswer(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as { errors?: unknown }).errors) &&
    (body as { errors: unknown[] }).errors.length > 0
  );
}

/** The error RemoteGraphQLDataSource raises for a non-2xx answer, to the letter. */
function errorFromResponse(response: FetcherResponse, body: unknown): GraphQLError {
  const extensions: Record<string, unknown> = {
    response: { url: response.url, status: response.status, statusText: response.statusText, body },
  };
  if (response.status === 401) extensions.code = 'UNAUTHENTICATED';
  else if (response.status === 403) extensions.code = 'FORBIDDEN';
  return new GraphQLError(`${response.status}: ${response.statusText}`, { extensions });
}

type CachePolicy = Extract<ProcessOptions, { incomingRequestContext: unknown }>['incomingRequestContext']['overallCachePolicy'];

/** A subgraph's Cache-Control narrows the cache policy of the whole answer, as in RemoteGraphQLDataSource. */
function restrictCachePolicy(policy: CachePolicy | undefined, header: string | null): void {
  if (!policy || !('restrict' in policy)) return;
  const directives = new Map<string, string | true>();
  for (const part of (header ?? '').trim().split(/\s*,\s*/)) {
    const [name, value] = part.split(/\s*=\s*/, 2);
    if (name) directives.set(name, value === undefined ? true : value.replace(/^"|"$/g, ''));
  }
  const maxAge = directives.get('max-age');
  policy.restrict({
    maxAge: typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge) ? Number(maxAge) : 0,
    ...(directives.get('private') === true ? { scope: 'PRIVATE' as const } : {}),
    ...(directives.get('public') === true ? { scope: 'PUBLIC' as const } : {}),
  });
}
