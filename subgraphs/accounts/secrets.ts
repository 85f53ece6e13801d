/**
 * The accounts service's own secrets: the Ed25519 key that signs login tokens (published as a JWKS), and
 * the HMAC key behind OTP hashes (upload URLs are kit/storage's, signed with its own key). Each comes from configuration or is generated
 * once into DATA_DIR with owner-only permissions, so every restart (and every process sharing DATA_DIR)
 * uses the same ones.
 */
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, SignJWT, type JWK } from 'jose';
import { loadOrCreateFile } from '../../core/data-files.ts';

export const TOKEN_ISSUER = 'accounts';

/** Keyed hashing for short secrets (OTPs): a leaked database alone reveals nothing. */
export interface Hmac {
  (message: string): string;
}

export function loadHmac(configured: string | undefined, dataDir: string): Hmac {
  const secret = configured ?? loadOrCreateFile(dataDir, 'accounts-secret').trim();
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
