/** A subgraph's log: its probes and scrapes are not logged, its GraphQL requests are. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, expect, it } from 'vitest';
import { buildSubgraph } from '../subgraphs/kit/build-subgraph.ts';
import { greetingsSubgraph } from './helpers/greetings-subgraph.ts';
import { IDENTITY_SECRET } from './helpers/platform.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'kit-request-log-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('logs /graphql requests but not /health, /ready or /metrics', async () => {
  const urls: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          const entry = JSON.parse(line) as { msg?: string; req?: { url?: string } };
          if (entry.msg === 'incoming request' && entry.req?.url) urls.push(entry.req.url);
        }
        done();
      },
    }),
  );
  const service = await buildSubgraph(greetingsSubgraph(dataDir).definition, { dataDir, identitySecret: IDENTITY_SECRET, logger, env: {} });
  try {
    for (const url of ['/health', '/ready', '/metrics', '/graphql']) await service.app.inject({ method: 'GET', url });
    expect(urls).toEqual(['/graphql']);
  } finally {
    await service.stop();
  }
});
