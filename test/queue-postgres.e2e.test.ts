import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker, enqueue, queueMigrations, type QueueDatabase } from '../subgraphs/kit/queue/index.ts';
import { openStore } from '../subgraphs/kit/store.ts';
import { startPostgres, type PostgresServer } from './helpers/postgres.ts';

describe('the durable queue on PostgreSQL', () => {
  let postgres: PostgresServer;
  beforeAll(async () => (postgres = await startPostgres()), 60_000);
  afterAll(() => postgres?.stop());

  it('two workers, each with its own connection pool as on two machines, never run a job twice', async () => {
    const databaseUrl = await postgres.createDatabase();
    const options = { name: 'queue', dataDir: '/nonexistent', databaseUrl, migrations: queueMigrations };
    const first = await openStore<QueueDatabase>(options);
    const second = await openStore<QueueDatabase>(options);
    const runs = new Map<string, string[]>();
    const handler =
      (workerName: string) =>
      async (_payload: unknown, { job }: { job: { id: string } }) => {
        runs.set(job.id, [...(runs.get(job.id) ?? []), workerName]);
        await new Promise((resolve) => setTimeout(resolve, 2));
        return workerName;
      };
    const workers = [
      createWorker({ db: first.db, handlers: { work: handler('first') }, concurrency: 4, pollMs: 5 }),
      createWorker({ db: second.db, handlers: { work: handler('second') }, concurrency: 4, pollMs: 5 }),
    ];
    try {
      const ids: string[] = [];
      for (let n = 0; n < 200; n++) ids.push((await enqueue(first.db, { kind: 'work', payload: n })).id);
      for (const worker of workers) worker.start();

      const deadline = Date.now() + 30_000;
      let open = ids.length;
      while (open > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const row = await first.db
          .selectFrom('queue_jobs')
          .select((eb) => eb.fn.countAll<string>().as('open'))
          .where('status', '!=', 'COMPLETED')
          .executeTakeFirstOrThrow();
        open = Number(row.open);
      }
      expect(open).toBe(0);
      expect([...runs.keys()].sort()).toEqual([...ids].sort());
      for (const id of ids) expect(runs.get(id)).toHaveLength(1);
      const byWorker = new Set([...runs.values()].map(([name]) => name));
      expect(byWorker).toEqual(new Set(['first', 'second']));
      const rows = await first.db.selectFrom('queue_jobs').select(['attempts', 'result']).execute();
      expect(rows.every((row) => row.attempts === 1)).toBe(true);
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
      await first.close();
      await second.close();
    }
  }, 60_000);
});
