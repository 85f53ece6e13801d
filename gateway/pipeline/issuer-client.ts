/**
 * What the gateway asks one credential issuer (credential-issuers.ts): its tokens verified against its JWKS
 * (jose's remote key set: cached, fetched again for an unknown `kid`), then resolved to a principal by its
 * service, and API keys resolved by its service. Calls are signed as the `system` identity for that very
 * request (core/identity.ts), with the issuer's subgraph as the audience, once they have a connection (the
 * gateway's subgraph fetcher: a burst of credentials to check does not make them stale). Every principal it
 * answers is stamped with the issuer's name, whatever the service said.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { readSupergraph } from '../supergraph/supergraph-document.ts';
import type { Logger } from 'pino';
import { signedRequestHeaders, SYSTEM, type Principal } from '../../core/identity.ts';
import type { SubgraphFetcher } from '../execution/fetcher.ts';
import type { CredentialIssuer } from './credential-issuers.ts';

export const FAILURE_REASONS = [
  'malformed',
  'unknown_key',
  'unknown_issuer',
  'expired',
  'forged',
  'invalid_token',
  'revoked',
  'issuer_unreachable',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export type Outcome = { principal: Principal } | { refused: string; reason: FailureReason };

export interface IssuerClientOptions {
  identitySecret: string;
  /** The gateway's subgraph fetcher, with its timeout. */
  fetcher: SubgraphFetcher;
  logger: Logger;
}

export interface IssuerClient {
  readonly issuer: CredentialIssuer;
  /** Follows the supergraph, for the routing URL of the issuer's subgraph (unless its `url` is set). */
  useSupergraph(supergraphSdl: string): void;
  /** Whether it can be asked at all: it has a `url`, or its subgraph is in the supergraph. */
  isServed(): boolean;
  /** A token's principal, and when the token expires (ms since the epoch). Throws when the issuer cannot be reached. */
  resolveToken(token: string, requestId: string): Promise<{ outcome: Outcome; expiresAt?: number }>;
  /** An API key's principal. Throws when the issuer cannot be reached. */
  resolveApiKey(key: string, requestId: string): Promise<Outcome>;
}

const REFUSED = 401;
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
/** Of those, the ones that mean a signature the issuer did not make. */
const FORGERY = new Set(['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWKS_NO_MATCHING_KEY']);

export function createIssuerClient(issuer: CredentialIssuer, options: IssuerClientOptions): IssuerClient {
  let origin = issuer.url ? new URL(issuer.url).origin : undefined;
  let jwks: JWTVerifyGetKey | undefined;

  const originOrFail = (): string => {
    if (!origin)
      throw new Error(`no ${issuer.name} service: the supergraph has no "${issuer.subgraph}" subgraph and the issuer has no url`);
    return origin;
  };

  const call = async (path: string, payload: unknown, refusal: FailureReason, requestId: string): Promise<Outcome> => {
    const body = JSON.stringify(payload);
    const response = await options.fetcher(`${originOrFail()}${path}`, () => ({
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signedRequestHeaders({ principal: SYSTEM, audience: issuer.subgraph, path, body, requestId, secret: options.identitySecret }),
      },
      body,
    }));
    const answer = (await response.json()) as { principal?: Principal; error?: string };
    if (response.status === REFUSED) return { refused: answer.error ?? 'refused', reason: refusal };
    const principal = answer.principal;
    if (response.status !== 200 || (principal?.kind !== 'user' && principal?.kind !== 'apiKey')) {
      throw new Error(`${issuer.name} ${path} answered HTTP ${response.status}`);
    }
    return { principal: { ...principal, issuer: issuer.name } };
  };

  return {
    issuer,
    isServed: () => origin !== undefined,
    useSupergraph(supergraphSdl) {
      if (issuer.url) return;
      const url = readSupergraph(supergraphSdl).routingUrls.get(issuer.subgraph);
      const next = url ? new URL(url).origin : undefined;
      if (next === origin) return;
      origin = next;
      jwks = undefined;
      if (next) options.logger.info({ issuer: issuer.name, origin: next }, 'authenticating against this issuer');
    },
    async resolveToken(token, requestId) {
      jwks ??= createRemoteJWKSet(new URL(issuer.token.jwks, originOrFail()));
      let claims: JWTPayload;
      try {
        ({ payload: claims } = await jwtVerify(token, jwks, {
          issuer: issuer.token.iss,
          algorithms: [...issuer.token.algorithms],
          requiredClaims: ['sub', 'jti', 'exp'],
        }));
      } catch (error) {
        // Only faults of the token are refusals; a JWKS that cannot be had is the issuer's, and is not cached.
        const code = (error as { code?: string }).code ?? '';
        if (!TOKEN_FAULTS.has(code)) throw error;
        const reason = code === 'ERR_JWT_EXPIRED' ? 'expired' : FORGERY.has(code) ? 'forged' : 'invalid_token';
        return { outcome: { refused: 'invalid or expired token', reason } };
      }
      const outcome = await call(issuer.token.resolve, { userId: claims.sub, tokenId: claims.jti }, 'revoked', requestId);
      return { outcome, expiresAt: claims.exp! * 1000 };
    },
    async resolveApiKey(key, requestId) {
      if (!issuer.apiKeys) return { refused: 'Unknown API key', reason: 'unknown_key' };
      return call(issuer.apiKeys.resolve, { key }, 'unknown_key', requestId);
    },
  };
}
