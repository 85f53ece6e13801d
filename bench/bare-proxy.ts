/**
 * Not a gateway: the least any gateway on our stack must do per request, to show where the `single` target
 * sits. fastify receives the POST and forwards its body over undici's keep-alive pool to one subgraph, then
 * returns the answer as it came; no GraphQL at all. Opt-in target `proxy` of the `single` scenario.
 * `node --import tsx bench/bare-proxy.ts <port> <subgraph url>`.
 */
import Fastify from 'fastify';
import { request } from 'undici';
import { createSubgraphPool } from '../gateway/execution/fetcher.ts';

const [port = '0', subgraphUrl = ''] = process.argv.slice(2);
// The same keep-alive pool as our gateway's subgraph calls, so that only the work per request differs.
const { agent } = createSubgraphPool();
const app = Fastify();
app.post('/graphql', async (incoming, reply) => {
  const response = await request(subgraphUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(incoming.body),
    dispatcher: agent,
  });
  return reply.type('application/json; charset=utf-8').send(await response.body.text());
});
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.send?.({ ready: true });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
