/**
 * The tokens of single-use signed URLs already used, in the service's own database: a used URL stays used
 * across restarts and on every replica. A subgraph whose storage signs single-use PUTs spreads
 * `storageMigrations` into its own migrations (keys `kit_storage_...`, like the queue's).
 */
import type { Kysely, Migration } from 'kysely';

export interface UsedUrlRow {
  token: string;
  /** ISO time the URL expires; past it the row is no longer needed (the signature refuses the URL). */
  expires_at: string;
  used_at: string;
}

export interface StorageDatabase {
  storage_used_urls: UsedUrlRow;
}

export const storageMigrations: Record<string, Migration> = {
  kit_storage_001_used_urls: {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('storage_used_urls')
        .addColumn('token', 'text', (column) => column.primaryKey())
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .addColumn('used_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('storage_used_urls_expiry').on('storage_used_urls').column('expires_at').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('storage_used_urls').execute();
    },
  },
};

export interface UsedUrls {
  /** Records the token as used; false when it already was (by this process or any other). */
  claim(token: string, expiresAtSeconds: number): Promise<boolean>;
}

/** @param database the service's own, typed by its tables; the kit's table is among them. */
export function createUsedUrls(database: Kysely<any>, now: () => number): UsedUrls {
  const db = database as Kysely<StorageDatabase>;
  return {
    async claim(token, expiresAtSeconds) {
      const usedAt = new Date(now()).toISOString();
      // One statement decides, so two replicas receiving the same URL at once cannot both store it.
      const inserted = await db
        .insertInto('storage_used_urls')
        .values({ token, expires_at: new Date(expiresAtSeconds * 1000).toISOString(), used_at: usedAt })
        .onConflict((conflict) => conflict.column('token').doNothing())
        .executeTakeFirst();
      await db.deleteFrom('storage_used_urls').where('expires_at', '<', usedAt).execute();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
    },
  };
}
