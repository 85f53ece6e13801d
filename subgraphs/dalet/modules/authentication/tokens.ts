/**
 * Login tokens: JWTs signed RS512 with the claims of the doc's example (`sub` the login, `userId`, `iat`,
 * `exp`), plus `iss: "dalet"` and `jti`, the id kept in the tokens table that the gateway asks about. The
 * RSA key comes from DALET_JWT_PRIVATE_KEY or is generated once into DATA_DIR (owner-only); its public half
 * is served as a JWKS.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, SignJWT, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import { loadOrCreateFile } from '../../../../core/data-files.ts';
import type { DaletDatabase } from '../../store/tables.ts';

export const TOKEN_ISSUER = 'dalet';
const ALGORITHM = 'RS512';

export interface TokenIssuer {
  readonly jwks: { keys: JWK[] };
  /** Signs a token for the user and records its id; valid `ttlSeconds` from `now`. */
  issue(db: Kysely<DaletDatabase>, user: { id: number; login: string }, now: Date): Promise<string>;
}

export async function loadTokenIssuer(configuredPem: string | undefined, dataDir: string, ttlSeconds: number): Promise<TokenIssuer> {
  const pem =
    configuredPem ??
    loadOrCreateFile(dataDir, 'dalet-jwt-key.pem', () =>
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
  const privateKey: KeyObject = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('DALET_JWT_PRIVATE_KEY must be an RSA private key (PKCS#8 PEM)');
  const publicJwk = await exportJWK(createPublicKey(privateKey));
  // The key's own thumbprint names it, so the same key always has the same `kid` on every replica.
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwks = Object.freeze({ keys: [Object.freeze({ ...publicJwk, kid, alg: ALGORITHM, use: 'sig' })] });

  return {
    jwks,
    async issue(db, user, now) {
      const tokenId = randomUUID();
      const issuedAt = Math.floor(now.getTime() / 1000);
      const expiresAt = issuedAt + ttlSeconds;
      await db
        .insertInto('tokens')
        .values({ id: tokenId, user_id: user.id, expires_at: new Date(expiresAt * 1000).toISOString(), created_at: now.toISOString() })
        .execute();
      return new SignJWT({ userId: String(user.id) })
        .setProtectedHeader({ alg: ALGORITHM, kid, typ: 'JWT' })
        .setIssuer(TOKEN_ISSUER)
        .setSubject(user.login)
        .setJti(tokenId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(privateKey);
    },
  };
}
