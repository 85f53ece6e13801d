/**
 * A client's mistakes are answered HTTP 400 with a message saying what is wrong, never 500: nothing of
 * such a request reaches a subgraph.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './helpers/platform.ts';
import { securedSubgraph } from './helpers/secured-subgraph.ts';

describe('client errors', () => {
  const schemaDir = mkdtempSync(join(tmpdir(), 'secured-schema-'));
  const secured = securedSubgraph(schemaDir);
  let platform: Platform;

  beforeAll(async () => {
    // Tokens raised, so that a document nested thousands deep reaches the parser within that limit.
    platform = await startPlatform({ subgraphs: [secured.definition], gatewayEnv: { MAX_TOKENS: '50000' } });
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(schemaDir, { recursive: true, force: true });
  });

  /** Posts `payload`, expecting HTTP 400 and these errors, with no subgraph called. */
  async function refused(payload: Record<string, unknown>, errors: { message: string | RegExp; code: string }[]) {
    const before = secured.calls();
    const response = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors.map(({ message, extensions }) => ({ message, code: extensions.code }))).toEqual(
      errors.map(({ message, code }) => ({ message: typeof message === 'string' ? message : expect.stringMatching(message), code })),
    );
    expect(secured.calls()).toBe(before);
  }

  it('an unknown operationName', async () => {
    await refused({ query: '{ open }', operationName: 'Nope' }, [
      { message: 'Unknown operation named "Nope".', code: 'OPERATION_RESOLUTION_FAILURE' },
    ]);
    await refused({ query: 'query A { open } query B { open }', operationName: 'C' }, [
      { message: 'Unknown operation named "C".', code: 'OPERATION_RESOLUTION_FAILURE' },
    ]);
    // The name that does match still runs.
    const named = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query A { a: open } query B { b: open }', operationName: 'B' }),
    });
    expect(await named.json()).toEqual({ data: { b: 'open' } });
  });

  it('several operations, and none named', async () => {
    await refused({ query: 'query A { open } query B { open }' }, [
      { message: 'Must provide operation name if query contains multiple operations.', code: 'OPERATION_RESOLUTION_FAILURE' },
    ]);
    const anonymous = { message: 'This anonymous operation must be the only defined operation.', code: 'GRAPHQL_VALIDATION_FAILED' };
    await refused({ query: '{ open } { open }' }, [anonymous, anonymous]);
    await refused({ query: '{ open } query B { open }', operationName: 'B' }, [anonymous]);
  });

  it('a subscription over plain POST, and an operation type the schema has no root for', async () => {
    const subscription = { message: /^Subscriptions are not served over HTTP/, code: 'BAD_REQUEST' };
    await refused({ query: 'subscription { open }' }, [subscription]);
    await refused({ query: 'subscription S { open }', operationName: 'S' }, [subscription]);
    await refused({ query: 'mutation { open }' }, [{ message: 'The schema has no mutation type.', code: 'GRAPHQL_VALIDATION_FAILED' }]);
  });

  it('lists, objects and selections nested thousands deep: GRAPHQL_PARSE_FAILED, before the parser recurses', async () => {
    const parseFailed = {
      message: 'Syntax Error: Document nests lists, objects or selections more than 100 deep.',
      code: 'GRAPHQL_PARSE_FAILED',
    };
    for (const depth of [101, 1_000, 2_000, 5_000]) {
      await refused({ query: `{ open(x: ${'['.repeat(depth)}${']'.repeat(depth)}) }` }, [parseFailed]);
      await refused({ query: `{ open(x: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}) }` }, [parseFailed]);
      await refused({ query: `${'{ tree '.repeat(depth)}${'}'.repeat(depth)}` }, [parseFailed]);
    }
    // Brackets inside strings and comments do not count; 100 deep is still parsed (and then validated).
    await refused({ query: `{ open(x: "${'['.repeat(500)}") } # ${'{'.repeat(500)}` }, [
      { message: /Unknown argument "x"/, code: 'GRAPHQL_VALIDATION_FAILED' },
    ]);
    await refused({ query: `{ open(x: ${'['.repeat(98)}1${']'.repeat(98)}) }` }, [
      { message: /Unknown argument "x"/, code: 'GRAPHQL_VALIDATION_FAILED' },
    ]);
  });
});
