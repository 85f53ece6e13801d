import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { SubgraphDefinition } from '../../subgraphs/kit/build-subgraph.ts';
import type { Principal } from '../../core/identity.ts';

/**
 * A stand-in for the dalet subgraph as a credential issuer, with the contract the gateway's default `dalet`
 * issuer expects: RS512 tokens with `iss: "dalet"`, its JWKS at `/.well-known/jwks.json`, and
 * `POST /internal/authenticate/user {userId, tokenId}` answering `{ principal }` for a system caller, 401
 * for a revoked token. Its one field, `dalet_whoami`, is @authenticated and tells who called.
 */
const SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@authenticated"])
type Query {
  dalet_whoami: String @authenticated
}`;

export interface DaletIssuer {
  definition: SubgraphDefinition<unknown>;
  /** A token for `userId`, signed with the issuer's key unless `key` (and `alg`) say otherwise. */
  token(userId: string, options?: { tokenId?: string; iss?: string; key?: CryptoKey; alg?: string; kid?: string }): Promise<string>;
  /** Token ids the issuer answers as revoked. */
  revoked: Set<string>;
  /** The bodies its internal route was asked with, signed as the system identity. */
  asked: unknown[];
}

export async function daletIssuer(schemaDir: string): Promise<DaletIssuer> {
  const schemaFile = join(schemaDir, `dalet-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(schemaFile, SDL);
  const { privateKey, publicKey } = await generateKeyPair('RS512', { modulusLength: 2048 });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'dalet-key-1', alg: 'RS512', use: 'sig' };
  const revoked = new Set<string>();
  const asked: unknown[] = [];

  const definition: SubgraphDefinition<unknown> = {
    name: 'dalet',
    schemaUrl: pathToFileURL(schemaFile),
    errorStyle: 'dalet',
    migrations: {},
    create: async ({ identity }) => ({
      resolvers: {
        Query: {
          dalet_whoami: (_parent: unknown, _args: unknown, { principal }: { principal: Principal }) =>
            principal.kind === 'user' ? `${principal.userId} of ${principal.issuer}` : principal.kind,
        },
      },
      routes(app) {
        app.get('/.well-known/jwks.json', async () => ({ keys: [jwk] }));
        app.post<{ Body: { userId: string; tokenId: string } }>(
          '/internal/authenticate/user',
          {
            preValidation: async (request, reply) => {
              const verdict = await identity.check(request, { writes: true });
              if (!verdict.ok || verdict.principal.kind !== 'system')
                return reply.code(401).send({ error: 'This route only answers the gateway' });
            },
          },
          async (request, reply) => {
            asked.push(request.body);
            const { userId, tokenId } = request.body;
            if (revoked.has(tokenId)) return reply.code(401).send({ error: 'The token was revoked' });
            // Claims another issuer on purpose: the gateway must stamp its own.
            return { principal: { kind: 'user', issuer: 'accounts', userId, roles: {}, tokenId } };
          },
        );
      },
    }),
  };

  return {
    definition,
    revoked,
    asked,
    async token(userId, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: options.alg ?? 'RS512', kid: options.kid ?? 'dalet-key-1' })
        .setIssuer(options.iss ?? 'dalet')
        .setSubject(userId)
        .setJti(options.tokenId ?? `t-${Math.random().toString(36).slice(2)}`)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(options.key ?? privateKey);
    },
  };
}
