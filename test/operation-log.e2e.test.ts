/**
 * The gateway's log at info: one line per operation with what an operator needs and no secret; probes
 * and scrapes not at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../gateway/config.ts';
import { greetingsSubgraph } from './helpers/greetings-subgraph.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';

const schemaDir = mkdtempSync(join(tmpdir(), 'operation-log-'));
const lines: Record<string, any>[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  }),
);
const SECRET_KEY = 'cc_secret-key-that-must-never-be-logged';
let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform({
    subgraphs: [greetingsSubgraph(schemaDir).definition],
    logger,
    authenticate: async (request) =>
      request.headers.authorization === `Bearer ${SECRET_KEY}`
        ? { kind: 'apiKey', keyId: 'key-42', userId: null, roles: {} }
        : { kind: 'anonymous' },
  });
});
afterAll(async () => {
  await platform?.stop();
  rmSync(schemaDir, { recursive: true, force: true });
});

/** The lines written for the request with this id. */
const linesOf = (requestId: string) => lines.filter((line) => line.reqId === requestId);

describe('the operation log', () => {
  it('writes one line per operation: id, name, type, caller, duration, status; never the credential', async () => {
    const { headers } = await platform.query('query Greet { hello(name: "log") }', undefined, {
      authorization: `Bearer ${SECRET_KEY}`,
      'x-request-id': 'req-ok',
    });
    expect(headers.get('x-request-id')).toBe('req-ok');
    const written = linesOf('req-ok');
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      msg: 'operation',
      level: 30,
      path: '/graphql',
      status: 200,
      operationName: 'Greet',
      operationType: 'query',
      caller: 'apiKey',
      keyId: 'key-42',
    });
    expect(written[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(lines)).not.toContain(SECRET_KEY);
  });

  it('names the error codes an answer carried', async () => {
    await platform.query('{ nope }', undefined, { 'x-request-id': 'req-invalid' });
    expect(linesOf('req-invalid')).toEqual([
      expect.objectContaining({ status: 400, caller: 'anonymous', errorCodes: ['GRAPHQL_VALIDATION_FAILED'] }),
    ]);
  });

  it('logs each subgraph call at debug only: subgraph, request id, status, duration', async () => {
    expect(lines.some((line) => line.msg === 'subgraph call')).toBe(false);
    const debugLines: Record<string, any>[] = [];
    const debugLogger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString().split('\n').filter(Boolean)) debugLines.push(JSON.parse(line));
          done();
        },
      }),
    );
    const verbose = await startPlatform({ subgraphs: [greetingsSubgraph(schemaDir).definition], logger: debugLogger });
    try {
      await verbose.query('{ hello(name: "debug") }', undefined, { 'x-request-id': 'req-debug' });
      expect(debugLines.filter((line) => line.msg === 'subgraph call')).toEqual([
        expect.objectContaining({ level: 20, subgraph: 'greetings', reqId: 'req-debug', status: 200, durationMs: expect.any(Number) }),
      ]);
    } finally {
      await verbose.stop();
    }
  });

  it('does not log /health, /ready or /metrics at info', async () => {
    const origin = new URL(platform.gatewayUrl).origin;
    for (const path of ['/health', '/ready', '/metrics'])
      await fetch(`${origin}${path}`, { headers: { 'x-request-id': `req-probe${path.replace('/', '-')}` } });
    expect(lines.filter((line) => String(line.reqId).startsWith('req-probe'))).toEqual([]);
  });
});

describe('LOG_FORMAT', () => {
  it('is json by default, pretty on request, and nothing else', () => {
    expect(parseGatewayConfig({}).logFormat).toBe('json');
    expect(parseGatewayConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => parseGatewayConfig({ LOG_FORMAT: 'loud' })).toThrow('LOG_FORMAT must be one of json, pretty, got "loud"');
  });
});
