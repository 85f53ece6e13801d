/**
 * The media subgraph's tables and migrations, plus the kit queue's (processing runs as its jobs) and the
 * kit storage's (the used tokens of single-use upload URLs).
 * Booleans are integers (0/1) and lists are JSON text, so SQLite and Postgres store them alike.
 */
import type { Kysely, Migration } from 'kysely';
import { queueMigrations, type QueueDatabase } from '../kit/queue/index.ts';
import { storageMigrations } from '../kit/storage/index.ts';

export interface LibrariesTable {
  id: string;
  project_id: string;
  name: string;
  description: string | null;
  asset_type: string;
  created_at: string;
  updated_at: string;
}

export interface AssetsTable {
  id: string;
  library_id: string;
  project_id: string;
  name: string;
  /** What the client said at upload; `content_type` is set from the bytes when processed. */
  declared_content_type: string;
  content_type: string | null;
  size: number | null;
  duration: number | null;
  width: number | null;
  height: number | null;
  status: string;
  status_reason: string | null;
  storage_key: string;
  /** JSON array of the storage keys of its thumbnails. */
  thumbnail_keys: string;
  created_at: string;
  updated_at: string;
}

export interface AssetEnhancementsTable {
  id: string;
  asset_id: string;
  enhancement_id: string;
  status: string;
  thumbnail_count: number | null;
  file_size: number | null;
  /** JSON arrays of {id, name, confidence}, or null. */
  image_tags: string | null;
  image_moderation_labels: string | null;
  created_at: string;
}

/** A signed upload not finished yet: swept when it expires. */
export interface UploadsTable {
  id: string;
  asset_id: string;
  storage_key: string;
  kind: 'single' | 'multipart';
  /** The storage's multipart upload id; null for a single PUT. */
  upload_id: string | null;
  parts: number;
  expires_at: string;
  created_at: string;
}

export interface CustomDomainsTable {
  id: string;
  library_id: string;
  domain: string;
  is_primary: number;
  verification_token: string;
  verified_at: string | null;
  created_at: string;
}

export interface MediaDatabase extends QueueDatabase {
  libraries: LibrariesTable;
  assets: AssetsTable;
  asset_enhancements: AssetEnhancementsTable;
  uploads: UploadsTable;
  custom_domains: CustomDomainsTable;
}

export const migrations: Record<string, Migration> = {
  ...queueMigrations,
  ...storageMigrations,
  '001_media': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('libraries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('asset_type', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('libraries_by_project').on('libraries').columns(['project_id', 'created_at']).execute();

      await db.schema
        .createTable('assets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('library_id', 'text', (c) => c.notNull().references('libraries.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('declared_content_type', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text')
        .addColumn('size', 'bigint')
        .addColumn('duration', 'double precision')
        .addColumn('width', 'integer')
        .addColumn('height', 'integer')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('storage_key', 'text', (c) => c.notNull().unique())
        .addColumn('thumbnail_keys', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('assets_by_library').on('assets').columns(['library_id', 'created_at']).execute();

      await db.schema
        .createTable('asset_enhancements')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id').onDelete('cascade'))
        .addColumn('enhancement_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('thumbnail_count', 'integer')
        .addColumn('file_size', 'bigint')
        .addColumn('image_tags', 'text')
        .addColumn('image_moderation_labels', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('asset_enhancements_one_per_kind', ['asset_id', 'enhancement_id'])
        .execute();

      await db.schema
        .createTable('uploads')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id').onDelete('cascade'))
        .addColumn('storage_key', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('upload_id', 'text')
        .addColumn('parts', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('uploads_by_expiry').on('uploads').column('expires_at').execute();
      await db.schema.createIndex('uploads_by_upload_id').on('uploads').column('upload_id').execute();

      await db.schema
        .createTable('custom_domains')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('library_id', 'text', (c) => c.notNull().references('libraries.id').onDelete('cascade'))
        .addColumn('domain', 'text', (c) => c.notNull().unique())
        .addColumn('is_primary', 'integer', (c) => c.notNull())
        .addColumn('verification_token', 'text', (c) => c.notNull())
        .addColumn('verified_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('custom_domains_by_library').on('custom_domains').columns(['library_id', 'created_at']).execute();
    },
  },
};
