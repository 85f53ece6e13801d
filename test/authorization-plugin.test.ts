/**
 * The authorization plugin remembers an operation it found allowed, by document and principal: the same
 * document asked by another caller, or with variables, is walked again, and a refusal is never remembered.
 */
import { ApolloGateway } from '@apollo/gateway';
import type { GraphQLRequestContextDidResolveOperation, GraphQLRequestListener } from '@apollo/server';
import { getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal } from '../core/identity.ts';
import type { GatewayContext } from '../gateway/execution/subgraph-data-source.ts';
import { authorizationPlugin } from '../gateway/pipeline/authorization/authorization-plugin.ts';
import { forApolloGateway } from '../gateway/pipeline/authorization/security-links.ts';
import { composeSupergraph } from '../gateway/supergraph/composition.ts';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated"])';
const COMPOSED = composeSupergraph([
  {
    name: 'accounts',
    url: 'http://127.0.0.1:1/graphql',
    sdl: `${LINK}
      type Query { me(as: String): String @authenticated  hello: String }`,
  },
]);
if (!COMPOSED.ok) throw new Error(COMPOSED.errors.join('\n'));
const supergraphSdl = COMPOSED.supergraphSdl;

const USER: Principal = { kind: 'user', userId: 'u1', roles: {} };
const plugin = authorizationPlugin();
const gateway = new ApolloGateway({ supergraphSdl: forApolloGateway(supergraphSdl) });
let schema: GraphQLSchema;

beforeAll(async () => {
  schema = (await gateway.load()).schema;
  const server = (await plugin.serverWillStart!({} as never))!;
  await server.schemaDidLoadOrUpdate!({ apiSchema: schema, coreSupergraphSdl: supergraphSdl });
});
afterAll(() => gateway.stop());

/** The errors the plugin answers for one request, none when it lets the operation through. */
async function denials(document: ReturnType<typeof parse>, principal: Principal, variables?: Record<string, unknown>) {
  const listener = (await plugin.requestDidStart!({} as never)) as GraphQLRequestListener<GatewayContext>;
  const operation = getOperationAST(document)!;
  const context = { schema, document, operation, request: { variables }, contextValue: { principal, requestId: 'r' } };
  await listener.didResolveOperation!(context as unknown as GraphQLRequestContextDidResolveOperation<GatewayContext>);
  const response = await listener.responseForOperation!(context as never);
  const body = response?.body;
  return body?.kind === 'single' ? (body.singleResult.errors ?? []).map((error) => error.extensions?.code) : [];
}

describe('authorization plugin', () => {
  it('walks a document allowed for one caller again for another, and never remembers a refusal', async () => {
    const document = parse('query Me { me hello }');
    expect(await denials(document, USER)).toEqual([]);
    expect(await denials(document, USER)).toEqual([]);
    // The very same DocumentNode, as Apollo Server's document cache hands it back: still refused anonymously.
    expect(await denials(document, ANONYMOUS)).toEqual(['UNAUTHENTICATED']);
    expect(await denials(document, ANONYMOUS)).toEqual(['UNAUTHENTICATED']);
    expect(await denials(document, USER)).toEqual([]);
  });

  it('walks an operation sent with variables every time', async () => {
    const document = parse('query Me($as: String) { me(as: $as) }');
    expect(await denials(document, USER, { as: 'x' })).toEqual([]);
    expect(await denials(document, ANONYMOUS, { as: 'x' })).toEqual(['UNAUTHENTICATED']);
    expect(await denials(document, ANONYMOUS)).toEqual(['UNAUTHENTICATED']);
  });

  it('forgets what it remembered when the supergraph is reloaded', async () => {
    const document = parse('query Hello { hello }');
    expect(await denials(document, ANONYMOUS)).toEqual([]);
    // A reload whose supergraph puts @authenticated on `hello`: a new API schema, a new policy.
    const reloaded = composeSupergraph([
      {
        name: 'accounts',
        url: 'http://127.0.0.1:1/graphql',
        sdl: `${LINK}
          type Query { me(as: String): String @authenticated  hello: String @authenticated }`,
      },
    ]);
    if (!reloaded.ok) throw new Error(reloaded.errors.join('\n'));
    const other = new ApolloGateway({ supergraphSdl: forApolloGateway(reloaded.supergraphSdl) });
    const previous = schema;
    try {
      schema = (await other.load()).schema;
      const server = (await plugin.serverWillStart!({} as never))!;
      await server.schemaDidLoadOrUpdate!({ apiSchema: schema, coreSupergraphSdl: reloaded.supergraphSdl });
      expect(await denials(document, ANONYMOUS)).toEqual(['UNAUTHENTICATED']);
    } finally {
      schema = previous;
      await other.stop();
    }
  });
});
