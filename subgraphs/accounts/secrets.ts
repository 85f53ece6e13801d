/**
 * The accounts service's own secrets: the Ed25519 key that signs login tokens (published as a JWKS), and
 * the HMAC key behind OTP hashes and signed upload URLs. Each comes from configuration or is generated
 * once into DATA_DIR with owner-only permissions, so every restart (and every process sharing DATA_DIR)
 * uses the same ones.
 */
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, SignJWT, type JWK } from 'jose';

export const TOKEN_ISSUER = 'accounts';

/** Reads `dataDir/name`, creating it first with `create()` if it does not exist yet. */
function loadOrCreateFile(dataDir: string, name: string, create: () => string): string {
  const file = join(dataDir, name);
  mkdirSync(dataDir, { recursive: true });
  // Written aside, then linked into place: processes starting together never read a half-written file.
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, create(), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  return readFileSync(file, 'utf8');
}

/** Keyed hashing for short secrets (OTPs) and signatures (upload URLs): a leaked database alone reveals nothing. */
export interface Hmac {
  (message: string): string;
}

export function loadHmac(configured: string | undefined, dataDir: string): Hmac {
  const secret = configured ?? loadOrCreateFile(dataDir, 'accounts-secret', () => randomBytes(32).toString('base64url')).trim();
  return (message) => createHmac('sha256', secret).update(message).digest('base64url');
}

export interface AccessTokenClaims {
  userId: string;
  tokenId: string;
  expiresAt: Date;
}

/** Signs login tokens and publishes the public half. */
export interface TokenSigner {
  readonly jwks: { keys: JWK[] };
  sign(claims: AccessTokenClaims, now: Date): Promise<string>;
}

export async function loadTokenSigner(configuredPem: string | undefined, dataDir: string): Promise<TokenSigner> {
  const pem =
    configuredPem ??
    loadOrCreateFile(dataDir, 'accounts-jwt-key.pem', () =>
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
  const privateKey: KeyObject = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('JWT_PRIVATE_KEY must be an Ed25519 private key (PKCS#8 PEM)');
  const publicKey = createPublicKey(privateKey);
  const publicJwk = await exportJWK(publicKey);
  // The key's own thumbprint names it, so the same key always has the same `kid` on every replica.
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwks = Object.freeze({ keys: [Object.freeze({ ...publicJwk, kid, alg: 'EdDSA', use: 'sig' })] });

  return {
    jwks,
    sign: ({ userId, tokenId, expiresAt }, now) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
        .setIssuer(TOKEN_ISSUER)
        .setSubject(userId)
        .setJti(tokenId)
        .setIssuedAt(Math.floor(now.getTime() / 1000))
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(privateKey),
  };
}
