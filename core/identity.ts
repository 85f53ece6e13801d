/**
 * Identity propagation between the gateway and the subgraphs (and between services).
 *
 * The caller of a service (the gateway, or a subgraph calling another) says who is calling in signed
 * headers: the principal as base64url JSON, the time it was signed, a nonce, and an HMAC-SHA256 with a
 * secret that only our services hold, over all of them AND the request they travel with: the service it is
 * meant for (audience), the method, the path, a SHA-256 of the body and the request id. A service refuses a
 * signature that is missing, wrong, meant for another service or another request, or older than a few
 * seconds; and a request that writes (mutations, /internal routes; the threat model is in the top README) is
 * accepted once per nonce (replay-guard.ts). So headers captured on the way cannot be used for another
 * body, another service, another path, later, or twice for a write.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { loadOrCreateFile } from './data-files.ts';

export const IDENTITY_HEADER = 'x-fed-identity';
export const TIMESTAMP_HEADER = 'x-fed-timestamp';
export const NONCE_HEADER = 'x-fed-nonce';
export const SIGNATURE_HEADER = 'x-fed-signature';
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Who is calling, as the gateway vouches for it. `roles` maps a project id to the caller's role there.
 * `issuer`: the configured credential issuer that vouched for a user or key (gateway/README.md); absent
 * means accounts.
 */
export type Principal =
  | { kind: 'anonymous' }
  /** The gateway itself (e.g. fetching a subgraph's SDL), or a service calling another. */
  | { kind: 'system' }
  /** `tokenId`: the id (jti) of the login token the user called with; `logout` revokes it. */
  | { kind: 'user'; userId: string; roles: Record<string, string>; tokenId?: string; issuer?: string }
  | { kind: 'apiKey'; keyId: string; userId: string | null; roles: Record<string, string>; issuer?: string };

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });
export const SYSTEM: Principal = Object.freeze({ kind: 'system' });

/**
 * How old (or how far in the future) a signature may be before it is refused, in milliseconds
 * (IDENTITY_WINDOW_MS). Covers clock skew between processes of one machine and the time a request takes to
 * reach the service once sent (the gateway signs a call when it has a connection, not before it waits for
 * one); services on several machines need synchronised clocks (NTP keeps them within milliseconds).
 */
export const DEFAULT_IDENTITY_WINDOW_MS = 5_000;

/** One outgoing request to sign. */
export interface RequestToSign {
  principal: Principal;
  /** The name of the service called, as in supergraph.yaml (e.g. `billing`). */
  audience: string;
  /** Default POST. */
  method?: string;
  /** The path and query of the URL called, e.g. `/internal/charges`. */
  path: string;
  /** The exact body sent; default none. */
  body?: string;
  /** Sent as x-request-id and signed; default a new UUID. */
  requestId?: string;
  secret: string;
  /** Milliseconds since the epoch; default now. */
  now?: number;
}

/** One request received, as the service saw it. */
export interface ReceivedRequest {
  headers: Record<string, string | string[] | undefined>;
  method: string;
  /** The path and query, as in fastify's `request.url`. */
  path: string;
  /** The raw body; absent or '' for none. */
  body?: string;
}

function bodyHash(body: string | undefined): string {
  return createHash('sha256')
    .update(body ?? '')
    .digest('base64url');
}

function sign(secret: string, fields: readonly string[]): string {
  // JSON keeps the fields apart whatever they contain.
  return createHmac('sha256', secret).update(JSON.stringify(fields)).digest('base64url');
}

function signedFields(
  timestamp: string,
  nonce: string,
  audience: string,
  method: string,
  path: string,
  body: string | undefined,
  requestId: string,
  identity: string,
): string[] {
  return ['fed-identity-v2', timestamp, nonce, audience, method.toUpperCase(), path, bodyHash(body), requestId, identity];
}

/**
 * The headers that make a request to another of our services carry `principal`: the identity headers and
 * `x-request-id`. Sign each request afresh, with the body exactly as sent.
 */
export function signedRequestHeaders(request: RequestToSign): Record<string, string> {
  const identity = Buffer.from(JSON.stringify(request.principal)).toString('base64url');
  const timestamp = String(request.now ?? Date.now());
  const nonce = randomUUID();
  const requestId = request.requestId ?? randomUUID();
  const fields = signedFields(
    timestamp,
    nonce,
    request.audience,
    request.method ?? 'POST',
    request.path,
    request.body,
    requestId,
    identity,
  );
  return {
    [IDENTITY_HEADER]: identity,
    [TIMESTAMP_HEADER]: timestamp,
    [NONCE_HEADER]: nonce,
    [SIGNATURE_HEADER]: sign(request.secret, fields),
    [REQUEST_ID_HEADER]: requestId,
  };
}

export type IdentityVerdict = { ok: true; principal: Principal; nonce: string } | { ok: false; reason: 'missing' | 'forged' | 'stale' };

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}

export interface VerifyOptions {
  secret: string;
  /** This service's name: a signature meant for another is refused. */
  audience: string;
  /** Default now. */
  now?: number;
  /** Default DEFAULT_IDENTITY_WINDOW_MS. */
  windowMs?: number;
}

/**
 * Whether `request` carries a valid signature for this service and this very request. It does not check
 * replays: a service that writes asks its replay guard about `nonce` (replay-guard.ts).
 */
export function verifyIdentity(
  request: ReceivedRequest,
  { secret, audience, now = Date.now(), windowMs = DEFAULT_IDENTITY_WINDOW_MS }: VerifyOptions,
): IdentityVerdict {
  const { headers } = request;
  const identity = single(headers[IDENTITY_HEADER]);
  const timestamp = single(headers[TIMESTAMP_HEADER]);
  const nonce = single(headers[NONCE_HEADER]);
  const signature = single(headers[SIGNATURE_HEADER]);
  const requestId = single(headers[REQUEST_ID_HEADER]) ?? '';
  if (!identity || !timestamp || !nonce || !signature) return { ok: false, reason: 'missing' };

  const expected = Buffer.from(
    sign(secret, signedFields(timestamp, nonce, audience, request.method, request.path, request.body, requestId, identity)),
  );
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };

  const signedAt = Number(timestamp);
  if (!Number.isFinite(signedAt) || Math.abs(now - signedAt) > windowMs) return { ok: false, reason: 'stale' };

  return { ok: true, principal: JSON.parse(Buffer.from(identity, 'base64url').toString('utf8')) as Principal, nonce };
}

/**
 * The shared secret for the embedded default: generated once into `dataDir` (owner-only permissions) so
 * that every process started on this machine agrees on it without any configuration.
 */
export function loadOrCreateIdentitySecret(dataDir: string): string {
  return loadOrCreateFile(dataDir, 'identity-secret').trim();
}
