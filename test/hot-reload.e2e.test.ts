import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGateway } from '../gateway/build-gateway.ts';
import { parseGatewayConfig } from '../gateway/config.ts';
import { keepRawBodies, receivedRequest } from '../subgraphs/kit/identity-guard.ts';
import { verifyIdentity, type Principal } from '../core/identity.ts';
import { captureLogs } from './helpers/logs.ts';
import { IDENTITY_SECRET, postGraphQL, startPlatform, type Platform } from './helpers/platform.ts';

const caller: Principal = { kind: 'user', userId: 'u1', roles: { p1: 'ADMIN' } };
const DESCRIPTION_QUERY = '{ __type(name: "Project") { fields { name description } } }';

/** Sends requests from `concurrency` loops until stopped; every answer must be a clean 200. */
function requestStream(platform: Platform, concurrency = 4) {
  let running = true;
  const failures: unknown[] = [];
  let completed = 0;
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      try {
        const { status, body } = await platform.query('{ get_project(id: "p1") { id current_spend } }');
        // p1 does not exist: accounts answers NOT_FOUND, which proves the request went all the way through.
        if (status !== 200 || body.errors?.[0]?.extensions?.code !== 'NOT_FOUND') failures.push({ status, body });
      } catch (error) {
        failures.push(error);
      }
      completed += 1;
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { failures, completed };
    },
  };
}

async function descriptionOfCurrentSpend(platform: Platform): Promise<string | null> {
  const { body } = await platform.query(DESCRIPTION_QUERY);
  return body.data.__type.fields.find((field: { name: string }) => field.name === 'current_spend').description;
}

describe('hot reload of subgraph schemas', () => {
  let platform: Platform;
  afterEach(() => platform?.stop());

  it('keeps serving the last good supergraph when a bad schema is pushed, and picks up a good one, with no failed request', async () => {
    const logs = captureLogs();
    platform = await startPlatform({
      subgraphs: ['accounts', 'billing'],
      copySchemas: true,
      logger: logs.logger,
      authenticate: async () => caller,
    });
    const billingSchemaFile = join(platform.dataDir, 'billing.graphql');
    const original = readFileSync(billingSchemaFile, 'utf8');
    const before = await descriptionOfCurrentSpend(platform);

    const stream = requestStream(platform);

    // A schema that cannot compose: Project.id no longer matches accounts' type.
    writeFileSync(billingSchemaFile, original.replace('id: String!', 'id: Int!'));
    await logs.waitFor('supergraph reload failed');
    expect(await descriptionOfCurrentSpend(platform)).toBe(before);

    // A good change: a new description is part of the supergraph clients see.
    writeFileSync(billingSchemaFile, original.replace('"The total amount spent', '"Month-to-date spend. The total amount spent'));
    await logs.waitFor('supergraph reloaded');
    expect(await descriptionOfCurrentSpend(platform)).toMatch(/^Month-to-date spend\./);

    const { failures, completed } = await stream.stop();
    expect(failures).toEqual([]);
    expect(completed).toBeGreaterThan(0);
    const failure = logs.messages.find((line) => line.msg.includes('supergraph reload failed'));
    expect(JSON.stringify(failure)).toMatch(/Project\.id/);
  });
});

describe('subgraph_url sources', () => {
  it('are fetched with a signed request and polled for changes', async () => {
    // A stand-in subgraph that only answers `_service { sdl }`, with an SDL the test changes.
    let sdl = 'type Query { hello: String }';
    const signedKinds: string[] = [];
    const fake = Fastify();
    keepRawBodies(fake);
    fake.post('/graphql', async (request) => {
      const verdict = verifyIdentity(receivedRequest(request), { secret: IDENTITY_SECRET, audience: 'fake' });
      signedKinds.push(verdict.ok ? verdict.principal.kind : verdict.reason);
      return { data: { _service: { sdl } } };
    });
    const url = `${await fake.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
    const dataDir = mkdtempSync(join(tmpdir(), 'poll-'));
    const configPath = join(dataDir, 'supergraph.yaml');
    writeFileSync(
      configPath,
      `federation_version: =2.9.0\nsubgraphs:\n  fake:\n    routing_url: ${url}\n    schema:\n      subgraph_url: ${url}\n`,
    );
    const logs = captureLogs();
    const gateway = await buildGateway(
      parseGatewayConfig({ SUPERGRAPH_CONFIG: configPath, SUPERGRAPH_POLL_INTERVAL_MS: '100', IDENTITY_SECRET, DATA_DIR: dataDir }),
      { logger: logs.logger },
    );
    try {
      const gatewayUrl = `${await gateway.app.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
      const fieldsOfQuery = async () =>
        (await postGraphQL(gatewayUrl, '{ __type(name: "Query") { fields { name } } }')).body.data.__type.fields.map(
          (f: { name: string }) => f.name,
        );
      expect(await fieldsOfQuery()).toEqual(['hello']);

      sdl = 'type Query { hello: String\n  world: String }';
      await logs.waitFor('supergraph reloaded');
      expect(await fieldsOfQuery()).toEqual(['hello', 'world']);
      expect(new Set(signedKinds)).toEqual(new Set(['system']));
    } finally {
      await gateway.stop();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
