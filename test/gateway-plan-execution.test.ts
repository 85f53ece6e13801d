/**
 * The plan execution (gateway/execution/plan-execution.ts) really executes in place of @apollo/gateway where it may,
 * and gives way where it may not, calling no subgraph twice. Whether its answers equal vanilla Apollo's is
 * gateway-perf-parity.e2e.test.ts; here, in process, which path each operation took: the gateway's own
 * execution is seen through `experimental_didResolveQueryPlan`, which it calls for every operation it
 * executes.
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../gateway/supergraph/composition.ts';
import { createSubgraphFetcher, createSubgraphPool } from '../gateway/execution/fetcher.ts';
import type { FallbackReason } from '../gateway/execution/compiled-plan.ts';
import { createPlanExecution } from '../gateway/execution/plan-execution.ts';
import { createInflightDeduplication } from '../gateway/execution/inflight-deduplication.ts';
import { SubgraphDataSource, type GatewayContext, type ReadOnlyProcessOptions } from '../gateway/execution/subgraph-data-source.ts';
import { createSubgraphResilience } from '../gateway/execution/subgraph-resilience.ts';
import { readSubgraphTrafficSettings } from '../gateway/execution/subgraph-traffic-settings.ts';
import { ANONYMOUS } from '../core/identity.ts';
import { captureLogs } from './helpers/logs.ts';

const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])';
/** What the mutations change: each run of one shows in it, so that a mutation run twice would. */
let counter = 0;
/** While set, `book` waits for it: calls held in flight, for others to join them. */
let held: Promise<void> | undefined;
const BOOKS = [
  { id: 'b1', title: 'Dune', shelf: 'TOP' },
  { id: 'b2', title: 'Cosmos', shelf: 'BOTTOM' },
];

const catalog = {
  typeDefs: `${FEDERATION}
    enum Shelf { TOP BOTTOM }
    interface Item { id: ID! }
    type Book implements Item @key(fields: "id") { id: ID!  title: String!  shelf: Shelf }
    type Query { book(id: ID!): Book  broken: Book  books: [Book!]!  items: [Item] }
    type Mutation { bump(by: Int!): Int!  failingBump: Int  touch(id: ID!): Book }`,
  resolvers: {
    Mutation: {
      bump: (_: unknown, { by }: { by: number }) => (counter += by),
      failingBump: () => {
        counter += 1;
        throw new Error('bumped, then failed');
      },
      touch: (_: unknown, { id }: { id: string }) => {
        counter += 100;
        return BOOKS.find((book) => book.id === id) ?? null;
      },
    },
    Query: {
      book: async (_: unknown, { id }: { id: string }) => {
        await held;
        return BOOKS.find((book) => book.id === id) ?? null;
      },
      broken: () => ({ id: 'b9', title: null }),
      books: () => BOOKS,
      items: () => BOOKS,
    },
    Item: { __resolveType: () => 'Book' },
  },
};

const reviews = {
  typeDefs: `${FEDERATION}
    type Book @key(fields: "id") { id: ID!  title: String! @external  blurb: String @requires(fields: "title")  stars: Int! }
    type Mutation { review(by: Int!): Int! }`,
  resolvers: {
    Mutation: { review: (_: unknown, { by }: { by: number }) => (counter += by) },
    Book: {
      __resolveReference: (book: { id: string; title?: string }) => book,
      blurb: ({ title }: { title: string }) => `${title}, a classic`,
      // Null for b2 although non-null: the entity fetch reports an error.
      stars: ({ id }: { id: string }) => (id === 'b1' ? 5 : null),
    },
  },
};

/** The data of each answer the plan execution got, with the request it got it for. */
const answersRead: { requestId: string; subgraph: string; data: unknown }[] = [];

/** A data source with a bug, for requests whose id is "bug": its answer throws when its errors are read. */
class BuggyDataSource extends SubgraphDataSource {
  override async process(options: Parameters<SubgraphDataSource['process']>[0]) {
    const answer = await super.process(options);
    if ((options as Partial<ReadOnlyProcessOptions>).readOnlyAnswer)
      answersRead.push({ requestId: options.context.requestId, subgraph: this.name, data: answer.data });
    if (options.context.requestId !== 'bug') return answer;
    return Object.defineProperty({ ...answer }, 'errors', {
      get: () => {
        throw new Error('a bug in the data source');
      },
    });
  }
}

