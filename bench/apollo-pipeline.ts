/**
 * What Apollo Server's request pipeline alone costs per operation, in process, no HTTP: the most a second
 * pipeline in front of it could save on `single`. The operation is answered by a plugin in
 * `responseForOperation`, as our plan execution answers it, with four more plugins that do nothing, as
 * our gateway has four more. `node --import tsx bench/apollo-pipeline.ts`.
 */
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';

const ROUNDS = 50_000;
const idle: ApolloServerPlugin = {
  requestDidStart: async () => ({ didResolveOperation: async () => {}, willSendResponse: async () => {} }),
};
const answer: GraphQLResponse = {
  http: { headers: new HeaderMap(), status: undefined },
  body: { kind: 'single', singleResult: { data: { topProducts: [] } } },
};
const answering: ApolloServerPlugin = { requestDidStart: async () => ({ responseForOperation: async () => answer }) };

const server = new ApolloServer({
  typeDefs: 'type Query { topProducts(first: Int): [Product] } type Product { upc: String name: String price: Int }',
  csrfPrevention: true,
  plugins: [idle, idle, idle, idle, answering],
});
await server.start();
const httpGraphQLRequest = {
  method: 'POST',
  headers: new HeaderMap([['content-type', 'application/json']]),
  search: '',
  body: { query: 'query Single { topProducts(first: 5) { upc name price } }' },
};
const run = () => server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => ({}) });

for (let i = 0; i < ROUNDS; i++) await run(); // warm-up: optimized code, cached document
const start = process.hrtime.bigint();
for (let i = 0; i < ROUNDS; i++) await run();
const microseconds = Number(process.hrtime.bigint() - start) / 1000 / ROUNDS;
console.log(`Apollo Server's request pipeline: ${microseconds.toFixed(1)} µs per operation (${ROUNDS} operations)`);
await server.stop();
