/**
 * Rate limits on GraphQL requests, as two stages of the pipeline: after authentication has settled
 * `request.principal`, and with the body read.
 *
 * - Every request counts once against its caller: by API key, else by user, else by client address (so a
 *   request whose authentication failed counts against its address). The limit follows the caller's role.
 * - Every occurrence of a login field at the root of the operation that runs (through aliases, fragments and
 *   batched operations) counts once against a stricter login limit, so that one request cannot carry many
 *   attempts at guessing a code.
 *
 * Over a limit the request goes no further: HTTP 429 with `Retry-After` and `RateLimit-*` headers and a
 * RATE_LIMITED GraphQL error. The counters are @fastify/rate-limit's stores (rate-limit-counter.ts); with a
 * Redis URL they live in Redis, shared by every gateway replica. If Redis cannot be reached, requests are
 * let through (and that is logged): an outage of the counters must not become an outage of the API.
 */
import { isIPv4 } from 'node:net';
import { gatewayError, type ErrorStyle } from './error-shapes.ts';
import { normalizeIP } from '@fastify/rate-limit';
import { Kind, parse, type DocumentNode, type OperationDefinitionNode, type SelectionNode } from 'graphql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Principal } from '../../core/identity.ts';
import type { CallerKind, RateLimitName } from '../metrics/gateway-metrics.ts';
import { errorAnswer, graphqlPayload, type GatewayRequest, type PipelineAnswer } from './gateway-request.ts';
import { fragmentsByName } from './operation-limits.ts';
import { createCounter, createWeightedCounter, type Verdict } from './rate-limit-counter.ts';

/**
 * The kinds of caller a limit is set for: `authenticated` is a user or key without a role in any project;
 * the others are the roles (the scopes of `@requiresScopes`) the default configuration names. They are
 * data, not rules: the gateway knows nothing of what a role may do.
 */
const DEFAULT_LIMITS = { anonymous: 100, authenticated: 300, ADMIN: 1200, DEVELOPER: 1200, READONLY: 600, FINANCE: 600 } as const;
export type RateLimitTier = keyof typeof DEFAULT_LIMITS;
export const RATE_LIMIT_TIERS = Object.keys(DEFAULT_LIMITS) as RateLimitTier[];

export const RATE_LIMIT_DEFAULTS = {
  limits: DEFAULT_LIMITS,
  windowMs: 60_000,
  loginLimit: 10,
  loginWindowMs: 600_000,
  costBudget: 0,
  costBudgetWindowMs: 60_000,
} as const satisfies Omit<RateLimitOptions, 'logger'>;

export interface RateLimitOptions {
  /** Requests per `windowMs` by kind of caller; a user with several roles gets the highest. Default RATE_LIMIT_DEFAULTS.limits. */
  limits?: Readonly<Record<RateLimitTier, number>>;
  /** Milliseconds. Default 60000. */
  windowMs?: number;
  /** Login attempts per `loginWindowMs`, for every caller. Default 10. */
  loginLimit?: number;
  /** Milliseconds. Default 600000 (10 minutes). */
  loginWindowMs?: number;
  /** COST_BUDGET: the estimated cost (demand-control/) every caller may spend per `costBudgetWindowMs`. Default 0: no budget. */
  costBudget?: number;
  /** COST_BUDGET_WINDOW_MS, milliseconds. Default 60000. */
  costBudgetWindowMs?: number;
  /** The error shape of a refusal of this request (error-shapes.ts). Default Cognitive Cloud's. */
  errorStyleOf?: (request: GatewayRequest) => ErrorStyle;
  /** Root fields counted as login attempts: those the served supergraph declares `@loginAttempt`. Default none. */
  loginFields?: () => ReadonlySet<string>;
  /** `redis://` URL of the counters shared by the replicas. Default: counters in this process's memory. */
  redisUrl?: string;
  logger: Logger;
  /** Told of every request refused. */
  onRejected?: (limit: RateLimitName, caller: CallerKind) => void;
}

