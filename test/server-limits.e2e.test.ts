import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseGatewayConfig } from '../gateway/config.ts';
import { DEFAULT_SERVER_LIMITS, readServerLimits } from '../core/server-limits.ts';
import { greetingsSubgraph } from './helpers/greetings-subgraph.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';

const schemaDir = mkdtempSync(join(tmpdir(), 'server-limits-'));
afterAll(() => rmSync(schemaDir, { recursive: true, force: true }));

// Short enough for a test; the defaults are 30 s and 10 s.
const LIMITS = { REQUEST_TIMEOUT_MS: '800', HEADERS_TIMEOUT_MS: '400', MAX_CONNECTIONS: '20' };

interface Trickle {
  socket: Socket;
  /** What the server wrote before it closed the socket. */
  closed: Promise<string>;
  /** Bytes of the body sent before the close. */
  sent(): number;
}

/** Opens a socket and sends a request a byte every 50 ms: the headers (`inHeaders`) or, after them, the body. */
function trickle(url: string, { inHeaders = false } = {}): Trickle {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const head = `POST ${new URL(url).pathname} HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n`;
  const body = `{"query":"{ hello(name: \\"${'a'.repeat(99_950)}\\") }"}`;
  let sent = 0;
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString()));
  socket.once('connect', () => {
    socket.write(inHeaders ? head : `${head}\r\n`);
    const timer = setInterval(() => {
      if (socket.destroyed || socket.writableEnded) return clearInterval(timer);
      socket.write(inHeaders ? `x-slow-${sent}: 1\r\n` : body[sent % body.length]!);
      sent += 1;
    }, 50);
    socket.once('close', () => clearInterval(timer));
  });
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(answer)));
  socket.on('error', () => {});
  return { socket, closed, sent: () => sent };
}

describe('server timeouts', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform({ subgraphs: [greetingsSubgraph(schemaDir).definition], gatewayEnv: LIMITS, subgraphEnv: LIMITS });
  });
  afterAll(() => platform.stop());

  it("default to Apollo Router's: 10 s for the headers, 30 s for the whole request", () => {
    expect(DEFAULT_SERVER_LIMITS).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 10_000,
    });
    expect(parseGatewayConfig({}).serverLimits).toEqual(DEFAULT_SERVER_LIMITS);
    expect(readServerLimits({ REQUEST_TIMEOUT_MS: '60000', KEEP_ALIVE_TIMEOUT_MS: '75000' })).toMatchObject({
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 75_000,
    });
    expect(() => parseGatewayConfig({ REQUEST_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
    expect(() => parseGatewayConfig({ MAX_CONNECTIONS: '0' })).toThrow(/^MAX_CONNECTIONS must be a whole number from 1/);
    expect(() => readServerLimits({ HEADERS_TIMEOUT_MS: '40000' })).toThrow(/^HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS$/);
  });

  it('cut off a body trickled to the gateway, and to a subgraph, with 408, while others are still answered', async () => {
    for (const url of [platform.gatewayUrl, platform.subgraphUrls.greetings!]) {
      const slow = trickle(url);
      const started = Date.now();
      const answer = await slow.closed;
      // Closed by the server, after the timeout and long before the body was complete (a subgraph may have
      // refused the unsigned call with a 401 first, which did not end the upload).
      expect(answer).toMatch(/HTTP\/1\.1 408 Request Timeout/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(800);
      expect(slow.sent()).toBeGreaterThan(10);
      expect(slow.sent()).toBeLessThan(99_000);
    }
    expect((await platform.query('{ hello(name: "b") }')).body.data).toEqual({ hello: 'Hello, b' });
  });

  it('cut off headers that never end', async () => {
    const slow = trickle(platform.gatewayUrl, { inHeaders: true });
    const started = Date.now();
    expect(await slow.closed).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(slow.sent()).toBeGreaterThan(5);
  });

  it('close connections past MAX_CONNECTIONS at once, and take new ones when those are gone', async () => {
    const { hostname, port } = new URL(platform.gatewayUrl);
    const open = async () => {
      const socket = connect(Number(port), hostname);
      socket.on('error', () => {});
      await new Promise((resolve) => socket.once('connect', resolve));
      return socket;
    };
    const held: Socket[] = [];
    for (let i = 0; i < 20; i++) held.push(await open());
    const extra = await open();
    await new Promise((resolve) => extra.once('close', resolve));
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await platform.query('{ hello(name: "c") }')).body.data).toEqual({ hello: 'Hello, c' });
  });
});
