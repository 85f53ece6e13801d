/**
 * Our gateway's speed-ups (gateway/execution/subgraph-data-source.ts, gateway/execution/fetcher.ts, gateway/execution/plan-execution.ts)
 * must not change a single answer: the same operations go to our gateway (twice: once to learn the plan, once
 * where the plan execution may answer) and to a vanilla @apollo/gateway in Apollo Server over the same subgraphs,
 * and status and body must be identical. The cases are the ones where a gateway's own
 * execution shows: errors from subgraphs and from non-2xx answers, nulls bubbling up from non-null fields,
 * aliases, fragments, abstract types, @skip/@include, variables and their defaults, enums, custom scalars,
 * introspection, and several operations in one document.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway, type GatewayService } from '../gateway/build-gateway.ts';
import { composeSupergraph } from '../gateway/supergraph/composition.ts';
import { parseGatewayConfig } from '../gateway/config.ts';
import { ANONYMOUS } from '../core/identity.ts';
import { IDENTITY_SECRET, silentLogger } from './helpers/platform.ts';

const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

const catalog = {
  typeDefs: `${FEDERATION}
    interface Media { id: ID!  title: String! }
    type Book implements Media @key(fields: "id") { id: ID!  title: String!  pages: Int  genre: Genre  related: [SearchResult!]! }
    type Film implements Media @key(fields: "id") { id: ID!  title: String!  minutes: Int  related: [SearchResult!]! }
    union SearchResult = Book | Film
    enum Genre { FICTION SCIENCE }
    scalar DateTime
    type Query {
      media(first: Int! = 3): [Media!]!
      search(term: String!): [SearchResult]
      book(id: ID!): Book
      failing: String
      brokenTitle: Book
      published: DateTime
    }
    type Mutation { borrow(id: ID!): Book  lose(id: ID!): Book }`,
  resolvers: {
    // Answers as a mutation would, without changing anything: vanilla and ours both call it.
    Mutation: {
      borrow: (_: unknown, { id }: { id: string }) => MEDIA.find((item) => item.id === id && 'pages' in item) ?? null,
      lose: () => {
        throw new GraphQLError('nothing to lose', { extensions: { code: 'NOT_FOUND' } });
      },
    },
    Query: {
      media: (_: unknown, { first }: { first: number }) => MEDIA.slice(0, first),
      search: (_: unknown, { term }: { term: string }) => MEDIA.filter((item) => item.title.toLowerCase().includes(term.toLowerCase())),
      book: (_: unknown, { id }: { id: string }) => MEDIA.find((item) => item.id === id && 'pages' in item) ?? null,
      failing: () => {
        throw new GraphQLError('the catalog refuses', { extensions: { code: 'CATALOG_REFUSED', detail: 42 } });
      },
      // A non-null field that resolves to null: the subgraph reports it and nulls the parent.
      brokenTitle: () => ({ id: 'b9', title: null }),
      published: () => '2024-05-01T10:00:00Z',
    },
    Media: { __resolveType: (item: object) => ('pages' in item ? 'Book' : 'Film') },
    SearchResult: { __resolveType: (item: object) => ('pages' in item ? 'Book' : 'Film') },
    Book: { __resolveReference: ({ id }: { id: string }) => MEDIA.find((item) => item.id === id), related: relatedMedia },
    Film: { related: relatedMedia },
  },
};

/** Every other item of the catalog. */
function relatedMedia({ id }: { id: string }) {
  return MEDIA.filter((item) => item.id !== id);
}

const MEDIA = [
  { id: 'b1', title: 'Dune', pages: 412, genre: 'FICTION' },
  { id: 'f1', title: 'Dune Part One', minutes: 155 },
  { id: 'b2', title: 'Cosmos', pages: 396, genre: 'SCIENCE' },
  { id: 'f2', title: 'Arrival', minutes: 116 },
];

