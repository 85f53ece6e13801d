import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../gateway/config.ts';
import { DEFAULT_OPERATION_LIMITS } from '../gateway/pipeline/operation-limits.ts';
import { securedSubgraph } from './helpers/secured-subgraph.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';

const LIMITS = { MAX_DEPTH: '3', MAX_ALIASES: '2', MAX_ROOT_FIELDS: '3', MAX_TOKENS: '60', MAX_BODY_BYTES: '2000' };

describe('operation limits', () => {
  const schemaDir = mkdtempSync(join(tmpdir(), 'secured-schema-'));
  const secured = securedSubgraph(schemaDir);
  let limited: Platform;
  let production: Platform;

  beforeAll(async () => {
    limited = await startPlatform({ subgraphs: [secured.definition], gatewayEnv: LIMITS });
    production = await startPlatform({ subgraphs: [securedSubgraph(schemaDir).definition], gatewayEnv: { NODE_ENV: 'production' } });
  });
  afterAll(async () => {
    await limited?.stop();
    await production?.stop();
    rmSync(schemaDir, { recursive: true, force: true });
  });

  /** Asks, expecting HTTP 400 with one error of `code` whose message matches; no subgraph is called. */
  async function refused(query: string, code: string, message: RegExp) {
    const before = secured.calls();
    const { status, body } = await limited.query(query);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe(code);
    expect(body.errors?.[0]?.message).toMatch(message);
    expect(secured.calls()).toBe(before);
  }

  it('have sane defaults, and refuse settings out of range naming them', () => {
    expect(parseGatewayConfig({}).operationLimits).toEqual(DEFAULT_OPERATION_LIMITS);
    expect(DEFAULT_OPERATION_LIMITS.batchedRequests).toBe(false);
    expect(() => parseGatewayConfig({ MAX_DEPTH: '0' })).toThrow(/MAX_DEPTH/);
    expect(() => parseGatewayConfig({ BATCHED_REQUESTS: 'yes' })).toThrow(/BATCHED_REQUESTS must be true or false/);
  });

  it('depth: at the limit is served, one deeper is refused, through fragments too', async () => {
    expect((await limited.query('{ tree { child { name } } }')).body).toEqual({ data: { tree: { child: { name: 'node' } } } });
    await refused('{ tree { child { child { name } } } }', 'GRAPHQL_VALIDATION_FAILED', /depth limit of 3 exceeded, found 4/);
    await refused(
      '{ tree { ...Deep } } fragment Deep on Tree { child { child { name } } }',
      'GRAPHQL_VALIDATION_FAILED',
      /depth limit of 3 exceeded/,
    );
  });

  it('aliases', async () => {
    expect((await limited.query('{ a: open b: open }')).body).toEqual({ data: { a: 'open', b: 'open' } });
    await refused('{ a: open b: open c: open }', 'GRAPHQL_VALIDATION_FAILED', /Aliases limit of 2 exceeded, found 3/);
  });

  it('root fields, an alias counting again, through fragments', async () => {
    expect((await limited.query('{ open tree { name } a: open }')).status).toBe(200);
    await refused(
      '{ open tree { name } ...More } fragment More on Query { a: open b: open }',
      'GRAPHQL_VALIDATION_FAILED',
      /Root fields limit of 3 exceeded, found 4/,
    );
  });

  it('tokens', async () => {
    await refused(`{ open ${'__typename '.repeat(60)}}`, 'GRAPHQL_PARSE_FAILED', /Document contains more th\w+ 60 tokens/);
  });

  it('request body size', async () => {
    const response = await fetch(limited.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ open }', variables: { padding: 'x'.repeat(3000) } }),
    });
    expect(response.status).toBe(413);
    const { errors } = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(errors[0]?.message).toBe('The request body is larger than 2000 bytes (MAX_BODY_BYTES)');
    expect(errors[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('batched requests are off by default', async () => {
    const response = await fetch(limited.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ open }' }, { query: '{ open }' }]),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/batching/i);
  });

  it('CSRF prevention: a GET without a preflight header is refused', async () => {
    const response = await fetch(`${limited.gatewayUrl}?query=${encodeURIComponent('{ open }')}`);
    expect(response.status).toBe(400);
    const preflighted = await fetch(`${limited.gatewayUrl}?query=${encodeURIComponent('{ open }')}`, {
      headers: { 'apollo-require-preflight': '1' },
    });
    expect(await preflighted.json()).toEqual({ data: { open: 'open' } });
  });

  it('in production: no introspection and no field suggestions', async () => {
    const introspection = await production.query('{ __schema { queryType { name } } }');
    expect(introspection.body.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
    const typo = await production.query('{ opne }');
    expect(typo.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(typo.body.errors?.[0]?.message).not.toMatch(/did you mean/i);
    // Outside production the suggestion is given, so the test above proves something.
    expect((await limited.query('{ opne }')).body.errors?.[0]?.message).toMatch(/Did you mean "open"/);
  });
});
