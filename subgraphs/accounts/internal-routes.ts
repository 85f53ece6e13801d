/**
 * The accounts internal contract the gateway's authentication calls (see the brief and README.md):
 * - GET  /.well-known/jwks.json: the public key(s) login tokens are signed with.
 * - POST /internal/authenticate/api-key {key}: the API key's principal, or 401.
 * - POST /internal/authenticate/user {userId, tokenId}: the user's principal with the roles of all their
 *   memberships, or 401 when the token was revoked, expired or never issued, or the user is unknown.
 * The /internal routes answer only callers that sign a `system` identity for this request with the shared
 * secret, once per signature (kit/identity-guard.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { onlySystemCallers, type IdentityGuard } from '../kit/identity-guard.ts';
import type { Principal } from '../../core/identity.ts';
import { authenticateApiKey, type LastUsedTracker } from './api-keys.ts';
import type { TokenSigner } from './secrets.ts';
import type { AccountsDatabase } from './store.ts';

export interface InternalRoutesOptions {
  db: Kysely<AccountsDatabase>;
  identity: IdentityGuard;
  signer: TokenSigner;
  lastUsed: LastUsedTracker;
}

const MAX_SECRET_LENGTH = 1024;

export function registerInternalRoutes(app: FastifyInstance, { db, identity, signer, lastUsed }: InternalRoutesOptions): void {
  app.get('/.well-known/jwks.json', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return signer.jwks;
  });

  const onlySystem = onlySystemCallers(identity);

  app.post<{ Body: { key: string } }>(
    '/internal/authenticate/api-key',
    {
      preValidation: onlySystem,
      schema: { body: { type: 'object', required: ['key'], properties: { key: { type: 'string', maxLength: MAX_SECRET_LENGTH } } } },
    },
    async (request, reply) => {
      const principal = await authenticateApiKey(db, request.body.key);
      if (!principal) return reply.code(401).send({ error: 'Unknown API key' });
      lastUsed.touch(principal.keyId, new Date());
      return { principal };
    },
  );

  app.post<{ Body: { userId: string; tokenId: string } }>(
    '/internal/authenticate/user',
    {
      preValidation: onlySystem,
      schema: {
        body: {
          type: 'object',
          required: ['userId', 'tokenId'],
          properties: {
            userId: { type: 'string', maxLength: MAX_SECRET_LENGTH },
            tokenId: { type: 'string', maxLength: MAX_SECRET_LENGTH },
          },
        },
      },
    },
    async (request, reply) => {
      const { userId, tokenId } = request.body;
      const token = await db
        .selectFrom('access_tokens')
        .select('id')
        .where('id', '=', tokenId)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', new Date().toISOString())
        .executeTakeFirst();
      if (!token) return reply.code(401).send({ error: 'The token was revoked, has expired or was never issued' });
      const memberships = await db.selectFrom('project_members').select(['project_id', 'role']).where('user_id', '=', userId).execute();
      const principal: Principal = {
        kind: 'user',
        userId,
        roles: Object.fromEntries(memberships.map((membership) => [membership.project_id, membership.role])),
        tokenId,
      };
      return { principal };
    },
  );
}
