import { sql, type Kysely, type Migration } from 'kysely';
import type { Role } from '../kit/permissions.ts';

export interface UserRow {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  default_project_id: string | null;
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

export interface ProjectMemberRow {
  id: string;
  project_id: string;
  user_id: string;
  role: Role;
  created_at: string;
  updated_at: string;
}

export interface AccountsDatabase {
  users: UserRow;
  projects: ProjectRow;
  project_members: ProjectMemberRow;
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
};
