import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags.ts';
import { readSupergraphConfig } from '../core/supergraph-config.ts';
import { freePort } from './helpers/free-port.ts';
import { postGraphQL } from './helpers/platform.ts';

const ADMIN_KEY = 'start-all-test-bootstrap-admin-key-0123456789';
const SUBGRAPHS = readSupergraphConfig('supergraph.yaml', {}).subgraphs.map(({ name }) => name);
/** The subgraphs with queue workers, which `npm start` runs in processes of their own. */
const WORKERS = SUBGRAPHS.filter((name) => existsSync(`subgraphs/${name}/worker-entry.ts`)).map((name) => `${name} worker`);
/** The CDN's edge server, which `npm start` runs beside the cdn subgraph. */
const EDGES = SUBGRAPHS.includes('cdn') ? ['cdn edge'] : [];

interface Started {
  child: ChildProcess;
  gatewayUrl: string;
  /** pid of each service, from the lines `npm start` prints (the latest one after a restart). */
  pids: Record<string, number>;
  /** Everything `npm start` wrote to stdout so far: the ready lines and the JSON log lines. */
  output(): string;
  /** Resolves once `name` is ready in a process other than `oldPid`, with the new pid. */
  readyAgain(name: string, oldPid: number): Promise<number>;
  exited: Promise<number | null>;
}

const dataDirs: string[] = [];
afterEach(() => {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs what `npm start` runs, on free ports, until the gateway says it is ready. */
async function startAll(env: Record<string, string> = {}): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'start-all-'));
  dataDirs.push(dataDir);
  const [port, metricsPort] = [await freePort(), await freePort()];
  // Every subgraph on a free port, through the <NAME>_PORT variable supergraph.yaml reads.
  const subgraphPorts: Record<string, string> = {};
  for (const name of SUBGRAPHS) subgraphPorts[`${name.toUpperCase()}_PORT`] = String(await freePort());
  subgraphPorts.CDN_EDGE_PORT = String(await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-all.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      ...subgraphPorts,
      LOG_LEVEL: 'warn',
      BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pids: Record<string, number> = {};
  let output = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const [, name, pid] of output.matchAll(/^(\w+(?: worker| edge)?) \(pid (\d+)\) (?:ready|started)/gm)) pids[name!] = Number(pid);
    for (const listener of listeners) listener();
  });
  const when = <T>(found: () => T | undefined) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = found();
        if (value === undefined) return;
        listeners.delete(check);
        resolve(value);
      };
      listeners.add(check);
      check();
      void exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
  await when(() => pids.gateway);
  return {
    child,
    gatewayUrl: `http://127.0.0.1:${port}/graphql`,
    pids,
    output: () => output,
    readyAgain: (name, oldPid) => when(() => (pids[name] !== undefined && pids[name] !== oldPid ? pids[name] : undefined)),
    exited,
  };
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

  it('brings up every subgraph, their workers and the gateway, and stops them all on SIGTERM', async () => {
    const { child, gatewayUrl, pids, exited } = await startAll();
    expect(Object.keys(pids).sort()).toEqual([...SUBGRAPHS, ...WORKERS, ...EDGES, 'gateway'].sort());
    expect(SUBGRAPHS).toEqual(expect.arrayContaining(['accounts', 'actions', 'billing']));
    expect(WORKERS).toContain('actions worker');
    const { body } = await postGraphQL(gatewayUrl, '{ __typename }');
    expect(body).toEqual({ data: { __typename: 'Query' } });
    // The actions worker process runs the job.
    const job = await postGraphQL(
      gatewayUrl,
      'mutation { run_job(action_id: "text-sentiment", payload: { text: "good" }, wait_for_result: true) { status } }',
      undefined,
      {
        authorization: `Bearer ${ADMIN_KEY}`,
      },
    );
    expect(job.body).toEqual({ data: { run_job: { status: 'COMPLETED' } } });
    const gatewayArgs = readFileSync(`/proc/${pids.gateway}/cmdline`, 'utf8').split('\0');
    expect(gatewayArgs).toEqual(expect.arrayContaining(GATEWAY_NODE_FLAGS));

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Object.values(pids).filter(isAlive)).toEqual([]);
  }, 120_000);

  it('restarts a subgraph killed with -9, logs it, and the gateway answers what needs only the others meanwhile', async () => {
    // A long first delay, so that the test sees the platform while billing is down.
    const { child, gatewayUrl, pids, output, readyAgain, exited } = await startAll({ RESTART_DELAY_MS: '3000' });
    const asAdmin = { authorization: `Bearer ${ADMIN_KEY}` };
    const me = await postGraphQL(gatewayUrl, '{ get_me { default_project_id } }', undefined, asAdmin);
    const projectId = me.body.data.get_me.default_project_id as string;
    const spendQuery = 'query ($id: String!) { get_project(id: $id) { id current_spend } }';
    expect((await postGraphQL(gatewayUrl, spendQuery, { id: projectId }, asAdmin)).body.errors).toBeUndefined();

    const killed = pids.billing!;
    process.kill(killed, 'SIGKILL');
    await expect.poll(() => isAlive(killed)).toBe(false);
    // billing is down: accounts' fields are answered, billing's field is an error in a 200 answer.
    expect((await postGraphQL(gatewayUrl, '{ is_valid_api_key }', undefined, asAdmin)).body).toEqual({ data: { is_valid_api_key: true } });
    const partial = await postGraphQL(gatewayUrl, spendQuery, { id: projectId }, asAdmin);
    expect(partial.status).toBe(200);
    expect(partial.body.data.get_project).toEqual({ id: projectId, current_spend: null });
    expect(partial.body.errors?.length).toBeGreaterThan(0);

    const restarted = await readyAgain('billing', killed);
    expect(isAlive(restarted)).toBe(true);
    const answered = await postGraphQL(gatewayUrl, spendQuery, { id: projectId }, asAdmin);
    expect(answered.body.errors).toBeUndefined();
    expect(typeof answered.body.data.get_project.current_spend).toBe('number');

    const crash = output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.name === 'supervisor' && line.service === 'billing');
    expect(crash).toMatchObject({
      level: 40,
      pid: killed,
      signal: 'SIGKILL',
      crashes: 1,
      restartInMs: 3000,
      msg: 'billing exited unexpectedly; restarting it',
    });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Object.values(pids).filter(isAlive)).toEqual([]);
  }, 150_000);

  it('gives up, stopping the others with exit code 1, when a service crashes RESTART_MAX_CRASHES times within the window', async () => {
    const { pids, readyAgain, exited } = await startAll({ RESTART_DELAY_MS: '100', RESTART_MAX_CRASHES: '2' });
    const first = pids.billing!;
    process.kill(first, 'SIGKILL');
    const second = await readyAgain('billing', first);
    process.kill(second, 'SIGKILL');
    expect(await exited).toBe(1);
    expect(Object.values(pids).filter(isAlive)).toEqual([]);
  }, 150_000);
});
