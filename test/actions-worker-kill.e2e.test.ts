import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startActionsPlatform, type ActionsPlatform } from './helpers/actions-platform.ts';
import { IDENTITY_SECRET } from './helpers/platform.ts';
import { startWorkerProcess, type WorkerProcess } from './helpers/worker-process.ts';

describe('a worker process killed with SIGKILL mid-job', () => {
  let platform: ActionsPlatform;
  const workers: WorkerProcess[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    await platform?.stop();
  });

  beforeAll(async () => {
    platform = await startActionsPlatform(
      { OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', ACTIONS_LEASE_MS: '1000', RUN_JOB_WAIT_MS: '300' },
      { worker: false },
    );
  }, 60_000);

  const startWorker = async () => {
    const worker = await startWorkerProcess('actions', {
      ...platform.actionsEnv,
      DATA_DIR: platform.dataDir,
      SUPERGRAPH_CONFIG: platform.supergraphConfigPath,
      IDENTITY_SECRET,
    });
    workers.push(worker);
    return worker;
  };

  it('waits for the result at most RUN_JOB_WAIT_MS, then answers the job as it is', async () => {
    // No worker runs yet: the job cannot end within the wait.
    const job = await platform.runJob(ADMIN_KEY, 'text-sentiment', { text: 'patience' }, { wait: true });
    expect(job).toMatchObject({ status: 'QUEUED', response: null, started_at: null });
  });

  it('leaves the job to be leased again: it ends COMPLETED once, charged once', async () => {
    const file = Buffer.from('the bytes of a file');
    const requests: ServerResponse[] = [];
    let firstRequest: () => void;
    const firstRequestSeen = new Promise<void>((resolve) => (firstRequest = resolve));
    // The first download hangs (the worker is mid-job when it is killed); later ones answer.
    const server = createServer((_request, response) => {
      requests.push(response);
      if (requests.length === 1) return firstRequest();
      response.writeHead(200).end(file);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/file`;
    try {
      const first = await startWorker();
      const job = await platform.runJob(ADMIN_KEY, 'file-hash', { file: url }, { wait: false });
      await firstRequestSeen;
      const running = await platform.ok(ADMIN_KEY, 'query ($id: String!) { get_job(id: $id) { status } }', { id: job.id });
      expect(running.get_job.status).toBe('IN_PROGRESS');

      await first.kill();
      requests[0]!.destroy();
      await startWorker();

      let current: any;
      for (let tries = 0; tries < 300; tries++) {
        current = (
          await platform.ok(ADMIN_KEY, 'query ($id: String!) { get_job(id: $id) { status response billing_request_quantity } }', {
            id: job.id,
          })
        ).get_job;
        if (current.status === 'COMPLETED' || current.status === 'FAILED') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(current).toMatchObject({
        status: 'COMPLETED',
        billing_request_quantity: 1,
        response: { hex: createHash('sha256').update(file).digest('hex') },
      });
      expect(requests).toHaveLength(2);

      const db = platform.subgraphs.actions!.store.db;
      const queued = await db
        .selectFrom('queue_jobs')
        .select(['kind', 'attempts', 'status'])
        .where((eb) => eb.or([eb('id', '=', job.id), eb('idempotency_key', '=', `charge:${job.id}`)]))
        .execute();
      expect(queued).toEqual(expect.arrayContaining([{ kind: 'action', attempts: 2, status: 'COMPLETED' }]));
      expect(queued.filter((row) => row.kind === 'charge')).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 60_000);
});
