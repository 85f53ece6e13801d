import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSubgraph, type SubgraphService } from '../subgraphs/kit/build-subgraph.ts';
import { defineSubgraph, mergeResolvers } from '../subgraphs/kit/define-subgraph.ts';
import { signedRequestHeaders } from '../core/identity.ts';
import { IDENTITY_SECRET, silentLogger } from './helpers/platform.ts';

const fixture = (file: string) => new URL(`./fixtures/modular-subgraph/${file}`, import.meta.url);

function modularSubgraph(greetingWord: string) {
  return defineSubgraph<unknown, { word: string }, { word: string }>({
    name: 'modular',
    schema: [fixture('base.graphql')],
    modules: [
      {
        schema: [fixture('greetings.graphql')],
        resolvers: ({ word }) => ({
          Query: { hello: (_root: unknown, { name }: { name: string }) => `${word}, ${name}` },
          Person: { greeting: ({ id }: { id: string }) => `${word}, person ${id}` },
        }),
      },
      { schema: [fixture('farewells.graphql')], resolvers: () => ({ Query: { goodbye: () => 'bye' } }) },
    ],
    settings: (env) => ({ word: env.GREETING_WORD ?? greetingWord }),
    errors: 'cognitive-cloud',
    migrations: {},
    create: async ({ settings }) => ({ services: { word: settings.word } }),
  });
}

describe('defineSubgraph', () => {
  let service: SubgraphService<unknown> | undefined;
  let dataDir: string;
  afterEach(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the SDL files of every module, merged, with each module resolving its own fields and settings read from env', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'define-subgraph-'));
    service = await buildSubgraph(modularSubgraph('Hello'), {
      dataDir,
      identitySecret: IDENTITY_SECRET,
      logger: silentLogger,
      env: { GREETING_WORD: 'Hi' },
    });
    const body = JSON.stringify({
      query:
        '{ hello(name: "Ada") goodbye _entities(representations: [{ __typename: "Person", id: "7" }]) { ... on Person { greeting } } }',
    });
    const response = await service.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: {
        'content-type': 'application/json',
        ...signedRequestHeaders({ principal: { kind: 'anonymous' }, audience: 'modular', path: '/graphql', body, secret: IDENTITY_SECRET }),
      },
      payload: body,
    });
    expect(response.json()).toEqual({ data: { hello: 'Hi, Ada', goodbye: 'bye', _entities: [{ greeting: 'Hi, person 7' }] } });
  });

  it('refuses two modules resolving the same field', () => {
    expect(() => mergeResolvers([{ Query: { hello: () => 'a' } }, { Query: { hello: () => 'b' } }])).toThrow(
      'Query.hello is resolved by two modules',
    );
  });
});
