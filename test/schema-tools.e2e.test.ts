import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { composeFromConfig } from '../gateway/supergraph/composition.ts';
import { readSupergraphConfig } from '../core/supergraph-config.ts';

const run = promisify(execFile);
const workDir = mkdtempSync(join(tmpdir(), 'schema-check-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function check(subgraph: string, sdl: string): Promise<{ code: number; output: string }> {
  const file = join(workDir, `${subgraph}-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(file, sdl);
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'gateway/cli/check.ts', subgraph, file], {
      env: { ...process.env, DATA_DIR: workDir },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

const billingSchema = readFileSync('subgraphs/billing/schema.graphql', 'utf8');

describe('npm run check', () => {
  it('passes a compatible change (a new field)', async () => {
    const result = await check('billing', billingSchema.replace('current_spend: Float', 'current_spend: Float\n  spend_forecast: Float'));
    expect(result.output).toContain('breaks nothing');
    expect(result.code).toBe(0);
  });

  it('fails a change that removes a field clients use, naming it', async () => {
    const result = await check('billing', billingSchema.replace(/^.*current_spend: Float\n/m, '  placeholder: Boolean\n'));
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FIELD_REMOVED: Project\.current_spend was removed/);
  });

  it('fails a schema that does not compose with the others, with the composition error', async () => {
    const result = await check('billing', billingSchema.replace('id: String!', 'id: Int!'));
    expect(result.code).toBe(1);
    expect(result.output).toContain('does not compose');
    expect(result.output).toMatch(/Project\.id/);
  });
});

describe('the committed supergraph', () => {
  it('is what supergraph.yaml composes to today (run `npm run compose` after changing a subgraph schema)', async () => {
    const config = readSupergraphConfig('supergraph.yaml', {});
    const { supergraphSdl } = await composeFromConfig(config, async () => {
      throw new Error('supergraph.yaml should name schema files only');
    });
    expect(readFileSync('supergraph.graphql', 'utf8')).toBe(supergraphSdl);
  });
});
