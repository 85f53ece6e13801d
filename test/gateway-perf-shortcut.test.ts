/**
 * The single-fetch shortcut (gateway/single-fetch-shortcut.ts) really answers in place of @apollo/gateway's
 * execution where it may, and gives way where it may not. Whether its answers equal vanilla Apollo's is
 * gateway-perf-parity.test.ts; here, in process, which path each operation took: the gateway's execution
 * is seen through `experimental_didResolveQueryPlan`, which it calls for every operation it executes.
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../gateway/composition.ts';
import { createSubgraphAgent, createSubgraphFetcher } from '../gateway/fetcher.ts';
import { createSingleFetchShortcut } from '../gateway/single-fetch-shortcut.ts';
import { SubgraphDataSource, type GatewayContext } from '../gateway/subgraph-data-source.ts';
import { ANONYMOUS } from '../subgraphs/kit/identity.ts';

const typeDefs = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  enum Shelf { TOP BOTTOM }
  type Book @key(fields: "id") { id: ID!  title: String!  shelf: Shelf }
  type Query { book(id: ID!): Book  broken: Book  books: [Book!]! }`;
const BOOKS = [{ id: 'b1', title: 'Dune', shelf: 'TOP' }, { id: 'b2', title: 'Cosmos', shelf: 'BOTTOM' }];

describe('the single-fetch shortcut', () => {
  const agent = createSubgraphAgent();
  let subgraph: ApolloServer;
  let gatewayServer: ApolloServer<GatewayContext>;
  let executions = 0;

  beforeAll(async () => {
    subgraph = new ApolloServer({
      schema: buildSubgraphSchema({
        typeDefs: parse(typeDefs),
        resolvers: {
          Query: { book: (_: unknown, { id }: { id: string }) => BOOKS.find((book) => book.id === id) ?? null, broken: () => ({ id: 'b9', title: null }), books: () => BOOKS },
        },
      }),
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    });
    const { url } = await startStandaloneServer(subgraph, { listen: { host: '127.0.0.1', port: 0 } });
    const composed = composeSupergraph([{ name: 'catalog', url, sdl: typeDefs }]);
    if (!composed.ok) throw new Error(composed.errors.join('\n'));

    const shortcut = createSingleFetchShortcut();
    const gateway = new ApolloGateway({
      supergraphSdl: composed.supergraphSdl,
      buildService: ({ url: serviceUrl }) => new SubgraphDataSource(serviceUrl!, createSubgraphFetcher({ timeoutMs: 5_000, agent }), 'secret'),
      experimental_didResolveQueryPlan: (resolved) => {
        executions++;
        shortcut.learn(resolved);
      },
    });
    gatewayServer = new ApolloServer<GatewayContext>({ gateway, plugins: [shortcut.plugin] });
    await gatewayServer.start();
  });

  afterAll(async () => {
    await gatewayServer?.stop();
    await subgraph?.stop();
    await agent.close();
  });

  /** Runs the operation three times; returns the answers and how many of them the gateway executed. */
  async function thrice(query: string, variables?: Record<string, unknown>): Promise<{ answers: unknown[]; executed: number }> {
    const before = executions;
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const response = await gatewayServer.executeOperation({ query, variables }, { contextValue: { principal: ANONYMOUS, requestId: `r${i}` } });
      answers.push(response.body.kind === 'single' ? response.body.singleResult : response.body);
    }
    return { answers, executed: executions - before };
  }

  it('answers a one-fetch query itself once the gateway has planned it, with the same answer', async () => {
    const { answers, executed } = await thrice('query ($id: ID!) { first: book(id: $id) { id title } books { title } }', { id: 'b1' });
    expect(executed).toBe(1);
    expect(answers[1]).toEqual({ data: { first: { id: 'b1', title: 'Dune' }, books: [{ title: 'Dune' }, { title: 'Cosmos' }] } });
    expect(JSON.stringify(answers[2])).toBe(JSON.stringify(answers[0]));
  });

  it('leaves to the gateway what it cannot prove the same: enums, __typename, fragments, @skip/@include', async () => {
    for (const query of [
      '{ book(id: "b1") { title shelf } }',
      '{ book(id: "b1") { __typename title } }',
      '{ book(id: "b1") { ...on Book { title } } }',
      'query ($no: Boolean!) { book(id: "b1") { id title @skip(if: $no) } }',
    ]) {
      const { answers, executed } = await thrice(query, { no: true });
      expect(executed, query).toBe(3);
      expect(answers[2]).toEqual(answers[0]);
    }
  });

  it('gives way at run time to a subgraph answer with errors, and to variables that do not fit', async () => {
    const broken = await thrice('{ broken { id title } }');
    expect(broken.executed).toBe(3);
    expect(broken.answers[2]).toMatchObject({ data: { broken: null }, errors: [{ path: ['broken', 'title'] }] });

    await thrice('query ($id: ID!) { book(id: $id) { id } }', { id: 'b1' });
    const misfit = await thrice('query ($id: ID!) { book(id: $id) { id } }', { id: { not: 'an id' } });
    expect(misfit.answers[2]).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
  });
});
