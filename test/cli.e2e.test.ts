/**
 * Every command answers --help with its usage and does nothing else; unknown options and names are
 * refused with a message instead of being taken for a file or a subgraph.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve('.');
// The commands run from an empty folder, where `--import tsx` alone would not find tsx.
const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
// Each command runs in an empty folder, so that any file it wrote would be seen.
const workDir = mkdtempSync(join(tmpdir(), 'cli-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function command(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', tsx, join(root, script), ...args], {
      cwd: workDir,
      env: { ...process.env, SUPERGRAPH_CONFIG: join(root, 'supergraph.yaml'), DATA_DIR: join(workDir, 'data') },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const COMMANDS: Record<string, string> = {
  'npm start': 'scripts/start-all.ts',
  'npm run start:gateway': 'gateway/main.ts',
  'npm run start:subgraph': 'subgraphs/main.ts',
  'npm run compose': 'gateway/cli/compose.ts',
  'npm run check': 'gateway/cli/check.ts',
  'npm run manifests': 'scripts/kubernetes-manifests.ts',
  'npm run bench': 'bench/run.ts',
  'npm run accounts': 'subgraphs/accounts/admin-command.ts',
};

describe('--help', () => {
  for (const [name, script] of Object.entries(COMMANDS)) {
    it(`${name} prints its usage, exits 0 and writes nothing`, async () => {
      const result = await command(script, ['--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^usage: ${name.replace(/[:]/g, '\\$&')}`));
      expect(readdirSync(workDir)).toEqual([]);
    });
  }
});

describe('arguments refused', () => {
  it('compose does not take an unknown option for an output file', async () => {
    const result = await command('gateway/cli/compose.ts', ['--out']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown option --out');
    expect(existsSync(join(workDir, '--out'))).toBe(false);
  });

  it('check names an unknown subgraph and the known ones', async () => {
    const result = await command('gateway/cli/check.ts', ['acounts', join(root, 'subgraphs/accounts/schema.graphql')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/acounts is not a subgraph of .*supergraph\.yaml \(it has: accounts, billing.*\); add --new/);
  });

  it('start:subgraph names a subgraph that has no folder', async () => {
    const result = await command('subgraphs/main.ts', ['nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no subgraph "nope"');
  });
});
