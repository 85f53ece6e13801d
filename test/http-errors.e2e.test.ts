/**
 * What is not a GraphQL request is answered in GraphQL's error shape, with its HTTP status: never
 * fastify's `FST_ERR_*` objects, never a stack trace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greetingsSubgraph } from './helpers/greetings-subgraph.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';

const schemaDir = mkdtempSync(join(tmpdir(), 'http-errors-'));
let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform({ subgraphs: [greetingsSubgraph(schemaDir).definition], gatewayEnv: { MAX_BODY_BYTES: '1000' } });
});
afterAll(async () => {
  await platform?.stop();
  rmSync(schemaDir, { recursive: true, force: true });
});

async function answer(init: RequestInit, path = '/graphql') {
  const response = await fetch(new URL(path, platform.gatewayUrl), init);
  const text = await response.text();
  expect(text).not.toMatch(/FST_ERR|statusCode|at .*\.(ts|js):\d+/);
  return {
    status: response.status,
    allow: response.headers.get('allow'),
    body: JSON.parse(text) as { errors: { message: string; extensions: { code: string } }[] },
  };
}

const json = { 'content-type': 'application/json' };

describe('requests that are not GraphQL requests', () => {
  it.each([
    [
      'a body that is not JSON',
      { method: 'POST', headers: json, body: '{"query": ' },
      400,
      'BAD_REQUEST',
      'The request body is not valid JSON',
    ],
    ['an empty body', { method: 'POST', headers: json, body: '' }, 400, 'BAD_REQUEST', 'The request body is empty; send {"query": "..."}'],
    [
      'another content type',
      { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<q/>' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send GraphQL requests as application/json',
    ],
    [
      'a body over MAX_BODY_BYTES',
      { method: 'POST', headers: json, body: JSON.stringify({ query: `{ hello(name: "${'x'.repeat(2000)}") }` }) },
      413,
      'PAYLOAD_TOO_LARGE',
      'The request body is larger than 1000 bytes (MAX_BODY_BYTES)',
    ],
  ])('%s', async (_what, init, status, code, message) => {
    const { status: got, body } = await answer(init as RequestInit);
    expect(got).toBe(status);
    expect(body.errors).toEqual([{ message, extensions: { code } }]);
  });

  it('a method the endpoint does not take: 405 with Allow', async () => {
    const { status, allow, body } = await answer({ method: 'PUT', headers: json, body: '{}' });
    expect(status).toBe(405);
    expect(allow).toBe('GET, POST');
    expect(body.errors[0]?.extensions.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('a path nothing is served at: 404', async () => {
    const { status, body } = await answer({ method: 'GET' }, '/nothing/here?x=1');
    expect(status).toBe(404);
    expect(body.errors).toEqual([{ message: 'Nothing is served at GET /nothing/here', extensions: { code: 'NOT_FOUND' } }]);
  });

  it('and a GraphQL request still works', async () => {
    expect((await platform.query('{ hello(name: "x") }')).body.data).toEqual({ hello: 'Hello, x' });
  });
});
