/**
 * Who is calling: `Authorization: Bearer <API key or JWT>`, checked with the credential issuers the gateway
 * is configured with (credential-issuers.ts; accounts and Dalet by default). A JWT (three dot-separated
 * parts) goes to the issuer its `iss` claim names: verified against that issuer's JWKS, then resolved by
 * its service, which says whether it was revoked and gives the user's roles; anything else is an API key,
 * resolved by the issuer that takes API keys (issuer-client.ts).
 *
 * Answers are cached (keyed by a SHA-256 of the credential, never the credential itself) for at most
 * `cacheTtlMs` (5 s at most), so a key deleted or a token revoked through another replica stops working
 * within that time; refusals are cached for `negativeCacheTtlMs`. A change made through THIS gateway
 * (a root field its subgraph declares `@revokesCredentials`) drops every cached answer as soon as the mutation has run, so it counts at once.
 * While an issuer cannot be reached, what it accepted lately is still accepted for `staleIfErrorMs`.
 *
 * A request with a bad credential is not refused here: it goes on as anonymous with
 * `request.authenticationFailure` set, so that the rate limits (keyed by client address for anonymous
 * callers) count it, and `refuseFailedAuthentication`, the stage after them, answers it. Nothing of such a
 * request reaches a subgraph.
 */
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { decodeJwt } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { ANONYMOUS, type Principal } from '../../core/identity.ts';
import type { SubgraphFetcher } from '../execution/fetcher.ts';
import { readSupergraph } from '../supergraph/supergraph-document.ts';
import { DEFAULT_ISSUERS, type CredentialIssuer } from './credential-issuers.ts';
import { gatewayError, type ErrorStyle } from './error-shapes.ts';
import { errorAnswer, type CallerRequest, type GatewayRequest, type PipelineAnswer } from './gateway-request.ts';
import { createIssuerClient, type FailureReason, type IssuerClient, type Outcome } from './issuer-client.ts';
import { fragmentsByName, rootFieldNames } from './operation-limits.ts';

export { FAILURE_REASONS, type FailureReason } from './issuer-client.ts';

export interface AuthenticationOptions {
  identitySecret: string;
  /** AUTH_ISSUERS (with ACCOUNTS_URL): whose credentials are accepted. Default DEFAULT_ISSUERS. */
  issuers?: readonly CredentialIssuer[];
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
  /** The gateway's subgraph fetcher, whose timeout a call to an issuer has (../execution/fetcher.ts). */
  fetcher: SubgraphFetcher;
  logger: Logger;
  /** Told of each refused credential, with one of FAILURE_REASONS (for metrics). */
  onFailure?: (reason: FailureReason) => void;
  /** Told of each lookup in a cache: `credentials` for every credential, `stale` when accounts could not be reached (for metrics). */
  onCacheLookup?: (cache: 'credentials' | 'stale', hit: boolean) => void;
}

/** A credential that is not valid; its message is told to the caller. */
export class AuthenticationError extends Error {}

/** A credential that could not be checked just now: the client should retry, not throw its credential away. */
export class AuthenticationUnavailableError extends AuthenticationError {}

/** `Retry-After` of an answer to AuthenticationUnavailableError, in seconds: about as long as a restart takes. */
export const AUTHENTICATION_RETRY_AFTER_S = 5;

export interface Authenticator {
  /** The caller's principal; ANONYMOUS without credentials. Throws AuthenticationError for bad ones. */
  authenticate(request: CallerRequest): Promise<Principal>;
  /** Follows the supergraph, for the routing URLs of the issuers' subgraphs. */
  useSupergraph(supergraphSdl: string): void;
  /** Drops every cached answer. */
  forgetAll(): void;
  /** Drops cached answers after a mutation declared `@revokesCredentials` has run. */
  plugin: ApolloServerPlugin;
}

type Accepted = Extract<Outcome, { principal: Principal }>;