describe('the plan execution', () => {
  const pool = createSubgraphPool();
  const subgraphs: ApolloServer[] = [];
  const calls = { catalog: 0, reviews: 0 };
  let gatewayServer: ApolloServer<GatewayContext>;
  let executions = 0;
  let deduplicated = 0;
  const fallbacks: FallbackReason[] = [];
  const logs = captureLogs();

  beforeAll(async () => {
    const started = [];
    for (const [name, definition] of Object.entries({ catalog, reviews }) as ['catalog' | 'reviews', typeof catalog][]) {
      const server = new ApolloServer({
        schema: buildSubgraphSchema({ typeDefs: parse(definition.typeDefs), resolvers: definition.resolvers as never }),
        plugins: [ApolloServerPluginInlineTraceDisabled(), { requestDidStart: async () => void calls[name]++ }],
      });
      subgraphs.push(server);
      const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
      started.push({ name, url, sdl: definition.typeDefs });
    }
    const composed = composeSupergraph(started);
    if (!composed.ok) throw new Error(composed.errors.join('\n'));

    const planExecution = createPlanExecution({ onFallback: (reason) => fallbacks.push(reason), logger: logs.logger });
    const deduplication = createInflightDeduplication();
    const gateway = new ApolloGateway({
      supergraphSdl: composed.supergraphSdl,
      buildService: ({ name, url: serviceUrl }) =>
        new BuggyDataSource({
          name,
          url: serviceUrl!,
          resilience: createSubgraphResilience({
            subgraph: name,
            fetcher: createSubgraphFetcher({ timeoutMs: 5_000, pool }),
            ...readSubgraphTrafficSettings({}),
          }),
          identitySecret: 'secret',
          deduplication,
          onDeduplicated: () => deduplicated++,
        }),
      experimental_didResolveQueryPlan: (resolved) => {
        executions++;
        planExecution.learn(resolved);
      },
    });
    gatewayServer = new ApolloServer<GatewayContext>({ gateway, plugins: [planExecution.plugin] });
    await gatewayServer.start();
  });

  afterAll(async () => {
    await gatewayServer?.stop();
    for (const subgraph of subgraphs) await subgraph.stop();
    await pool.agent.close();
  });

  /** Runs the operation three times; returns the answers, how many the gateway executed, and the subgraph calls. */
  async function thrice(query: string, variables?: Record<string, unknown>) {
    const before = { executions, catalog: calls.catalog, reviews: calls.reviews };
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const response = await gatewayServer.executeOperation(
        { query, variables },
        { contextValue: { principal: ANONYMOUS, requestId: `r${i}` } },
      );
      answers.push(response.body.kind === 'single' ? response.body.singleResult : response.body);
    }
    return {
      answers,
      executed: executions - before.executions,
      catalogCalls: calls.catalog - before.catalog,
      reviewsCalls: calls.reviews - before.reviews,
    };
  }

  it('executes a plan itself once the gateway has planned it, with the same answer', async () => {
    const oneFetch = await thrice('query ($id: ID!) { first: book(id: $id) { id title shelf } books { title } }', { id: 'b1' });
    expect(oneFetch.executed).toBe(1);
    expect(oneFetch.answers[1]).toEqual({
      data: { first: { id: 'b1', title: 'Dune', shelf: 'TOP' }, books: [{ title: 'Dune' }, { title: 'Cosmos' }] },
    });
    expect(JSON.stringify(oneFetch.answers[2])).toBe(JSON.stringify(oneFetch.answers[0]));

    // Two subgraphs, an entity fetch with @requires, fragments on the object type and its interface, __typename.
    const query = '{ book(id: "b1") { kind: __typename ... on Item { id } ...Review } } fragment Review on Book { blurb stars title }';
    const entities = await thrice(query);
    expect(entities.executed).toBe(1);
    expect(entities.answers[1]).toEqual({ data: { book: { kind: 'Book', id: 'b1', blurb: 'Dune, a classic', stars: 5, title: 'Dune' } } });
    expect(JSON.stringify(entities.answers[2])).toBe(JSON.stringify(entities.answers[0]));
    expect([entities.catalogCalls, entities.reviewsCalls]).toEqual([3, 3]);

    // An interface field, shaped by each value's __typename, with an entity fetch behind a fragment.
    const abstract = await thrice('{ items { __typename id ... on Book { title blurb } } }');
    expect(abstract.executed).toBe(1);
    expect(abstract.answers[1]).toEqual({
      data: {
        items: [
          { __typename: 'Book', id: 'b1', title: 'Dune', blurb: 'Dune, a classic' },
          { __typename: 'Book', id: 'b2', title: 'Cosmos', blurb: 'Cosmos, a classic' },
        ],
      },
    });
    expect(JSON.stringify(abstract.answers[2])).toBe(JSON.stringify(abstract.answers[0]));
  });

  it('shares a call in flight, its answer parsed once and frozen: requests merging other fields into it each get their own; callers never share', async () => {
    const stars = '{ book(id: "b1") { id title stars } }';
    const blurb = '{ book(id: "b1") { id title blurb } }';
    await thrice(stars);
    await thrice(blurb);
    fallbacks.length = 0;
    const before = { catalog: calls.catalog, deduplicated };
    let release!: () => void;
    held = new Promise((resolve) => (release = resolve));
    const ask = async (query: string, userId: string, requestId: string) => {
      const principal = { kind: 'user' as const, userId, roles: {} };
      const { body } = await gatewayServer.executeOperation({ query }, { contextValue: { principal, requestId } });
      return body.kind === 'single' ? body.singleResult : body;
    };
    // Ann's four requests plan the same catalog fetch (the reviews' fetches differ): one call. Bob's is his own.
    const answers = Promise.all([
      ask(stars, 'ann', 's1'),
      ask(blurb, 'ann', 's2'),
      ask(stars, 'ann', 's3'),
      ask(blurb, 'ann', 's4'),
      ask(stars, 'bob', 's5'),
    ]);
    await expect.poll(() => [calls.catalog - before.catalog, deduplicated - before.deduplicated], { timeout: 10_000 }).toEqual([2, 3]);
    release();
    held = undefined;
    const withStars = { data: { book: { id: 'b1', title: 'Dune', stars: 5 } } };
    const withBlurb = { data: { book: { id: 'b1', title: 'Dune', blurb: 'Dune, a classic' } } };
    expect(await answers).toEqual([withStars, withBlurb, withStars, withBlurb, withStars]);
    // Each executed by the plan execution (none wrote into the answer it shared: that would have thrown, and
    // given way), ann's four from one parsed answer, frozen, bob's from his own.
    expect(fallbacks).toEqual([]);
    expect(calls.catalog - before.catalog).toBe(2);
    const catalogAnswers = ['s1', 's2', 's3', 's4', 's5'].map(
      (id) => answersRead.find(({ requestId, subgraph }) => requestId === id && subgraph === 'catalog')!.data,
    );
    expect(new Set(catalogAnswers.slice(0, 4)).size).toBe(1);
    expect(Object.isFrozen(catalogAnswers[0])).toBe(true);
    expect(catalogAnswers[4]).not.toBe(catalogAnswers[0]);
  });

  it('executes @skip and @include, compiled for each combination of their values, up to 16', async () => {
    const query = `query ($a: Boolean!, $b: Boolean = true) {
      book(id: "b1") { id title @skip(if: $a) ... on Book @include(if: $b) { blurb } shelf @include(if: false) }
    }`;
    const answers: Record<string, unknown> = {};
    for (const [a, b] of [
      [false, true],
      [true, true],
      [true, false],
      [false, undefined],
    ] as const) {
      const {
        answers: [, own],
        executed,
      } = await thrice(query, { a, ...(b === undefined ? {} : { b }) });
      // The plan is learned once, by the first operation; each combination is compiled on first use.
      expect(executed).toBe(Object.keys(answers).length === 0 ? 1 : 0);
      answers[`${a},${b}`] = own;
    }
    expect(answers).toEqual({
      'false,true': { data: { book: { id: 'b1', title: 'Dune', blurb: 'Dune, a classic' } } },
      'true,true': { data: { book: { id: 'b1', blurb: 'Dune, a classic' } } },
      'true,false': { data: { book: { id: 'b1' } } },
      'false,undefined': { data: { book: { id: 'b1', title: 'Dune', blurb: 'Dune, a classic' } } },
    });

    // A condition on a root field becomes a Condition node of the plan.
    const root = await thrice('query ($withBooks: Boolean!) { books @include(if: $withBooks) { id blurb } book(id: "b2") { id } }', {
      withBooks: false,
    });
    expect(root.executed).toBe(1);
    expect(root.answers[1]).toEqual({ data: { book: { id: 'b2' } } });
    expect(root.reviewsCalls).toBe(0);

    // 17 conditions: the 17th combination met is the gateway's.
    const many = Array.from({ length: 17 }, (_, i) => `$c${i}: Boolean!`).join(' ');
    const fields = Array.from({ length: 17 }, (_, i) => `t${i}: title @include(if: $c${i})`).join(' ');
    const combination = (n: number) => Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`c${i}`, i === n]));
    let executedByGateway = 0;
    for (let n = 0; n < 17; n++)
      executedByGateway += (await thrice(`query (${many}) { book(id: "b1") { ${fields} } }`, combination(n))).executed;
    expect(executedByGateway).toBe(1 + 3);
  });

  it('executes mutations, each once, and gives way after one that fails without running any twice', async () => {
    const start = counter;
    const bumps = await thrice('mutation { bump(by: 1) }');
    expect(bumps.executed).toBe(1);
    expect(bumps.answers.map((answer) => (answer as { data: { bump: number } }).data.bump)).toEqual([start + 1, start + 2, start + 3]);

    // A mutation, then an entity fetch with @requires for its answer.
    const touched = await thrice('mutation { touch(id: "b2") { id blurb } }');
    expect(touched.executed).toBe(1);
    expect(touched.answers[2]).toEqual({ data: { touch: { id: 'b2', blurb: 'Cosmos, a classic' } } });
    expect(counter).toBe(start + 3 + 300);

    // The first of two mutations, on two subgraphs, fails: the gateway answers, with the failed one's answer
    // already fetched, and runs the second itself, once.
    const failing = await thrice('mutation { failingBump review(by: 1000) }');
    expect(failing.executed).toBe(3);
    expect([failing.catalogCalls, failing.reviewsCalls]).toEqual([3, 3]);
    expect(counter).toBe(start + 303 + 3 * 1001);
    expect(failing.answers[2]).toMatchObject({
      data: { failingBump: null, review: start + 303 + 3003 },
      errors: [{ path: ['failingBump'] }],
    });
  });

  it('leaves to the gateway what it cannot settle once per operation: introspection', async () => {
    const { answers, executed } = await thrice('{ __type(name: "Book") { name } book(id: "b1") { id } }');
    expect(executed).toBe(3);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('leaves to the gateway an operation that would compile to more than 1000 object shapes', async () => {
    // One shape for Query, one for the object type behind each alias of the interface field.
    const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: items { id }`).join(' ')} }`;
    expect((await thrice(aliases(999))).executed).toBe(1);
    const over = await thrice(aliases(1000));
    expect(over.executed).toBe(3);
    expect(over.answers[2]).toMatchObject({ data: { a999: [{ id: 'b1' }, { id: 'b2' }] } });
  });

  it('gives way at run time to errors, nulls in non-null fields and misfit variables, calling each subgraph once', async () => {
    const broken = await thrice('{ broken { id title } }');
    expect(broken.executed).toBe(3);
    expect(broken.catalogCalls).toBe(3);
    expect(broken.answers[2]).toMatchObject({ data: { broken: null }, errors: [{ path: ['broken', 'title'] }] });

    const entityError = await thrice('{ books { id stars } }');
    expect(entityError.executed).toBe(3);
    expect([entityError.catalogCalls, entityError.reviewsCalls]).toEqual([3, 3]);
    expect(entityError.answers[2]).toMatchObject({ data: null, errors: [{ message: expect.stringContaining('Book.stars') }] });
    expect(entityError.answers[2]).toEqual(entityError.answers[0]);

    await thrice('query ($id: ID!) { book(id: $id) { id } }', { id: 'b1' });
    const misfit = await thrice('query ($id: ID!) { book(id: $id) { id } }', { id: { not: 'an id' } });
    expect(misfit.answers[2]).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('counts every request it leaves to the gateway by reason, and logs what it caught when that is a bug', async () => {
    const reasons = async (query: string, variables?: Record<string, unknown>) => {
      fallbacks.length = 0;
      await thrice(query, variables);
      return [...fallbacks];
    };
    expect(await reasons('{ book(id: "b2") { id title } }')).toEqual(['not_planned']);
    expect(await reasons('{ __type(name: "Shelf") { name } }')).toEqual(['not_planned', 'unsupported_selection', 'unsupported_selection']);
    expect(await reasons('{ broken { title } }')).toEqual(['not_planned', 'subgraph_error', 'subgraph_error']);
    expect(await reasons('{ books { stars } }')).toEqual(['not_planned', 'subgraph_error', 'subgraph_error']);
    await thrice('query ($id: ID!) { book(id: $id) { title } }', { id: 'b1' });
    expect(await reasons('query ($id: ID!) { book(id: $id) { title } }', { id: { not: 'an id' } })).toEqual(
      Array(3).fill('invalid_variables'),
    );

    fallbacks.length = 0;
    const planned = '{ book(id: "b1") { id shelf } }';
    await thrice(planned);
    await gatewayServer.executeOperation({ query: planned }, { contextValue: { principal: ANONYMOUS, requestId: 'bug' } });
    expect(fallbacks).toEqual(['not_planned', 'unexpected_error']);
    const logged = logs.messages.find((line) => line.msg.includes('plan execution failed unexpectedly'));
    expect(logged).toMatchObject({ requestId: 'bug', err: { message: 'a bug in the data source' } });
  });
});
