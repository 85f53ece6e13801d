import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal } from '../core/identity.ts';
import { securedSubgraph } from './helpers/secured-subgraph.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';

const CALLERS: Record<string, Principal> = {
  admin: { kind: 'apiKey', keyId: 'k1', userId: null, roles: { p1: 'ADMIN' } },
  developer: { kind: 'user', userId: 'u2', roles: { p1: 'DEVELOPER', p2: 'READONLY' } },
};

/** The gateway enforcing @authenticated / @requiresScopes of a subgraph, for callers named by a test header. */
describe('authorization from the supergraph', () => {
  const schemaDir = mkdtempSync(join(tmpdir(), 'secured-schema-'));
  const secured = securedSubgraph(schemaDir);
  let platform: Platform;
  const as = (caller: string | undefined, query: string) => platform.query(query, undefined, caller ? { 'x-test-caller': caller } : {});

  beforeAll(async () => {
    platform = await startPlatform({
      subgraphs: [secured.definition],
      authenticate: async (request: FastifyRequest) => CALLERS[String(request.headers['x-test-caller'])] ?? ANONYMOUS,
    });
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(schemaDir, { recursive: true, force: true });
  });

  /** Asks, and checks the operation was refused before any subgraph was called. */
  async function refused(caller: string | undefined, query: string) {
    const before = secured.calls();
    const { status, body } = await as(caller, query);
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(secured.calls()).toBe(before);
    return body.errors!;
  }

  it('lets anyone use a field without directives', async () => {
    expect((await as(undefined, '{ open }')).body).toEqual({ data: { open: 'open' } });
  });

  it('refuses @authenticated and @requiresScopes fields to anonymous callers with UNAUTHENTICATED', async () => {
    for (const query of ['{ signed_in }', '{ admins_only }', '{ open signed_in }']) {
      const errors = await refused(undefined, query);
      expect(errors[0]!.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    }
  });

  it('lets a signed-in caller use @authenticated fields', async () => {
    expect((await as('developer', '{ signed_in }')).body).toEqual({ data: { signed_in: 'signed in' } });
  });

  it('holds @requiresScopes: ADMIN passes, DEVELOPER is FORBIDDEN, one error per denied field with its path', async () => {
    expect((await as('admin', '{ admins_only }')).body).toEqual({ data: { admins_only: 'admins only' } });
    const errors = await refused('developer', '{ open a: admins_only b: admins_only }');
    expect(errors.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['a'], 'FORBIDDEN'],
      [['b'], 'FORBIDDEN'],
    ]);
    expect(errors[0]!.message).toContain('ADMIN');
  });

  it('sees through named and inline fragments', async () => {
    await refused('developer', 'query { ...F } fragment F on Query { ... on Query { hidden: admins_only } }');
  });

  it('sees through interfaces and unions to the implementation that requires a scope', async () => {
    await refused('developer', '{ node { id code } }');
    await refused('developer', '{ node { ... on Secret { code } } }');
    await refused('developer', '{ things { ... on Secret { code } } }');
    await refused('developer', '{ things { ...S } } fragment S on Secret { code }');
    expect((await as('developer', '{ things { ... on Plain { code } } }')).body).toEqual({ data: { things: [{}, { code: 'plain' }] } });
    expect((await as('admin', '{ things { ... on Secret { code } } }')).body).toEqual({
      data: { things: [{ code: 'the secret code' }, {}] },
    });
  });

  it('holds a requirement declared on a type for every field returning it', async () => {
    await refused('developer', '{ admin_thing { id } }');
    expect((await as('admin', '{ admin_thing { id } }')).body).toEqual({ data: { admin_thing: { id: 'a1' } } });
  });

  it('never exposes _entities or _service', async () => {
    for (const query of ['{ _service { sdl } }', '{ _entities(representations: [{ __typename: "Secret", id: "s1" }]) { __typename } }']) {
      const { status, body } = await as('admin', query);
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });
});
