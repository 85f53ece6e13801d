import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGateway } from '../gateway/build-gateway.ts';
import { composeSupergraph } from '../gateway/supergraph/composition.ts';
import { parseGatewayConfig } from '../gateway/config.ts';
import { captureLogs } from './helpers/logs.ts';
import { IDENTITY_SECRET, postGraphQL, silentLogger, startPlatform } from './helpers/platform.ts';
import { slowSubgraph } from './helpers/slow-subgraph.ts';

const workDir = mkdtempSync(join(tmpdir(), 'gateway-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A subgraph that is not ours: plain Apollo Server, no identity check. */
async function startForeignSubgraph(typeDefs: string, resolvers: Record<string, any>) {
  const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers }) });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}

describe('a gateway started from a ready supergraph file (SUPERGRAPH_PATH)', () => {
  it('serves a supergraph of subgraphs that are not ours, and follows changes to the file', async () => {
    const typeDefs = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
      type Query { product(upc: String!): Product }
      type Product @key(fields: "upc") { upc: String! name: String price: Int }`;
    const products = await startForeignSubgraph(typeDefs, {
      Query: { product: (_: unknown, { upc }: { upc: string }) => ({ upc, name: `Product ${upc}`, price: 42 }) },
    });
    const supergraphFile = join(workDir, 'supergraph.graphql');
    const compose = (sdl: string) => {
      const outcome = composeSupergraph([{ name: 'products', url: products.url, sdl }]);
      if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
      writeFileSync(supergraphFile, outcome.supergraphSdl);
    };
    compose(typeDefs.replace(' price: Int', ''));

    const logs = captureLogs();
    const gateway = await buildGateway(parseGatewayConfig({ SUPERGRAPH_PATH: supergraphFile, DATA_DIR: workDir, IDENTITY_SECRET }), {
      logger: logs.logger,
    });
    try {
      const url = `${await gateway.app.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
      expect((await postGraphQL(url, '{ product(upc: "1") { upc name } }')).body).toEqual({
        data: { product: { upc: '1', name: 'Product 1' } },
      });
      expect((await postGraphQL(url, '{ product(upc: "1") { price } }')).status).toBe(400);

      compose(typeDefs);
      await logs.waitFor('supergraph reloaded');
      expect((await postGraphQL(url, '{ product(upc: "2") { price } }')).body).toEqual({ data: { product: { price: 42 } } });
    } finally {
      await gateway.stop();
      await products.stop();
    }
  });
});

describe('a gateway whose subgraphs do not compose', () => {
  it('does not start, and lists every composition error', async () => {
    const a = join(workDir, 'a.graphql');
    const b = join(workDir, 'b.graphql');
    writeFileSync(a, 'type Query { a: Missing }');
    writeFileSync(b, 'type Query { b: String }\ntype Other { x: Nope }');
    const config = join(workDir, 'broken.yaml');
    writeFileSync(
      config,
      `subgraphs:\n  a:\n    routing_url: http://127.0.0.1:1/graphql\n    schema: { file: ${a} }\n  b:\n    routing_url: http://127.0.0.1:2/graphql\n    schema: { file: ${b} }\n`,
    );
    const starting = buildGateway(parseGatewayConfig({ SUPERGRAPH_CONFIG: config, DATA_DIR: workDir, IDENTITY_SECRET }), {
      logger: silentLogger,
    });
    const message = await starting.then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(message).toMatch(/^composition failed:/);
    expect(message).toMatch(/\[a\].*Missing/);
    expect(message).toMatch(/\[b\].*Nope/);
  });
});

describe('subgraph calls', () => {
  it('give up after the subgraph timeout, with an error that hides where the subgraph lives', async () => {
    const logs = captureLogs();
    const platform = await startPlatform({
      subgraphs: [slowSubgraph(workDir).definition],
      gatewayEnv: { SUBGRAPH_TIMEOUTS: 'slow=100' },
      logger: logs.logger,
    });
    try {
      const { status, body } = await platform.query('{ slow(ms: 2000) }');
      expect(status).toBe(200);
      expect(body.data).toEqual({ slow: null });
      expect(body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(body)).not.toContain('127.0.0.1');
      expect(JSON.stringify(logs.messages)).toMatch(/abort|timeout/i);
    } finally {
      await platform.stop();
    }
  });
});

describe('request logs', () => {
  it('carry a request id, and never the credentials of the request', async () => {
    const logs = captureLogs();
    const platform = await startPlatform({ subgraphs: ['accounts'], logger: logs.logger });
    try {
      await platform.query('{ __typename }', undefined, {
        authorization: 'Bearer secret-token-value',
        cookie: 'session=secret-cookie',
        'x-request-id': 'req-logs-1',
      });
      const lines = logs.messages.filter((line) => line.reqId === 'req-logs-1');
      expect(lines.length).toBeGreaterThan(0);
      expect(JSON.stringify(logs.messages)).not.toMatch(/secret-token-value|secret-cookie/);
    } finally {
      await platform.stop();
    }
  });
});
