import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { SubgraphDefinition } from '../subgraphs/kit/build-subgraph.ts';
import { startPlatform } from './helpers/platform.ts';

const schemaDir = mkdtempSync(join(tmpdir(), 'slow-subgraph-'));
afterAll(() => rmSync(schemaDir, { recursive: true, force: true }));

/** A subgraph whose one field answers after a delay, and tells the test when it has started. */
function slowSubgraph() {
  const schemaFile = join(schemaDir, `slow-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(schemaFile, 'type Query { slow(ms: Int!): String }');
  let started!: () => void;
  const requestStarted = new Promise<void>((resolve) => (started = resolve));
  const definition: SubgraphDefinition<unknown> = {
    name: 'slow',
    schemaUrl: pathToFileURL(schemaFile),
    errorStyle: 'cognitive-cloud',
    migrations: {},
    create: async () => ({
      resolvers: {
        Query: {
          async slow(_root: unknown, { ms }: { ms: number }) {
            started();
            await new Promise((resolve) => setTimeout(resolve, ms));
            return `done after ${ms} ms`;
          },
        },
      },
    }),
  };
  return { definition, requestStarted };
}

describe('graceful shutdown', () => {
  it('the gateway finishes a request in flight, then refuses new connections', async () => {
    const { definition, requestStarted } = slowSubgraph();
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
    const { definition, requestStarted } = slowSubgraph();
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
