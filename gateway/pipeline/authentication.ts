/**
 * Who is calling: `Authorization: Bearer <API key or JWT>`, checked against the accounts service over its
 * internal contract (accounts README): a JWT (three dot-separated parts) is verified against accounts' JWKS,
 * then `/internal/authenticate/user` says whether it was revoked and gives the user's roles; anything else is
 * an API key, resolved by `/internal/authenticate/api-key`. Both calls carry a `system` identity.
 *
 * Answers are cached (keyed by a SHA-256 of the credential, never the credential itself) for at most
 * `cacheTtlMs` (5 s at most), so a key deleted or a token revoked through another replica stops working
 * within that time; refusals are cached for `negativeCacheTtlMs`. A change made through THIS gateway
 * (see CREDENTIAL_MUTATIONS) drops every cached answer as soon as the mutation has run, so it counts at once.
 *
 * A request with a bad credential is not refused here: it goes on as anonymous with
 * `request.authenticationFailure` set, so that the rate limits (keyed by client address for anonymous
 * callers) count it, and `refuseFailedAuthentication`, the stage after them, answers it. Nothing of such a
 * request reaches a subgraph.
 */
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, parse } from 'graphql';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { request as undiciRequest, type Dispatcher } from 'undici';
import { cognitiveCloudError } from '../../subgraphs/kit/errors.ts';
import { ANONYMOUS, signedRequestHeaders, SYSTEM, type Principal } from '../../subgraphs/kit/identity.ts';
import { errorAnswer, type CallerRequest, type GatewayRequest, type PipelineAnswer } from './gateway-request.ts';
import { fragmentsByName, rootFieldNames } from './operation-limits.ts';

/** Root fields whose success changes what an existing key or token may do. */
export const CREDENTIAL_MUTATIONS: ReadonlySet<string> = new Set([
  'create_project',
  'add_project_member',
  'update_project_member',
  'remove_project_member',
  'update_api_key',
  'delete_api_key',
  'logout',
]);

export interface AuthenticationOptions {
  identitySecret: string;
  /** ACCOUNTS_URL: where accounts answers. Default: the origin of the supergraph's `accounts` routing URL. */
  accountsUrl?: string;
  /** AUTH_CACHE_TTL_MS, default 5000 (at most 5000): how long an accepted credential is trusted without asking. */
  cacheTtlMs: number;
  /** AUTH_NEGATIVE_CACHE_TTL_MS, default 1000: how long a refused credential is refused without asking. */
  negativeCacheTtlMs: number;
  /** AUTH_CACHE_MAX_ENTRIES, default 10000: how many credentials are remembered at most. */
  cacheMaxEntries: number;
  /**
   * AUTH_STALE_IF_ERROR_MS, default 60000 (0 turns it off): while accounts cannot be reached, a credential it
   * accepted within this time is still accepted, with the principal it had then. Never past a token's `exp`,
   * never after a credential change through this gateway (forgetAll), never after accounts refused it.
   */
  staleIfErrorMs: number;
  /** How long a call to accounts may take, in milliseconds. */
  timeoutMs: number;
  /** The gateway's connection pool. */
  dispatcher: Dispatcher;
  logger: Logger;
  /** Told of each refused credential, with one of FAILURE_REASONS (for metrics). */
  onFailure?: (reason: FailureReason) => void;
  /** Told of each lookup in a cache: `credentials` for every credential, `stale` when accounts could not be reached (for metrics). */
  onCacheLookup?: (cache: 'credentials' | 'stale', hit: boolean) => void;
}

export const FAILURE_REASONS = ['malformed', 'unknown_key', 'expired', 'forged', 'invalid_token', 'revoked', 'accounts_unreachable'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** A credential that is not valid; its message is told to the caller. */
export class AuthenticationError extends Error {}

/** A credential that could not be checked just now: the client should retry, not throw its credential away. */
export class AuthenticationUnavailableError extends AuthenticationError {}

/** `Retry-After` of an answer to AuthenticationUnavailableError, in seconds: about as long as a restart takes. */
export const AUTHENTICATION_RETRY_AFTER_S = 5;

export interface Authenticator {
  /** The caller's principal; ANONYMOUS without credentials. Throws AuthenticationError for bad ones. */
  authenticate(request: CallerRequest): Promise<Principal>;
  /** Follows the supergraph, for the `accounts` routing URL. */
  useSupergraph(supergraphSdl: string): void;
  /** Drops every cached answer. */
  forgetAll(): void;
  /** Drops cached answers after a mutation of CREDENTIAL_MUTATIONS. */
  plugin: ApolloServerPlugin;
}

type Outcome = { principal: Principal } | { refused: string; reason: FailureReason };
type Accepted = Extract<Outcome, { principal: Principal }>;

const BEARER = /^Bearer ([\x21-\x7e]{1,4096})$/i;
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;
/**
 * The longest API key accounts' internal contract takes (a longer one is a 400 there, which would read as
 * accounts being down). A token may be longer: it is verified here, and only its `sub` and `jti` are sent.
 */
export const MAX_API_KEY_LENGTH = 1024;
const INTERNAL_ROUTE_REFUSED = 401;
/** jose's error codes that mean the token itself is bad (forged, expired, malformed, unknown key). */
const TOKEN_FAULTS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
]);
/** Of those, the ones that mean a signature accounts did not make. */
const FORGERY = new Set(['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWKS_NO_MATCHING_KEY']);

