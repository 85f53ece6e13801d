/** A subgraph's lifecycle: /ready, and cleanups registered by each resource as it is created. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { buildSubgraph } from '../subgraphs/kit/build-subgraph.ts';
import { createLifecycle, registerHealthRoutes } from '../subgraphs/kit/lifecycle.ts';
import { defineSubgraph } from '../subgraphs/kit/define-subgraph.ts';
import type { Store } from '../subgraphs/kit/store.ts';
import { IDENTITY_SECRET, silentLogger } from './helpers/platform.ts';

const schema = [
  new URL('./fixtures/modular-subgraph/base.graphql', import.meta.url),
  new URL('./fixtures/modular-subgraph/farewells.graphql', import.meta.url),
];

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kit-lifecycle-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const build = (definition: Parameters<typeof buildSubgraph>[0]) =>
  buildSubgraph(definition, { dataDir, identitySecret: IDENTITY_SECRET, logger: silentLogger, env: {} });

describe('a subgraph start that fails half way', () => {
  it('closes the store and every resource created before the failure, newest first', async () => {
    const closed: string[] = [];
    let store: Store<unknown> | undefined;
    const definition = defineSubgraph({
      name: 'failing',
      schema,
      modules: [{ resolvers: () => ({ Query: { goodbye: () => 'bye' } }) }],
      errors: 'cognitive-cloud',
      migrations: {},
      async create(setup) {
        store = setup.store;
        setup.onClose('first', () => closed.push('first'));
        setup.onClose('second', () => closed.push('second'));
        throw new Error('the mail server is unreachable');
      },
    });
    await expect(build(definition)).rejects.toThrow('the mail server is unreachable');
    expect(closed).toEqual(['second', 'first']);
    // A destroyed Kysely refuses queries: the SQLite file is no longer held open.
    await expect(
      store!.db
        .selectFrom('kysely_migration' as never)
        .selectAll()
        .execute(),
    ).rejects.toThrow(/destroyed/);
  });

  it('closes the store when a module resolves a field the SDL does not have', async () => {
    let store: Store<unknown> | undefined;
    const definition = defineSubgraph({
      name: 'bad-sdl',
      schema,
      modules: [{ resolvers: () => ({ Query: { no_such_field: () => 'x' } }) }],
      errors: 'cognitive-cloud',
      migrations: {},
      create: async (setup) => {
        store = setup.store;
        return { services: undefined };
      },
    });
    await expect(build(definition)).rejects.toThrow('a resolver for Query.no_such_field, which the SDL does not define');
    await expect(
      store!.db
        .selectFrom('kysely_migration' as never)
        .selectAll()
        .execute(),
    ).rejects.toThrow(/destroyed/);
  });
});

describe('/ready', () => {
  it('is 503 while starting, 200 when ready, 503 while stopping; /health answers throughout', async () => {
    const app = Fastify();
    const lifecycle = createLifecycle(silentLogger);
    registerHealthRoutes(app, lifecycle);
    const ready = async () => {
      const response = await app.inject({ url: '/ready' });
      return [response.statusCode, response.json().status, (await app.inject({ url: '/health' })).statusCode];
    };
    expect(await ready()).toEqual([503, 'starting', 200]);
    lifecycle.markReady();
    expect(await ready()).toEqual([200, 'ready', 200]);

    let release!: () => void;
    let closeStarted!: () => void;
    const closing = new Promise<void>((resolve) => (closeStarted = resolve));
    lifecycle.onClose('slow resource', () => {
      closeStarted();
      return new Promise<void>((resolve) => (release = resolve));
    });
    const stopped = lifecycle.close();
    await closing;
    expect(await ready()).toEqual([503, 'stopping', 200]);
    release();
    await Promise.all([stopped, lifecycle.close()]);
    expect(lifecycle.state).toBe('stopped');
    await app.close();
  });

  it('of a built subgraph is 200 once ready; stop() moves it to stopped and may be called twice', async () => {
    const service = await build(
      defineSubgraph({
        name: 'ready',
        schema,
        modules: [{ resolvers: () => ({ Query: { goodbye: () => 'bye' } }) }],
        errors: 'cognitive-cloud',
        migrations: {},
      }),
    );
    const response = await service.app.inject({ url: '/ready' });
    expect([response.statusCode, response.json()]).toEqual([200, { status: 'ready' }]);
    await Promise.all([service.stop(), service.stop()]);
    expect(service.state).toBe('stopped');
  });
});
