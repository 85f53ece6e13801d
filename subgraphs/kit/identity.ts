/**
 * Identity propagation between the gateway and the subgraphs.
 *
 * The gateway authenticates the caller once and tells each subgraph who is calling in three headers:
 * the principal as base64url JSON, the time it was signed, and an HMAC-SHA256 over both with a secret
 * that only the gateway and the subgraphs hold. A subgraph refuses a request whose signature is missing,
 * wrong or older than `maxSkewMs`, so a subgraph reached directly cannot be told a false identity.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from './permissions.ts';

export const IDENTITY_HEADER = 'x-fed-identity';
export const TIMESTAMP_HEADER = 'x-fed-timestamp';
export const SIGNATURE_HEADER = 'x-fed-signature';

/** Who is calling, as the gateway vouches for it. `roles` maps a project id to the caller's role there. */
export type Principal =
  | { kind: 'anonymous' }
  /** The gateway itself, e.g. fetching a subgraph's SDL for composition. */
  | { kind: 'system' }
  /**
   * `tokenId`: the id (jti) of the login token the user called with; `logout` revokes it. `issuer`: who
   * issued that token, e.g. `dalet` for a Dalet user; unset for accounts' own users.
   */
  | { kind: 'user'; userId: string; roles: Record<string, Role>; tokenId?: string; issuer?: string }
  | { kind: 'apiKey'; keyId: string; userId: string | null; roles: Record<string, Role> };

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

/** How old a signature may be before a subgraph refuses it. Covers clock skew and slow queues. */
export const DEFAULT_MAX_SKEW_MS = 60_000;

function sign(secret: string, timestamp: string, identity: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${identity}`).digest('base64url');
}

export function signIdentity(principal: Principal, secret: string, now = Date.now()): Record<string, string> {
  const identity = Buffer.from(JSON.stringify(principal)).toString('base64url');
  const timestamp = String(now);
  return {
    [IDENTITY_HEADER]: identity,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: sign(secret, timestamp, identity),
  };
}

export type IdentityVerdict =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'missing' | 'forged' | 'stale' };

type HeaderBag = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}

export function verifyIdentity(
  headers: HeaderBag,
  secret: string,
  { now = Date.now(), maxSkewMs = DEFAULT_MAX_SKEW_MS }: { now?: number; maxSkewMs?: number } = {},
): IdentityVerdict {
  const identity = single(headers[IDENTITY_HEADER]);
  const timestamp = single(headers[TIMESTAMP_HEADER]);
  const signature = single(headers[SIGNATURE_HEADER]);
  if (!identity || !timestamp || !signature) return { ok: false, reason: 'missing' };

  const expected = Buffer.from(sign(secret, timestamp, identity));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };

  const signedAt = Number(timestamp);
  if (!Number.isFinite(signedAt) || Math.abs(now - signedAt) > maxSkewMs) return { ok: false, reason: 'stale' };

  return { ok: true, principal: JSON.parse(Buffer.from(identity, 'base64url').toString('utf8')) as Principal };
}

/**
 * The shared secret for the embedded default: generated once into `dataDir` (owner-only permissions) so
 * that every process started on this machine agrees on it without any configuration.
 */
export function loadOrCreateIdentitySecret(dataDir: string): string {
  const file = join(dataDir, 'identity-secret');
  mkdirSync(dataDir, { recursive: true });
  // Written aside, then linked into place: processes starting together never read a half-written file.
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, randomBytes(32).toString('base64url'), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  return readFileSync(file, 'utf8').trim();
}
