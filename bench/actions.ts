/**
 * `npm run bench:actions`: the actions job pipeline under load. Starts accounts, billing and actions behind the real
 * gateway (over a fresh DATA_DIR, SQLite, or Postgres with DATABASE_URL) and an actions worker in this
 * process, then sends BENCH_JOBS `run_job(action_id: "text-sentiment", wait_for_result: false)` from
 * BENCH_CLIENTS concurrent clients and waits until every job is COMPLETED. Prints:
 * - submitted/s: run_job calls answered per second;
 * - completed/s: jobs COMPLETED per second, from the first submission to the last completion;
 * - queue latency p50/p99: from a job's creation (QUEUED) to its claim (IN_PROGRESS), from the queue rows.
 *
 * Settings (environment): BENCH_JOBS (default 1000), BENCH_CLIENTS (16), ACTIONS_WORKER_CONCURRENCY (4),
 * DATABASE_URL (unset: SQLite).
 */
import { randomUUID } from 'node:crypto';
import { startPlatform } from '../test/helpers/platform.ts';
import { IDENTITY_SECRET, silentLogger } from '../test/helpers/platform.ts';
import { loadKeyring } from '../subgraphs/actions/secret.ts';
import { parseActionsSettings } from '../subgraphs/actions/settings.ts';
import { createActionsWorker } from '../subgraphs/actions/worker.ts';
import type { ActionsDatabase } from '../subgraphs/actions/store.ts';
import type { Kysely } from 'kysely';

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
const jobs = Number(process.env.BENCH_JOBS ?? 1000);
const clients = Number(process.env.BENCH_CLIENTS ?? 16);
const projectId = randomUUID();
const env = {
  ACTIONS_WORKER_CONCURRENCY: process.env.ACTIONS_WORKER_CONCURRENCY ?? '4',
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
};

const platform = await startPlatform({
  subgraphs: ['accounts', 'billing', 'actions'],
  subgraphEnv: env,
  // The caller is an ADMIN key of one project: what is measured is the job pipeline, not authentication.
  authenticate: async () => ({ kind: 'apiKey', keyId: 'bench', userId: null, roles: { [projectId]: 'ADMIN' } }),
  gatewayEnv: { RATE_LIMITS: 'anonymous=1000000000,authenticated=1000000000,ADMIN=1000000000' },
});
const db = platform.subgraphs.actions!.store.db as Kysely<ActionsDatabase>;
const settings = parseActionsSettings(env);
const worker = createActionsWorker({
  db,
  settings,
  env,
  keyring: loadKeyring(undefined, platform.dataDir),
  identitySecret: IDENTITY_SECRET,
  dataDir: platform.dataDir,
  log: silentLogger,
  billingUrl: new URL(platform.subgraphUrls.billing!).origin,
  publicUrl: new URL(platform.subgraphUrls.actions!).origin,
  pollMs: 10,
});
worker.start();

const RUN = 'mutation ($t: String!) { run_job(action_id: "text-sentiment", payload: { text: $t }, wait_for_result: false) { id status } }';
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: clients }, async () => {
    while (next < jobs) {
      const n = next++;
      const { body } = await platform.query(RUN, { t: `job ${n} is good` });
      if (body.errors) throw new Error(JSON.stringify(body.errors));
    }
  }),
);
const submittedMs = performance.now() - started;

for (;;) {
  const open = await db
    .selectFrom('queue_jobs')
    .select((eb) => eb.fn.countAll<string>().as('open'))
    .where('kind', '=', 'action')
    .where('status', '!=', 'COMPLETED')
    .executeTakeFirstOrThrow();
  if (Number(open.open) === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const completedMs = performance.now() - started;

const rows = await db.selectFrom('queue_jobs').select(['created_at', 'started_at']).where('kind', '=', 'action').execute();
const latencies = rows.map((row) => Date.parse(row.started_at!) - Date.parse(row.created_at)).sort((a, b) => a - b);
const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;

console.log(
  `actions bench: ${jobs} text-sentiment jobs, ${clients} clients, worker concurrency ${settings.workerConcurrency}, ${process.env.DATABASE_URL ? 'Postgres' : 'SQLite'}`,
);
console.log(`  submitted/s           ${(jobs / (submittedMs / 1000)).toFixed(0)}`);
console.log(`  completed/s           ${(jobs / (completedMs / 1000)).toFixed(0)}`);
console.log(`  queue latency p50     ${percentile(50)} ms`);
console.log(`  queue latency p99     ${percentile(99)} ms`);

await worker.stop();
await platform.stop();
