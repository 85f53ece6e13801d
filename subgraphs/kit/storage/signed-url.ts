/**
 * The filesystem backend's signed URLs: the method, key, expiry, content type, maximum size, (for a
 * part) the upload id and part number, and (for a single-use PUT) its token and whether its bytes are
 * checked, are signed with HMAC-SHA256 and compared in constant time, so changing any of them voids the URL.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface UrlGrant {
  method: 'GET' | 'PUT';
  key: string;
  /** Unix seconds. */
  expires: number;
  contentType: string;
  maxBytes: number;
  uploadId: string;
  partNumber: number;
  /** Set: the URL works once (the token is recorded as used in the service's database). */
  token: string;
  /** The type the bytes show must be `contentType`. */
  checkBytes: boolean;
}

const PARAMS = {
  expires: 'x-expires',
  contentType: 'x-content-type',
  maxBytes: 'x-max-bytes',
  uploadId: 'x-upload-id',
  partNumber: 'x-part',
  token: 'x-token',
  checkBytes: 'x-check-bytes',
  signature: 'x-signature',
} as const;

export function signGrant(secret: string, grant: UrlGrant): string {
  const canonical = [
    grant.method,
    grant.key,
    grant.expires,
    grant.contentType,
    grant.maxBytes,
    grant.uploadId,
    grant.partNumber,
    grant.token,
    grant.checkBytes ? 1 : 0,
  ].join('\n');
  return createHmac('sha256', secret).update(canonical).digest('base64url');
}

export function grantQuery(secret: string, grant: UrlGrant): string {
  const query = new URLSearchParams({ [PARAMS.expires]: String(grant.expires), [PARAMS.signature]: signGrant(secret, grant) });
  if (grant.contentType) query.set(PARAMS.contentType, grant.contentType);
  if (grant.maxBytes) query.set(PARAMS.maxBytes, String(grant.maxBytes));
  if (grant.uploadId) query.set(PARAMS.uploadId, grant.uploadId);
  if (grant.partNumber) query.set(PARAMS.partNumber, String(grant.partNumber));
  if (grant.token) query.set(PARAMS.token, grant.token);
  if (grant.checkBytes) query.set(PARAMS.checkBytes, '1');
  return query.toString();
}

export type GrantVerdict = { ok: true; grant: UrlGrant } | { ok: false; status: 403; reason: string };

export function verifyGrant(
  secret: string,
  method: 'GET' | 'PUT',
  key: string,
  query: Record<string, string | undefined>,
  nowSeconds: number,
): GrantVerdict {
  const signature = query[PARAMS.signature];
  const expires = Number(query[PARAMS.expires]);
  if (!signature || !Number.isInteger(expires)) return { ok: false, status: 403, reason: 'The URL is not signed' };
  const grant: UrlGrant = {
    method,
    key,
    expires,
    contentType: query[PARAMS.contentType] ?? '',
    maxBytes: Number(query[PARAMS.maxBytes] ?? 0),
    uploadId: query[PARAMS.uploadId] ?? '',
    partNumber: Number(query[PARAMS.partNumber] ?? 0),
    token: query[PARAMS.token] ?? '',
    checkBytes: query[PARAMS.checkBytes] === '1',
  };
  const expected = Buffer.from(signGrant(secret, grant));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, status: 403, reason: 'The URL signature does not match' };
  if (expires <= nowSeconds) return { ok: false, status: 403, reason: 'The URL has expired' };
  return { ok: true, grant };
}
