import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags.ts';
import { freePort } from './helpers/free-port.ts';
import { postGraphQL } from './helpers/platform.ts';

const ADMIN_KEY = 'start-all-admin-key-0123456789';

interface Started {
  child: ChildProcess;
  gatewayUrl: string;
  /** pid of each service, from the lines `npm start` prints. */
  pids: Record<string, number>;
  exited: Promise<number | null>;
}

const dataDirs: string[] = [];
afterEach(() => {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs what `npm start` runs, on free ports, until the gateway says it is ready. */
async function startAll(): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'start-all-'));
  dataDirs.push(dataDir);
  const [port, accountsPort, billingPort, actionsPort, mediaPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-all.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), ACCOUNTS_PORT: String(accountsPort), BILLING_PORT: String(billingPort), ACTIONS_PORT: String(actionsPort), MEDIA_PORT: String(mediaPort), LOG_LEVEL: 'warn', BOOTSTRAP_ADMIN_KEY: ADMIN_KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pids: Record<string, number> = {};
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const [, name, pid] of output.matchAll(/^(\w+(?: worker)?) \(pid (\d+)\) (?:ready|started)/gm)) pids[name!] = Number(pid);
      if (pids.gateway) resolve();
    });
    void exited.then((code) => reject(new Error(`npm start exited with ${code} before it was ready:\n${output}`)));
  });
  return { child, gatewayUrl: `http://127.0.0.1:${port}/graphql`, pids, exited };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('npm run start:gateway passes the gateway its node flags too', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    for (const flag of GATEWAY_NODE_FLAGS) expect(scripts['start:gateway']!.split(' ')).toContain(flag);
  });

  it('brings up every subgraph and the gateway, and stops them all on SIGTERM', async () => {
    const { child, gatewayUrl, pids, exited } = await startAll();
    expect(Object.keys(pids).sort()).toEqual(['accounts', 'actions', 'actions worker', 'billing', 'gateway', 'media']);
    const { body } = await postGraphQL(gatewayUrl, '{ __typename }');
    expect(body).toEqual({ data: { __typename: 'Query' } });
    // The actions worker process runs the job.
    const job = await postGraphQL(gatewayUrl, 'mutation { run_job(action_id: "text-sentiment", payload: { text: "good" }, wait_for_result: true) { status } }', undefined, { authorization: `Bearer ${ADMIN_KEY}` });
    expect(job.body).toEqual({ data: { run_job: { status: 'COMPLETED' } } });
    const gatewayArgs = readFileSync(`/proc/${pids.gateway}/cmdline`, 'utf8').split('\0');
    expect(gatewayArgs).toEqual(expect.arrayContaining(GATEWAY_NODE_FLAGS));

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Object.values(pids).filter(isAlive)).toEqual([]);
  }, 120_000);

  it('ends with a non-zero exit code, stopping the others, when a child dies', async () => {
    const { pids, exited } = await startAll();
    process.kill(pids.billing!, 'SIGKILL');
    expect(await exited).toBe(1);
    expect(Object.values(pids).filter(isAlive)).toEqual([]);
  }, 120_000);
});
