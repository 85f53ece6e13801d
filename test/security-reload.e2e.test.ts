import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLogs } from './helpers/logs.ts';
import { securedSubgraph } from './helpers/secured-subgraph.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';

describe('authorization across a supergraph reload', () => {
  const schemaDir = mkdtempSync(join(tmpdir(), 'secured-schema-'));
  let platform: Platform;
  afterAll(async () => {
    await platform?.stop();
    rmSync(schemaDir, { recursive: true, force: true });
  });

  it('follows the directives of the new supergraph', async () => {
    const logs = captureLogs();
    const secured = securedSubgraph(schemaDir);
    platform = await startPlatform({ subgraphs: [secured.definition], logger: logs.logger });
    expect((await platform.query('{ open }')).body).toEqual({ data: { open: 'open' } });

    const schemaFile = fileURLToPath(secured.definition.schemaUrl);
    writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8').replace('  open: String\n', '  open: String @authenticated\n'));
    await logs.waitFor('supergraph reloaded');

    const { body } = await platform.query('{ open }');
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