const BEARER = /^Bearer ([\x21-\x7e]{1,4096})$/i;
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;
export function createAuthenticator(options: AuthenticationOptions): Authenticator {
  const { identitySecret, logger } = options;
  const cache = new LRUCache<string, Outcome>({ max: options.cacheMaxEntries, ttl: options.cacheTtlMs });
  // What accounts accepted lately, served only while it cannot be reached (staleIfErrorMs).
  const stale = new LRUCache<string, Accepted>({ max: options.cacheMaxEntries, ttl: Math.max(options.staleIfErrorMs, 1) });
  // Bumped by forgetAll: an answer fetched before a change must not be cached after it.
  let generation = 0;
  const clients = (options.issuers ?? DEFAULT_ISSUERS).map((issuer) => createIssuerClient(issuer, { ...options, logger }));
  const byIss = new Map(clients.map((client) => [client.issuer.token.iss, client]));
  const keyIssuer: IssuerClient | undefined = clients.find((client) => client.issuer.apiKeys);
  const maxKeyLength = keyIssuer?.issuer.apiKeys?.maxLength ?? 0;

  const checkToken = async (token: string, requestId: string): Promise<{ outcome: Outcome; expiresAt?: number }> => {
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      return { outcome: { refused: 'invalid or expired token', reason: 'invalid_token' } };
    }
    const client = typeof iss === 'string' ? byIss.get(iss) : undefined;
    // An issuer whose subgraph is not served (e.g. dalet before it is deployed) vouches for nobody here.
    if (!client?.isServed())
      return { outcome: { refused: 'the token comes from no issuer this gateway accepts', reason: 'unknown_issuer' } };
    return client.resolveToken(token, requestId);
  };

  // Asks the issuer, and caches the answer unless a change was made meanwhile. Errors are not cached.
  const lookUp = async (credential: string, cacheKey: string, requestId: string): Promise<Outcome> => {
    const asOf = generation;
    const { outcome, expiresAt } = JWT.test(credential)
      ? await checkToken(credential, requestId)
      : { outcome: await resolveApiKey(credential, requestId), expiresAt: undefined };
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
  const resolveApiKey = (key: string, requestId: string): Promise<Outcome> =>
    keyIssuer ? keyIssuer.resolveApiKey(key, requestId) : Promise.resolve({ refused: 'Unknown API key', reason: 'unknown_key' });
  // The root fields after which cached credentials are dropped, as the supergraph declares them.
  let revokingFields: ReadonlySet<string> = new Set();
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
    // A longer key would be refused by the issuer's route as malformed, which would read as the issuer being down.
    if (keyIssuer && credential.length > maxKeyLength && !JWT.test(credential)) {
      options.onFailure?.('malformed');
      throw new AuthenticationError(`Invalid credentials: an API key has at most ${maxKeyLength} characters`);
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
          request.log.warn({ err: error }, 'issuer unreachable: serving a credential it accepted lately');
          return earlier.principal;
        }
        request.log.error({ err: error }, 'could not check credentials with their issuer');
        options.onFailure?.('issuer_unreachable');
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

  // One listener for every request: it keeps nothing of its own.
  const revocationCheck: GraphQLRequestListener<BaseContext> = {
    async willSendResponse({ operation, document }) {
      if (operation?.operation !== 'mutation' || !document) return;
      if (rootFieldNames(operation, fragmentsByName(document)).some((name) => revokingFields.has(name))) forgetAll();
    },
  };

  return {
    authenticate,
    forgetAll,
    useSupergraph(supergraphSdl) {
      for (const client of clients) client.useSupergraph(supergraphSdl);
      revokingFields = readSupergraph(supergraphSdl).securityDirectives.revokingFields;
    },
    plugin: {
      // No listener while the supergraph declares no field that revokes credentials: none to check for.
      requestDidStart: async () => (revokingFields.size > 0 ? revocationCheck : undefined),
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

/**
 * The stage after the rate limits: answers a request whose credentials were refused, once they counted it,
 * in the error shape `styleOf` gives the request (error-shapes.ts; default Cognitive Cloud's).
 */
export function refuseFailedAuthentication(
  request: GatewayRequest,
  styleOf: (request: GatewayRequest) => ErrorStyle = () => 'cognitive-cloud',
): PipelineAnswer | undefined {
  const failure = request.authenticationFailure;
  if (failure === null) return undefined;
  if (failure instanceof AuthenticationUnavailableError) {
    const error = gatewayError(styleOf(request), 'AUTHENTICATION_UNAVAILABLE', failure.message, {
      retryAfter: AUTHENTICATION_RETRY_AFTER_S,
    });
    return errorAnswer(503, [error], { 'retry-after': AUTHENTICATION_RETRY_AFTER_S });
  }
  return errorAnswer(200, [gatewayError(styleOf(request), 'UNAUTHENTICATED', failure.message)]);
}
