/**
 * The contract the gateway's authentication calls, as accounts' (see subgraphs/accounts/internal-routes.ts):
 * - GET  /.well-known/jwks.json: the public key login tokens are signed with.
 * - POST /internal/authenticate/user {userId, tokenId}: the Dalet user's principal, or 401 when the token
 *   is unknown or expired or the user was deleted. `userId` is the token's `userId` claim or its `sub` (the
 *   login, which the gateway sends as it sends accounts' `sub`); the principal's is the numeric id.
 *   Only callers that sign a `system` identity are answered.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { onlySystemCallers, type IdentityGuard } from '../../../kit/identity-guard.ts';
import type { Principal } from '../../../../core/identity.ts';
import type { DaletDatabase } from '../../store/tables.ts';
import { TOKEN_ISSUER, type TokenIssuer } from './tokens.ts';

const MAX_ID_LENGTH = 128;

export function registerInternalRoutes(
  app: FastifyInstance,
  { db, identity, tokens }: { db: Kysely<DaletDatabase>; identity: IdentityGuard; tokens: TokenIssuer },
): void {
  app.get('/.well-known/jwks.json', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return tokens.jwks;
  });

  const onlySystem = onlySystemCallers(identity);

  app.post<{ Body: { userId: string; tokenId: string } }>(
    '/internal/authenticate/user',
    {
      preValidation: onlySystem,
      schema: {
        body: {
          type: 'object',
          required: ['userId', 'tokenId'],
          properties: { userId: { type: 'string', maxLength: MAX_ID_LENGTH }, tokenId: { type: 'string', maxLength: MAX_ID_LENGTH } },
        },
      },
    },
    async (request, reply) => {
      const { userId, tokenId } = request.body;
      const token = await db
        .selectFrom('tokens')
        .innerJoin('users', 'users.id', 'tokens.user_id')
        .select(['users.id as userId', 'users.login'])
        .where('tokens.id', '=', tokenId)
        .where('tokens.expires_at', '>', new Date().toISOString())
        .executeTakeFirst();
      if (!token || (userId !== String(token.userId) && userId !== token.login)) {
        return reply.code(401).send({ error: 'The token has expired or was never issued, or its user was deleted' });
      }
      const principal: Principal = { kind: 'user', issuer: TOKEN_ISSUER, userId: String(token.userId), roles: {}, tokenId };
      return { principal };
    },
  );
}