const ratings = {
  typeDefs: `${FEDERATION}
    type Book @key(fields: "id") { id: ID!  rating: Float  stars: Int!  reviewers: [String!] }
    type Film @key(fields: "id") { id: ID!  rating: Float }`,
  resolvers: {
    Book: {
      __resolveReference: ({ id }: { id: string }) => ({ id }),
      rating: ({ id }: { id: string }) => (id === 'b1' ? 4.5 : null),
      // Null for b2 although non-null: the entity fetch reports an error and the book becomes null.
      stars: ({ id }: { id: string }) => (id === 'b1' ? 5 : null),
      reviewers: ({ id }: { id: string }) => (id === 'b1' ? ['ada', 'alan'] : ['grace', null]),
    },
    Film: {
      __resolveReference: ({ id }: { id: string }) => ({ id }),
      rating: () => {
        throw new GraphQLError('ratings of films are down');
      },
    },
  },
};

const outage = { typeDefs: `${FEDERATION}\n type Query { weather: String }` };

// A subgraph that is not graphql-js: keys out of order, a key nobody asked for, a string where an Int belongs.
const legacy = {
  typeDefs: `${FEDERATION}\n type Query { legacy: Legacy  legacyValid: Legacy }  type Legacy { a: Int  b: String  c: Float }`,
  answer: { data: { legacy: { b: 'x', a: 'not an int', c: 1.5, extra: true } } },
};

interface StartedSubgraph {
  url: string;
  /** How many calls signed by our gateway this subgraph received. */
  callsFromOurs: () => number;
  stop: () => Promise<void>;
}

async function startSubgraph(definition: typeof catalog | typeof ratings): Promise<StartedSubgraph> {
  let callsFromOurs = 0;
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(definition.typeDefs), resolvers: definition.resolvers as never }),
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      // Signed calls of operations: the gateway's health probes (`{ __typename }`, every 5 s) are not counted.
      {
        requestDidStart: async ({ request }) =>
          void (request.http?.headers.has('x-fed-signature') && request.query !== '{ __typename }' && callsFromOurs++),
      },
    ],
  });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  return { url, callsFromOurs: () => callsFromOurs, stop: () => server.stop() };
}