export interface RateLimits {
  /** The stage counting every request against its caller's limit; sets the RateLimit-* headers. */
  limitRequests(request: GatewayRequest): Promise<PipelineAnswer | undefined>;
  /** The stage counting the request's login attempts. */
  limitLoginAttempts(request: GatewayRequest): Promise<PipelineAnswer | undefined>;
  /** Charges an operation's cost to its caller (`callerKey`); undefined when no budget is set. */
  chargeCost(caller: string, cost: number): Promise<Verdict | undefined>;
  /** Disconnects from Redis; call once no request is left in flight. */
  close(): Promise<void>;
}

/** The two rate-limit stages, with their counters. */
export async function createRateLimits(options: RateLimitOptions): Promise<RateLimits> {
  const limits = options.limits ?? RATE_LIMIT_DEFAULTS.limits;
  const windowMs = options.windowMs ?? RATE_LIMIT_DEFAULTS.windowMs;
  const loginLimit = options.loginLimit ?? RATE_LIMIT_DEFAULTS.loginLimit;
  const loginWindowMs = options.loginWindowMs ?? RATE_LIMIT_DEFAULTS.loginWindowMs;
  const loginFields = options.loginFields ?? (() => new Set<string>());
  const redis = options.redisUrl ? await connectRedis(options.redisUrl, options.logger) : undefined;
  const count = createCounter({ redis, nameSpace: 'gateway-rate-limit:' });
  const spend = createWeightedCounter({ redis, nameSpace: 'gateway-rate-limit:' });
  const costBudget = options.costBudget ?? RATE_LIMIT_DEFAULTS.costBudget;
  const costBudgetWindowMs = options.costBudgetWindowMs ?? RATE_LIMIT_DEFAULTS.costBudgetWindowMs;

  const refuse = (request: GatewayRequest, limit: RateLimitName, verdict: Verdict, what: string): PipelineAnswer => {
    options.onRejected?.(limit, callerOf(request).kind);
    const style = options.errorStyleOf?.(request) ?? 'cognitive-cloud';
    const error = gatewayError(style, 'RATE_LIMITED', `Too many ${what}; retry in ${verdict.ttlInSeconds} s`, {
      retryAfter: verdict.ttlInSeconds,
    });
    return errorAnswer(429, [error], { ...headersOf(verdict), 'retry-after': verdict.ttlInSeconds });
  };

  return {
    async limitRequests(request) {
      const verdict = await count(`requests:${callerKey(request)}`, limitOf(request.principal, limits), windowMs);
      if (verdict.isExceeded) return refuse(request, 'requests', verdict, 'requests');
      Object.assign(request.responseHeaders, headersOf(verdict));
      return undefined;
    },
    async limitLoginAttempts(request) {
      const attempts = countLoginAttempts(graphqlPayload(request), loginFields());
      // One count per attempt; the first over the limit refuses the whole request.
      for (let attempt = 0; attempt < attempts; attempt++) {
        const verdict = await count(`login:${callerKey(request)}`, loginLimit, loginWindowMs);
        if (verdict.isExceeded) return refuse(request, 'login', verdict, 'login attempts');
      }
      return undefined;
    },
    chargeCost: async (caller, cost) => (costBudget > 0 ? spend(`cost:${caller}`, cost, costBudget, costBudgetWindowMs) : undefined),
    // No request is left in flight; disconnecting cannot hang on a Redis that went away.
    close: async () => redis?.disconnect(),
  };
}

function headersOf({ max, remaining, ttlInSeconds }: Verdict): Record<string, number> {
  return { 'ratelimit-limit': max, 'ratelimit-remaining': remaining, 'ratelimit-reset': ttlInSeconds };
}

