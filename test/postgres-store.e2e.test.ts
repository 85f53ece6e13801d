import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../subgraphs/kit/store.ts';
import type { Principal } from '../core/identity.ts';
import { chargeRow } from './helpers/billing-platform.ts';
import { startPlatform } from './helpers/platform.ts';
import { startPostgres, type PostgresServer } from './helpers/postgres.ts';
import { POSTGRES } from './helpers/servers.ts';

describe.skipIf(POSTGRES.skip)(POSTGRES.title('the same subgraph code on PostgreSQL (DATABASE_URL)'), () => {
  let postgres: PostgresServer;
  beforeAll(async () => (postgres = await startPostgres()), 60_000);
  afterAll(() => postgres?.stop());

  it('migrates, serves a query spanning two subgraphs, and keeps its data across a restart', async () => {
    const databaseUrl = await postgres.createDatabase();
    const userId = randomUUID();
    const projectId = randomUUID();
    const caller: Principal = { kind: 'user', userId, roles: { [projectId]: 'ADMIN' } };
    const options = { subgraphs: ['accounts', 'billing'], subgraphEnv: { DATABASE_URL: databaseUrl }, authenticate: async () => caller };
    const query = 'query ($id: String!) { get_project(id: $id) { name current_spend } }';

    const first = await startPlatform(options);
    try {
      const now = new Date().toISOString();
      await first.subgraphs
        .accounts!.store.db.insertInto('users')
        .values({
          id: userId,
          email: 'pg@example.com',
          first_name: null,
          last_name: null,
          default_project_id: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await first.subgraphs
        .accounts!.store.db.insertInto('projects')
        .values({ id: projectId, name: 'On Postgres', description: null, owner_user_id: userId, created_at: now, updated_at: now })
        .execute();
      await first.subgraphs.billing!.store.db.insertInto('charges').values(chargeRow(projectId, 450)).execute();
      expect((await first.query(query, { id: projectId })).body).toEqual({
        data: { get_project: { name: 'On Postgres', current_spend: 4.5 } },
      });
    } finally {
      await first.stop();
    }

    const second = await startPlatform(options);
    try {
      expect((await second.query(query, { id: projectId })).body).toEqual({
        data: { get_project: { name: 'On Postgres', current_spend: 4.5 } },
      });
    } finally {
      await second.stop();
    }
  });

  it('logs an idle connection that the server ends, and opens another for the next query', async () => {
    const databaseUrl = await postgres.createDatabase();
    const log = { warn: vi.fn() };
    const store = await openStore<{ notes: { id: number } }>({
      name: 'restarts',
      dataDir: '/nonexistent',
      databaseUrl,
      log,
      migrations: { '001_notes': { up: (db) => db.schema.createTable('notes').addColumn('id', 'integer').execute() } },
    });
    try {
      await store.db.selectFrom('notes').selectAll().execute();
      // What a server restart or a failover does to the pool's idle connection; unhandled, it crashed the process.
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      await admin.end();
      await vi.waitFor(() => expect(log.warn).toHaveBeenCalledWith(expect.objectContaining({ store: 'restarts' }), expect.any(String)));
      expect(await store.db.selectFrom('notes').selectAll().execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
