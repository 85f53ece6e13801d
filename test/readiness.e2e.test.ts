/**
 * `/ready` means the gateway can serve: it fails, naming the subgraph, once a subgraph has not answered for
 * READY_GRACE_MS; `/health` (liveness) stays up, since restarting the gateway would not help.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { greetingsSubgraph } from './helpers/greetings-subgraph.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';

const schemaDir = mkdtempSync(join(tmpdir(), 'readiness-'));
const platforms: Platform[] = [];
afterAll(async () => {
  await Promise.all(platforms.map((platform) => platform.stop()));
  rmSync(schemaDir, { recursive: true, force: true });
});

async function start(gatewayEnv: Record<string, string>): Promise<Platform> {
  const platform = await startPlatform({
    subgraphs: [greetingsSubgraph(schemaDir).definition],
    gatewayEnv: { SUBGRAPH_HEALTH_INTERVAL_MS: '50', ...gatewayEnv },
  });
  platforms.push(platform);
  return platform;
}

async function probe(platform: Platform, path: '/ready' | '/health') {
  const response = await fetch(`${new URL(platform.gatewayUrl).origin}${path}`);
  return { status: response.status, body: (await response.json()) as any };
}

describe('/ready', () => {
  it('is ready while every subgraph answers, and unready naming the one that stopped answering', async () => {
    const platform = await start({ READY_GRACE_MS: '300' });
    expect(await probe(platform, '/ready')).toEqual({ status: 200, body: { status: 'ready', circuits: { greetings: 'closed' } } });

    await platform.subgraphs.greetings!.stop();
    await expect.poll(async () => (await probe(platform, '/ready')).status, { timeout: 10_000, interval: 100 }).toBe(503);
    const { body } = await probe(platform, '/ready');
    expect(body).toEqual({
      status: 'unready',
      unreachable: [{ subgraph: 'greetings', since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }],
      circuits: { greetings: 'closed' },
    });
    expect(await probe(platform, '/health')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('meanwhile, a field of the silent subgraph answers an error naming it, at the field', async () => {
    const platform = await start({ READY_GRACE_MS: '300' });
    await platform.subgraphs.greetings!.stop();
    const { status, body } = await platform.query('{ hi: hello(name: "x") }');
    expect(status).toBe(200);
    expect(body).toEqual({
      data: null,
      errors: [
        {
          message: 'The greetings service could not be reached',
          path: ['hi'],
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'greetings' },
        },
      ],
    });
  });

  it('never depends on subgraphs with READY_GRACE_MS=0', async () => {
    const platform = await start({ READY_GRACE_MS: '0' });
    await platform.subgraphs.greetings!.stop();
    // Ten probe intervals: the subgraph is long known not to answer.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await probe(platform, '/ready')).toEqual({ status: 200, body: { status: 'ready', circuits: { greetings: 'closed' } } });
  });
});