/** A subgraph that answers every call with the same status and JSON body. */
async function startRawSubgraph(status: number, body: object): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`, server };
}

interface Answer {
  status: number;
  body: unknown;
}

async function post(url: string, payload: object): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  return { status: response.status, body: await response.json() };
}

describe('our gateway answers exactly as the vanilla Apollo gateway', () => {
  const stops: (() => Promise<unknown>)[] = [];
  let dataDir: string;
  let ours: GatewayService;
  let oursUrl: string;
  let vanillaUrl: string;
  let catalogCalls: () => number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gateway-perf-parity-'));
    const [catalogService, ratingsService, outageService, legacyService] = await Promise.all([
      startSubgraph(catalog),
      startSubgraph(ratings),
      startRawSubgraph(503, { message: 'maintenance' }),
      startRawSubgraph(200, legacy.answer),
    ]);
    catalogCalls = catalogService.callsFromOurs;
    stops.push(catalogService.stop, ratingsService.stop);
    for (const { server } of [outageService, legacyService]) stops.push(() => new Promise((resolve) => server.close(resolve)));
    const composed = composeSupergraph([
      { name: 'catalog', url: catalogService.url, sdl: catalog.typeDefs },
      { name: 'ratings', url: ratingsService.url, sdl: ratings.typeDefs },
      { name: 'outage', url: outageService.url, sdl: outage.typeDefs },
      { name: 'legacy', url: legacyService.url, sdl: legacy.typeDefs },
    ]);
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    const supergraphPath = join(dataDir, 'supergraph.graphql');
    writeFileSync(supergraphPath, composed.supergraphSdl);

    const vanilla = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl }) });
    vanillaUrl = (await startStandaloneServer(vanilla, { listen: { host: '127.0.0.1', port: 0 } })).url;
    stops.push(() => vanilla.stop());

    // The outage subgraph always answers 503: the circuit breaker, which vanilla has not, would open on it and
    // answer SUBGRAPH_UNAVAILABLE in place of the 503 (test/subgraph-circuit-breaker.e2e.test.ts holds that).
    const config = parseGatewayConfig({
      DATA_DIR: dataDir,
      SUPERGRAPH_PATH: supergraphPath,
      IDENTITY_SECRET,
      SUBGRAPH_BREAKER_FAILURES: '0',
      SUBGRAPH_BREAKER_FAILURE_PERCENT: '0',
    });
    ours = await buildGateway(config, { logger: silentLogger, authenticate: async () => ANONYMOUS });
    oursUrl = `${await ours.app.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
  });

  afterAll(async () => {
    await ours?.stop();
    for (const stop of stops.reverse()) await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * Status, data and errors as vanilla's, key order included. The differences that are ours on purpose
   * (build-gateway.ts): an error the gateway did not raise on purpose is answered as a bare "Internal server
   * error" at the same path, where vanilla shows its INTERNAL_SERVER_ERROR message; a subgraph's HTTP error
   * keeps its message but not `extensions.response` (the subgraph's internal URL and body).
   */
  async function expectSameAnswer(payload: {
    query: string;
    variables?: Record<string, unknown>;
    operationName?: string;
  }): Promise<Answer> {
    const fromVanilla = await post(vanillaUrl, payload);
    // The first answer teaches the plan execution the plan; the second is its own, where it applies.
    await expectAnswersAlike(await post(oursUrl, payload), fromVanilla);
    const fromOurs = await post(oursUrl, payload);
    await expectAnswersAlike(fromOurs, fromVanilla);
    return fromOurs;
  }

  async function expectAnswersAlike(fromOurs: Answer, fromVanilla: Answer): Promise<void> {
    type Body = { data?: unknown; errors?: { message: string; path?: unknown; extensions?: { code?: string; response?: unknown } }[] };
    const [ours, vanilla] = [fromOurs.body as Body, fromVanilla.body as Body];
    expect(fromOurs.status).toBe(fromVanilla.status);
    expect(Object.keys(ours)).toEqual(Object.keys(vanilla));
    expect(JSON.stringify(ours.data)).toBe(JSON.stringify(vanilla.data));
    expect(ours.errors?.length).toBe(vanilla.errors?.length);
    ours.errors?.forEach((error, i) => {
      const expected = vanilla.errors![i]!;
      if (error.message === 'Internal server error' && error.extensions?.code === 'INTERNAL_SERVER_ERROR') {
        expect(error).toEqual({ message: 'Internal server error', path: expected.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
        expect(expected.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      } else if (expected.extensions?.response !== undefined) {
        expect(error.extensions?.response).toBeUndefined();
        const { response: _internal, ...extensions } = expected.extensions;
        expect(JSON.stringify(error)).toBe(JSON.stringify({ ...expected, extensions }));
      } else {
        expect(JSON.stringify(error)).toBe(JSON.stringify(expected));
      }
    });
  }

  it('aliases, inline and named fragments on an interface, @skip/@include from variables with defaults', async () => {
    const { body } = await expectSameAnswer({
      query: `query Shelf($n: Int!, $withPages: Boolean!, $hideTitle: Boolean = false) {
        shelf: media(first: $n) {
          kind: __typename
          id
          title @skip(if: $hideTitle)
          ... on Book { pages @include(if: $withPages) score: rating stars }
          ...FilmParts
        }
      }
      fragment FilmParts on Film { minutes }`,
      variables: { n: 2, withPages: true },
    });
    expect(body).toEqual({
      data: {
        shelf: [
          { kind: 'Book', id: 'b1', title: 'Dune', pages: 412, score: 4.5, stars: 5 },
          { kind: 'Film', id: 'f1', title: 'Dune Part One', minutes: 155 },
        ],
      },
    });
    // b2's stars are null although non-null: the non-null list makes the whole answer null.
    await expectSameAnswer({ query: '{ media(first: 4) { id ... on Book { stars } } }' });
  });

  it('a union with named fragments and a list with a null item in a non-null list', async () => {
    await expectSameAnswer({
      query:
        '{ search(term: "dune") { __typename ...B ...F } } fragment B on Book { id title reviewers } fragment F on Film { id minutes }',
    });
    const { body } = await expectSameAnswer({ query: '{ book(id: "b2") { id reviewers } }' });
    expect(JSON.stringify(body)).toContain('errors');
  });

  it('@skip and @include: each combination, on fields, fragments and root fields, a response key under two conditions', async () => {
    const query = `query Conditions($a: Boolean!, $b: Boolean = false) {
      media(first: 4) @include(if: $a) { id ...Pages @skip(if: $b) }
      book(id: "b1") @skip(if: $b) { title @include(if: $a) rating @include(if: $b) title @skip(if: $a) stars @skip(if: false) genre @include(if: true) }
      search(term: "d") { ... on Book @include(if: $b) { rating } ... on Media { title @skip(if: $b) } }
    }
    fragment Pages on Book { pages }`;
    for (const variables of [{ a: true }, { a: false }, { a: true, b: true }, { a: false, b: true }])
      await expectSameAnswer({ query, variables });
  });

  it('a union and an interface without errors: fragments on the interface inside the union, __typename, an entity fetch', async () => {
    const { body } = await expectSameAnswer({
      query:
        '{ search(term: "d") { ... on Media { id title } ... on Book { pages genre rating } ... on Film { minutes } __typename } media(first: 4) { kind: __typename ... on Book { t: title } } }',
    });
    expect(body).toMatchObject({
      data: {
        search: [
          { id: 'b1', title: 'Dune', pages: 412, genre: 'FICTION', rating: 4.5, __typename: 'Book' },
          { id: 'f1', minutes: 155, __typename: 'Film' },
        ],
      },
    });
  });

  it('__typename under aliases, and interfaces and unions nested in each other', async () => {
    const { body } = await expectSameAnswer({
      query: `{
        search(term: "") {
          __typename kind: __typename
          ... on Book { id related { __typename ... on Film { id t: __typename title } ... on Book { id } } }
          ... on Film { id related { ... on Media { id kind: __typename } ... on Book { related { ... on Book { t: __typename pages } } } } }
        }
        media(first: 2) { t: __typename id ... on Media { title } }
      }`,
    });
    expect((body as { data: { search: unknown[] } }).data.search[0]).toEqual({
      __typename: 'Book',
      kind: 'Book',
      id: 'b1',
      related: [
        { __typename: 'Film', id: 'f1', t: 'Film', title: 'Dune Part One' },
        { __typename: 'Book', id: 'b2' },
        { __typename: 'Film', id: 'f2', t: 'Film', title: 'Arrival' },
      ],
    });
  });

  it('mutations: one with an entity fetch after it, and one that fails before another', async () => {
    const { body } = await expectSameAnswer({
      query: 'mutation Borrow($id: ID!) { borrow(id: $id) { title rating stars } }',
      variables: { id: 'b1' },
    });
    expect(body).toEqual({ data: { borrow: { title: 'Dune', rating: 4.5, stars: 5 } } });
    await expectSameAnswer({ query: 'mutation { lost: lose(id: "b1") { id } borrow(id: "b1") { id rating } }' });
  });

  it('a subgraph error with its extensions, beside data that did resolve', async () => {
    const { body } = await expectSameAnswer({ query: '{ failing book(id: "b1") { title rating stars } }' });
    expect(body).toMatchObject({ data: { failing: null, book: { title: 'Dune', rating: 4.5, stars: 5 } } });
  });

  it('nulls bubbling up from a non-null field, in the root fetch and in an entity fetch', async () => {
    await expectSameAnswer({ query: '{ brokenTitle { id title } }' });
    const { body } = await expectSameAnswer({ query: '{ book(id: "b2") { id title stars } }' });
    expect(body).toMatchObject({ data: { book: null } });
  });

  it('a query across two subgraphs without errors: aliases, __typename, a field selected twice, lists from an entity fetch', async () => {
    const { body } = await expectSameAnswer({
      query:
        'query ($id: ID!) { first: book(id: $id) { kind: __typename title rating stars reviewers } again: book(id: $id) { rating ... on Book { title rating } } }',
      variables: { id: 'b1' },
    });
    expect(body).toEqual({
      data: {
        first: { kind: 'Book', title: 'Dune', rating: 4.5, stars: 5, reviewers: ['ada', 'alan'] },
        again: { rating: 4.5, title: 'Dune' },
      },
    });
  });

  it('errors of an entity fetch on some items of a list', async () => {
    await expectSameAnswer({ query: '{ media(first: 4) { id ... on Film { rating } ... on Book { rating } } }' });
  });

  it('a subgraph answering HTTP 503', async () => {
    const { body } = await expectSameAnswer({ query: '{ weather book(id: "b1") { title } }' });
    expect(JSON.stringify(body)).toContain('503: Service Unavailable');
    expect(JSON.stringify(body)).not.toContain('127.0.0.1');
  });

  it('enums, custom scalars, __typename at the root, argument defaults', async () => {
    await expectSameAnswer({ query: '{ __typename published media { id ... on Book { genre } } }' });
  });

  it('introspection beside subgraph fields', async () => {
    await expectSameAnswer({ query: '{ __type(name: "Book") { name fields { name type { name kind } } } book(id: "b1") { id } }' });
  });

  it('one-subgraph queries: aliases, arguments, variables, nulls, custom scalars', async () => {
    const { body } = await expectSameAnswer({
      query: 'query ($id: ID!) { b: book(id: $id) { name: title id pages } missing: book(id: "none") { id } }',
      variables: { id: 'b2' },
    });
    expect(body).toEqual({ data: { b: { name: 'Cosmos', id: 'b2', pages: 396 }, missing: null } });
    await expectSameAnswer({ query: '{ published book(id: "b1") { title } }' });
    await expectSameAnswer({ query: '{ book(id: "b1") { title genre } }' });
  });

  it('a subgraph answer the gateway must reshape: keys out of order, an extra key, an invalid Int', async () => {
    const { body } = await expectSameAnswer({ query: '{ legacy { a b c } }' });
    expect(JSON.stringify(body)).toBe(
      '{"data":{"legacy":{"a":null,"b":"x","c":1.5}},"extensions":{"valueCompletion":[{"message":"Invalid value found for field Legacy.a.","path":["legacy","a"],"extensions":{"code":"INVALID_GRAPHQL"}}]}}',
    );
  });

  it('calls a subgraph once per request, whether the plan execution answers or gives way to the gateway', async () => {
    for (const query of ['{ book(id: "b1") { id title } }', '{ brokenTitle { id title } }', 'query ($id: ID!) { book(id: $id) { id } }']) {
      const before = catalogCalls();
      await expectSameAnswer({ query, variables: { id: 'b1' } });
      expect(catalogCalls() - before).toBe(2);
    }
    const before = catalogCalls();
    const { status } = await expectSameAnswer({ query: 'query ($id: ID!) { book(id: $id) { id } }', variables: { id: ['b1', 'b2'] } });
    expect(status).toBe(400);
    expect(catalogCalls()).toBe(before);
  });

  it('the chosen operation of several, and variables that do not fit', async () => {
    const query = 'query A { book(id: "b1") { title } } query B($id: ID!) { book(id: $id) { pages } }';
    await expectSameAnswer({ query, operationName: 'B', variables: { id: 'b2' } });
    const { status } = await expectSameAnswer({ query, operationName: 'B', variables: { id: { not: 'an id' } } });
    expect(status).toBe(400);
    // An unknown operation name: vanilla answers HTTP 500 INVALID_GRAPHQL from its executor; ours, a client
    // error (gateway/pipeline/operation-resolution.ts), before either executes anything.
    const unknown = await post(oursUrl, { query, operationName: 'C' });
    expect(unknown).toEqual({
      status: 400,
      body: { errors: [{ message: 'Unknown operation named "C".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }] },
    });
    expect((await post(vanillaUrl, { query, operationName: 'C' })).status).toBe(500);
  });
});