/** The `url` of `@join__graph(name: <name>)` in a supergraph. */
export function subgraphRoutingUrl(supergraphSdl: string, name: string): string | undefined {
  for (const definition of parse(supergraphSdl, { noLocation: true }).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((directive) => directive.name.value === 'join__graph');
      const argument = (argumentName: string) => {
        const node = graph?.arguments?.find((candidate) => candidate.name.value === argumentName)?.value;
        return node?.kind === Kind.STRING ? node.value : undefined;
      };
      if (argument('name') === name) return argument('url');
    }
  }
  return undefined;
}

export function createAuthenticator(options: AuthenticationOptions): Authenticator {
  const { identitySecret, logger } = options;
  const cache = new LRUCache<string, Outcome>({ max: options.cacheMaxEntries, ttl: options.cacheTtlMs });
  // What accounts accepted lately, served only while it cannot be reached (staleIfErrorMs).
  const stale = new LRUCache<string, Accepted>({ max: options.cacheMaxEntries, ttl: Math.max(options.staleIfErrorMs, 1) });
  // Bumped by forgetAll: an answer fetched before a change must not be cached after it.
  let generation = 0;
  let accountsOrigin = options.accountsUrl ? new URL(options.accountsUrl).origin : undefined;
  let jwks: JWTVerifyGetKey | undefined;

  const origin = (): string => {
    if (!accountsOrigin) throw new Error('no accounts service: the supergraph has no `accounts` subgraph and ACCOUNTS_URL is unset');
    return accountsOrigin;
  };

  const callAccounts = async (path: string, payload: unknown, refusal: FailureReason, requestId: string): Promise<Outcome> => {
    const body = JSON.stringify(payload);
    const identity = signedRequestHeaders({ principal: SYSTEM, audience: 'accounts', path, body, requestId, secret: identitySecret });
    const response = await undiciRequest(`${origin()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...identity },
      body,
      dispatcher: options.dispatcher,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const answer = (await response.body.json()) as { principal?: Principal; error?: string };
    if (response.statusCode === INTERNAL_ROUTE_REFUSED) return { refused: answer.error ?? 'refused', reason: refusal };
    if (response.statusCode !== 200 || !answer.principal) throw new Error(`accounts ${path} answered HTTP ${response.statusCode}`);
    return { principal: answer.principal };
  };

  const checkToken = async (token: string, requestId: string): Promise<{ outcome: Outcome; expiresAt?: number }> => {
    jwks ??= createRemoteJWKSet(new URL('/.well-known/jwks.json', origin()));
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(token, jwks, { issuer: 'accounts', algorithms: ['EdDSA'], requiredClaims: ['sub', 'jti', 'exp'] }));
    } catch (error) {
      // Only faults of the token are refusals; a JWKS that cannot be had is ours, and is not cached.
      const code = (error as { code?: string }).code ?? '';
      if (!TOKEN_FAULTS.has(code)) throw error;
      const reason = code === 'ERR_JWT_EXPIRED' ? 'expired' : FORGERY.has(code) ? 'forged' : 'invalid_token';
      return { outcome: { refused: 'invalid or expired token', reason } };
    }
    const outcome = await callAccounts('/internal/authenticate/user', { userId: claims.sub, tokenId: claims.jti }, 'revoked', requestId);
    return { outcome, expiresAt: claims.exp! * 1000 };
  };

  // Asks accounts, and caches the answer unless a change was made meanwhile. Errors are ours: not cached.
  const lookUp = async (credential: string, cacheKey: string, requestId: string): Promise<Outcome> => {
    const asOf = generation;
    const { outcome, expiresAt } = JWT.test(credential)
      ? await checkToken(credential, requestId)
      : { outcome: await callAccounts('/internal/authenticate/api-key', { key: credential }, 'unknown_key', requestId), expiresAt: undefined };
    if (asOf !== generation) return outcome;
    const untilExpiry = (expiresAt ?? Infinity) - Date.now();
    if ('refused' in outcome) {
      stale.delete(cacheKey);
      if (options.negativeCacheTtlMs > 0) cache.set(cacheKey, outcome, { ttl: options.negativeCacheTtlMs });
      return outcome;
    }
    const ttl = Math.min(options.cacheTtlMs, untilExpiry);
    if (ttl > 0) cache.set(cacheKey, outcome, { ttl });
    const staleTtl = Math.min(options.staleIfErrorMs, untilExpiry);
    if (staleTtl > 0) stale.set(cacheKey, outcome, { ttl: staleTtl });
    return outcome;
  };
  // Concurrent requests with the same uncached credential share one lookup.
  let inFlight = new Map<string, Promise<Outcome>>();

  const authenticate = async (request: CallerRequest): Promise<Principal> => {
    const header = request.headers.authorization;
    if (header === undefined) return ANONYMOUS;
    const credential = BEARER.exec(header)?.[1];
    if (!credential) {
      options.onFailure?.('malformed');
      throw new AuthenticationError('Send credentials as "Authorization: Bearer <API key or token>"');
    }
    if (credential.length > MAX_API_KEY_LENGTH && !JWT.test(credential)) {
      options.onFailure?.('malformed');
      throw new AuthenticationError(`Invalid credentials: an API key has at most ${MAX_API_KEY_LENGTH} characters`);
    }

    const cacheKey = createHash('sha256').update(credential).digest('base64url');
    let outcome = cache.get(cacheKey);
    options.onCacheLookup?.('credentials', outcome !== undefined);
    if (!outcome) {
      let pending = inFlight.get(cacheKey);
      if (!pending) {
        const lookups = inFlight;
        pending = lookUp(credential, cacheKey, request.id).finally(() => lookups.delete(cacheKey));
        lookups.set(cacheKey, pending);
      }
      try {
        outcome = await pending;
      } catch (error) {
        const earlier = stale.get(cacheKey);
        options.onCacheLookup?.('stale', earlier !== undefined);
        if (earlier) {
          request.log.warn({ err: error }, 'accounts unreachable: serving a credential it accepted lately');
          return earlier.principal;
        }
        request.log.error({ err: error }, 'could not check credentials with accounts');
        options.onFailure?.('accounts_unreachable');
        throw new AuthenticationUnavailableError('Credentials could not be checked just now; try again');
      }
    }
    if ('refused' in outcome) {
      options.onFailure?.(outcome.reason);
      throw new AuthenticationError(`Invalid credentials: ${outcome.refused}`);
    }
    return outcome.principal;
  };

  const forgetAll = () => {
    generation += 1;
    cache.clear();
    stale.clear();
    // Requests after a change must not join a lookup that started before it.
    inFlight = new Map();
  };

  return {
    authenticate,
    forgetAll,
    useSupergraph(supergraphSdl) {
      if (options.accountsUrl) return;
      const url = subgraphRoutingUrl(supergraphSdl, 'accounts');
      const next = url ? new URL(url).origin : undefined;
      if (next === accountsOrigin) return;
      accountsOrigin = next;
      jwks = undefined;
      logger.info({ accountsOrigin }, 'authenticating against accounts');
    },
    plugin: {
      async requestDidStart() {
        return {
          async willSendResponse({ operation, document }) {
            if (operation?.operation !== 'mutation' || !document) return;
            if (rootFieldNames(operation, fragmentsByName(document)).some((name) => CREDENTIAL_MUTATIONS.has(name))) forgetAll();
          },
        };
      },
    },
  };
}

/** The authentication stage: settles `request.principal`, recording a failure instead of answering it. */
export function authenticationStage(authenticate: (request: CallerRequest) => Promise<Principal>) {
  return async (request: GatewayRequest): Promise<undefined> => {
    try {
      request.principal = await authenticate(request);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      request.principal = ANONYMOUS;
      request.authenticationFailure = error;
    }
    return undefined;
  };
}

/** The stage after the rate limits: answers a request whose credentials were refused, once they counted it. */
export function refuseFailedAuthentication(request: GatewayRequest): PipelineAnswer | undefined {
  const failure = request.authenticationFailure;
  if (failure === null) return undefined;
  if (failure instanceof AuthenticationUnavailableError) {
    const error = cognitiveCloudError('AUTHENTICATION_UNAVAILABLE', failure.message, { retryAfter: AUTHENTICATION_RETRY_AFTER_S });
    return errorAnswer(503, [error.toJSON()], { 'retry-after': AUTHENTICATION_RETRY_AFTER_S });
  }
  return errorAnswer(200, [cognitiveCloudError('UNAUTHENTICATED', failure.message).toJSON()]);
}
