/**
 * A subgraph's store: one database per subgraph behind Kysely, a typed query builder that speaks SQLite
 * (the embedded default, one file under `dataDir`) and Postgres alike, so resolvers are written once.
 * With `databaseUrl` set, the subgraph's tables live in a Postgres schema named after the subgraph.
 * Numbered migrations (`001_...`, `002_...`) are applied in order at start by Kysely's own Migrator.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Dialect, type Migration } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';

export type { Migration };

/**
 * better-sqlite3 13 where it runs (Node 22 and later), 12 on Node 20, where 13 crashes on load. Built
 * against Node 24.19 or later, 12 aborts the process whenever the garbage collector frees one of its
 * statements outside JavaScript (`Assertion failed: (env) != nullptr`, nodejs/node#65446); 13 no longer
 * uses the API at fault. Both have the same API.
 */
const Database = createRequire(import.meta.url)(
  Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-v13' : 'better-sqlite3',
) as typeof BetterSqlite3;

export interface StoreOptions {
  /** The subgraph's name: the SQLite file `<dataDir>/<name>.sqlite`, or the Postgres schema `<name>`. */
  name: string;
  dataDir: string;
  /** A postgres:// URL (DATABASE_URL); unset means the embedded SQLite file. */
  databaseUrl?: string;
  /** Keyed by a name that sorts in the order to apply them, e.g. `001_projects`. */
  migrations: Record<string, Migration>;
  /** Called with the SQL of every query run (tracing; tests count queries with it). Default: none. */
  onQuery?: (sql: string) => void;
  /** Where an idle Postgres connection's error is logged (the server restarted or dropped it). */
  log?: Pick<Logger, 'warn'>;
}

export interface Store<DB> {
  db: Kysely<DB>;
  close(): Promise<void>;
}

function sqliteDialect(name: string, dataDir: string): Dialect {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new Database(join(dataDir, `${name}.sqlite`));
  // WAL lets readers proceed during a write; busy_timeout rides out a concurrent writer instead of failing.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database: sqlite });
}

async function postgresDialect(name: string, databaseUrl: string, log: StoreOptions['log']): Promise<Dialect> {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`subgraph name "${name}" cannot name a Postgres schema`);
  const setup = new pg.Client({ connectionString: databaseUrl });
  await setup.connect();
  try {
    await setup.query(`create schema if not exists "${name}"`);
  } finally {
    await setup.end();
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, options: `-c search_path=${name}` });
  // An idle connection that the server ends (a restart, a failover) is an 'error' event of the pool, which
  // crashes the process unless handled. The pool has dropped that connection and opens another for the next
  // query, so it is logged, not thrown.
  pool.on('error', (error) => log?.warn({ err: error, store: name }, 'an idle database connection was closed by the server'));
  return new PostgresDialect({ pool });
}

export async function openStore<DB>({ name, dataDir, databaseUrl, migrations, onQuery, log }: StoreOptions): Promise<Store<DB>> {
  const dialect = databaseUrl ? await postgresDialect(name, databaseUrl, log) : sqliteDialect(name, dataDir);
  const db = new Kysely<DB>({ dialect, log: onQuery && ((event) => onQuery(event.query.sql)) });

  // On Postgres the migration bookkeeping lives in the subgraph's own schema, beside its tables. Kit
  // migrations (`kit_queue_001_...`) make tables of their own, so they may sort among a subgraph's in any order.
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: databaseUrl ? name : undefined,
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(`${name}: migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }

  let closed = false;
  return {
    db,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
