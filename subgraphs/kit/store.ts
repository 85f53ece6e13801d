/**
 * A subgraph's store: one database per subgraph behind Kysely, a typed query builder that speaks SQLite
 * (the embedded default, one file under `dataDir`) and Postgres alike, so resolvers are written once.
 * Numbered migrations (`001_...`, `002_...`) are applied in order at start by Kysely's own Migrator.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';

export type { Migration };

export interface StoreOptions {
  /** The subgraph's name; the SQLite file is `<dataDir>/<name>.sqlite`. */
  name: string;
  dataDir: string;
  /** Keyed by a name that sorts in the order to apply them, e.g. `001_projects`. */
  migrations: Record<string, Migration>;
}

export interface Store<DB> {
  db: Kysely<DB>;
  close(): Promise<void>;
}

export async function openStore<DB>({ name, dataDir, migrations }: StoreOptions): Promise<Store<DB>> {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new Database(join(dataDir, `${name}.sqlite`));
  // WAL lets readers proceed during a write; busy_timeout rides out a concurrent writer instead of failing.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });

  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
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
