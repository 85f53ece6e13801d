/**
 * `npm start` on a port that is already taken stops at once, naming the port and the variable that moves
 * it, and starts nothing: no service that would never serve, no bootstrap key for a store nobody reaches.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from './helpers/free-port.ts';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'start-all-ports-'));
let occupied: Server;
let busyPort: number;

beforeAll(async () => {
  busyPort = await freePort();
  occupied = createServer();
  await new Promise<void>((resolve) => occupied.listen(busyPort, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => occupied.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

it('stops with one line naming the busy port and its variable, having started nothing', async () => {
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    ACCOUNTS_PORT: String(busyPort),
    BILLING_PORT: String(await freePort()),
  };
  const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/start-all.ts'], { env }).then(
    () => undefined,
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  expect(failed?.code).toBe(1);
  expect(failed?.stderr.trim()).toBe(
    `port ${busyPort} on 127.0.0.1 is in use, so accounts cannot start: stop what holds it, or set ACCOUNTS_PORT to another port`,
  );
  expect(failed?.stdout).not.toContain('Bootstrap ADMIN API key');
  expect(existsSync(join(dataDir, 'accounts.sqlite'))).toBe(false);
}, 30_000);
