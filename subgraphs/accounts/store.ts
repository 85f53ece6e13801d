import { sql, type Kysely, type Migration } from 'kysely';
import type { Role } from '../kit/permissions.ts';
import { storageMigrations, type StorageDatabase } from '../kit/storage/index.ts';

export interface UserRow {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  default_project_id: string | null;
  /** The picture's key in kit/storage, under `profile-pictures/`; its URL is the storage's signed GET. */
  picture_file: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProjectRow {
  id: string;
  name: string;
  description: string | null;
  owner_user_id: string;
  created_at: string;
  updated_at: string;
}

/** A user as another user may see them. */
export type PublicUserRow = Pick<UserRow, 'id' | 'first_name' | 'last_name' | 'picture_file'>;

/** A project as resolved, with the caller's role when it is known better than from the principal. */
export type ProjectParent = ProjectRow & { my_role?: Role };

export interface ProjectMemberRow {
  id: string;
  project_id: string;
  user_id: string;
  role: Role;
  created_at: string;
  updated_at: string;
}

/** An API key of one project. Only the SHA-256 of the key is kept; the plaintext is shown once. */
export interface ApiKeyRow {
  id: string;
  project_id: string;
  /** Who created it (the user, or the user behind the key that created it); null if nobody is known. */
  user_id: string | null;
  name: string;
  key_hash: string;
  masked_key: string;
  role: Role;
  last_used_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The one pending login code of an email address; only its HMAC is kept. */
export interface EmailOtpRow {
  email: string;
  code_hash: string;
  expires_at: string;
  failed_attempts: number;
  created_at: string;
}

/** Every login token issued, so that logout can revoke it and unknown tokens are refused. */
export interface AccessTokenRow {
  id: string;
  user_id: string;
  expires_at: string;
  revoked_at: string | null;
  created_at: string;
}

/** A signed profile-picture upload handed out; it goes when the picture arrives or the URL expires. */
export interface ProfilePictureUploadRow {
  storage_key: string;
  user_id: string;
  content_type: string;
  expires_at: string;
  /** S3 only: when the picture was taken in (the row stays until expiry, see profile-pictures.ts). */
  arrived_at: string | null;
  created_at: string;
}

export interface AccountsDatabase extends StorageDatabase {
  users: UserRow;
  projects: ProjectRow;
  project_members: ProjectMemberRow;
  api_keys: ApiKeyRow;
  email_otps: EmailOtpRow;
  access_tokens: AccessTokenRow;
  profile_picture_uploads: ProfilePictureUploadRow;
}

export const migrations: Record<string, Migration> = {
  '001_users_projects_members': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('email', 'text', (column) => column.notNull().unique())
        .addColumn('first_name', 'text')
        .addColumn('last_name', 'text')
        .addColumn('default_project_id', 'text')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('projects')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('description', 'text')
        .addColumn('owner_user_id', 'text', (column) => column.notNull().references('users.id'))
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('project_members')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) => column.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', (column) => column.notNull().check(sql`role in ('ADMIN', 'DEVELOPER', 'READONLY', 'FINANCE')`))
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .addUniqueConstraint('project_members_project_user', ['project_id', 'user_id'])
        .execute();
      await db.schema.createIndex('project_members_user').on('project_members').column('user_id').execute();
    },
  },
  '002_keys_login_pictures': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('users').addColumn('picture_file', 'text').execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) => column.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (column) => column.references('users.id').onDelete('set null'))
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('key_hash', 'text', (column) => column.notNull().unique())
        .addColumn('masked_key', 'text', (column) => column.notNull())
        .addColumn('role', 'text', (column) => column.notNull().check(sql`role in ('ADMIN', 'DEVELOPER', 'READONLY', 'FINANCE')`))
        .addColumn('last_used_at', 'text')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('api_keys_project').on('api_keys').column('project_id').execute();
      await db.schema
        .createTable('email_otps')
        .addColumn('email', 'text', (column) => column.primaryKey())
        .addColumn('code_hash', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .addColumn('failed_attempts', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('access_tokens')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .execute();
    },
  },
  '003_profile_picture_uploads': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('profile_picture_uploads')
        .addColumn('storage_key', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
        .addColumn('content_type', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .addColumn('arrived_at', 'text')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('profile_picture_uploads_expiry').on('profile_picture_uploads').column('expires_at').execute();
    },
  },
  // The used tokens of the single-use upload URLs.
  ...storageMigrations,
};