export function callerOf(request: GatewayRequest): { kind: CallerKind; id: string } {
  const principal = request.principal;
  if (principal?.kind === 'apiKey') return { kind: 'api_key', id: principal.keyId };
  if (principal?.kind === 'user') return { kind: 'user', id: principal.userId };
  // normalizeIP only lower-cases an IPv4 address, after a long IPv6 regular expression: spared for IPv4.
  return { kind: 'address', id: isIPv4(request.ip) ? request.ip : normalizeIP(request.ip) };
}

/** Who a request counts against, in every limit: `kind:id`. */
export function callerKey(request: GatewayRequest): string {
  const { kind, id } = callerOf(request);
  return `${kind}:${id}`;
}

function limitOf(principal: Principal | null, limits: Readonly<Record<RateLimitTier, number>>): number {
  if (principal?.kind !== 'apiKey' && principal?.kind !== 'user') return limits.anonymous;
  // A role the limits do not name counts as `authenticated`.
  return Math.max(
    limits.authenticated,
    ...Object.values(principal.roles).map((role) => limits[role as RateLimitTier] ?? limits.authenticated),
  );
}

/**
 * How many times a GraphQL request payload (one request, or a batch) calls a login field at the root of the
 * operation that would run. A payload that does not parse counts nothing: Apollo Server refuses it unrun.
 */
export function countLoginAttempts(payload: unknown, loginFields: ReadonlySet<string>): number {
  let attempts = 0;
  for (const item of Array.isArray(payload) ? payload : [payload]) {
    const { query, operationName } = (item ?? {}) as { query?: unknown; operationName?: unknown };
    if (typeof query !== 'string') continue;
    if (!mentionsAny(query, loginFields)) continue;
    let document: DocumentNode;
    try {
      document = parse(query, { noLocation: true });
    } catch {
      continue;
    }
    attempts += countInDocument(document, typeof operationName === 'string' ? operationName : undefined, loginFields);
  }
  return attempts;
}

/** Most requests name no login field at all: a substring search spares them a second parse. */
function mentionsAny(query: string, names: ReadonlySet<string>): boolean {
  for (const name of names) if (query.includes(name)) return true;
  return false;
}

function countInDocument(document: DocumentNode, operationName: string | undefined, loginFields: ReadonlySet<string>): number {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const fragments = fragmentsByName(document);
  // Without operationName, only a document of one operation runs.
  const runs =
    operationName === undefined
      ? operations.length === 1
        ? operations
        : []
      : operations.filter((operation) => operation.name?.value === operationName);

  // Each fragment is counted once however often it is spread, so a crafted document cannot make this slow.
  const perFragment = new Map<string, number>();
  const countSelections = (selections: readonly SelectionNode[]): number =>
    selections.reduce((sum, selection) => sum + countSelection(selection), 0);
  const countSelection = (selection: SelectionNode): number => {
    if (selection.kind === Kind.FIELD) return loginFields.has(selection.name.value) ? 1 : 0;
    if (selection.kind === Kind.INLINE_FRAGMENT) return countSelections(selection.selectionSet.selections);
    const name = selection.name.value;
    if (!perFragment.has(name)) {
      perFragment.set(name, 0); // a fragment spreading itself adds nothing (and fails validation anyway)
      const fragment = fragments.get(name);
      perFragment.set(name, fragment ? countSelections(fragment.selectionSet.selections) : 0);
    }
    return perFragment.get(name)!;
  };
  return runs.reduce((sum, operation) => sum + countSelections(operation.selectionSet.selections), 0);
}

async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  // Loaded only when configured: ioredis alone adds about 12 MB to the gateway's resident memory.
  const { Redis } = await import('ioredis');
  // Short timeouts and one retry: while Redis is unreachable, requests pass unlimited rather than wait.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 1_000 });
  let reachable = true;
  redis.on('error', (error: Error) => {
    if (reachable) logger.warn({ err: error }, 'rate-limit counters unreachable in Redis; requests pass unlimited until it is back');
    reachable = false;
  });
  redis.on('ready', () => {
    if (!reachable) logger.info('rate-limit counters reachable in Redis again');
    reachable = true;
  });
  return redis;
}
