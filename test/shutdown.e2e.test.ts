import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlatform } from './helpers/platform.ts';
import { slowSubgraph } from './helpers/slow-subgraph.ts';

const schemaDir = mkdtempSync(join(tmpdir(), 'slow-subgraph-'));
afterAll(() => rmSync(schemaDir, { recursive: true, force: true }));

describe('graceful shutdown', () => {
  it('the gateway finishes a request in flight, then refuses new connections', async () => {
    const { definition, requestStarted } = slowSubgraph(schemaDir);
    const platform = await startPlatform({ subgraphs: [definition] });
    try {
      const inFlight = platform.query('{ slow(ms: 300) }');
      await requestStarted;
      const stopped = platform.gateway.stop();
      const { status, body } = await inFlight;
      expect(status).toBe(200);
      expect(body).toEqual({ data: { slow: 'done after 300 ms' } });
      await stopped;
      await expect(platform.query('{ slow(ms: 1) }')).rejects.toThrow();
    } finally {
      await platform.stop();
    }
  });

  it('a subgraph finishes a request in flight before it closes its database', async () => {
    const { definition, requestStarted } = slowSubgraph(schemaDir);
    const platform = await startPlatform({ subgraphs: [definition] });
    try {
      const inFlight = platform.query('{ slow(ms: 300) }');
      await requestStarted;
      const stopped = platform.subgraphs.slow!.stop();
      const { body } = await inFlight;
      expect(body).toEqual({ data: { slow: 'done after 300 ms' } });
      await stopped;
      // stop() is safe to call twice.
      await platform.subgraphs.slow!.stop();
    } finally {
      await platform.stop();
    }
  });
});
