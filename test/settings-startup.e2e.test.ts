/** A bad setting stops a service before it starts: one line naming the variable, exit code 1, no stack trace. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'settings-startup-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', ...args],
      {
        env: { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: '1', DATA_DIR: dataDir, ...env },
        timeout: 60_000,
      },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

// One process at a time, each given a minute: a loaded two-core CI machine starts node + tsx slowly.
describe('bad settings at start', { timeout: 90_000 }, () => {
  it.each([
    ['billing', { PORT: 'abc' }, /^billing: PORT must be a whole number from 0 to 65535, got "abc"\n$/],
    ['billing', { LOG_LEVEL: 'loud' }, /^billing: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"\n$/],
    ['billing', { METRICS_TOKEN: '12345' }, /^billing: METRICS_TOKEN must be at least 16 characters long\n$/],
    ['billing', { DATABASE_URL: 'mysql://db' }, /^billing: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL\n$/],
    [
      'accounts',
      { ACCESS_TOKEN_TTL_SECONDS: 'a day' },
      /^accounts: ACCESS_TOKEN_TTL_SECONDS must be a whole number from 1 to \d+, got "a day"\n$/,
    ],
  ])('stop %s with %o in one line and exit code 1', async (subgraph, env, line) => {
    const { code, stderr, stdout } = await start(['subgraphs/main.ts', subgraph], env);
    expect(stderr).toMatch(line);
    expect(stdout).toBe('');
    expect(code).toBe(1);
    // Refused before anything was opened: no database file was made.
    expect(readdirSync(dataDir).filter((file) => file.endsWith('.sqlite'))).toEqual([]);
  });

  it('stop the gateway the same way', async () => {
    const { code, stderr } = await start(['gateway/main.ts'], { PORT: 'abc' });
    expect(stderr).toBe('gateway: PORT must be a whole number from 0 to 65535, got "abc"\n');
    expect(code).toBe(1);
  });
});
