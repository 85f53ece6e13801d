import { PostgresAdapter, type Kysely, type Migration } from 'kysely';

/** Numbered ids as the doc shows them: SQLite's integer primary key is its row id, Postgres needs serial. */
function idType(db: Kysely<any>): 'serial' | 'integer' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'serial' : 'integer';
}

export const usersGroupsCategories: Migration = {
  async up(db: Kysely<any>) {
    const id = idType(db);
    await db.schema
      .createTable('categories')
      .addColumn('id', id, (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('short_name', 'text', (column) => column.notNull())
      .addColumn('full_name', 'text', (column) => column.notNull().unique())
      .addColumn('code', 'text')
      .addColumn('description', 'text')
      .addColumn('parent_id', 'integer', (column) => column.references('categories.id'))
      .addColumn('system', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('running_order', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('color', 'text', (column) => column.notNull())
      .addColumn('keep_date_offset', 'integer', (column) => column.notNull())
      .addColumn('end_date_offset', 'integer', (column) => column.notNull())
      .addColumn('kill_date_offset', 'integer', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('categories_parent').on('categories').column('parent_id').execute();
    await db.schema
      .createTable('users')
      .addColumn('id', id, (column) => column.primaryKey())
      .addColumn('login', 'text', (column) => column.notNull().unique())
      .addColumn('first_name', 'text', (column) => column.notNull())
      .addColumn('last_name', 'text', (column) => column.notNull())
      .addColumn('remarks', 'text')
      .addColumn('password_hash', 'text', (column) => column.notNull())
      .addColumn('clip_bin_category_id', 'integer', (column) => column.references('categories.id'))
      .addColumn('assignments_category_id', 'integer', (column) => column.references('categories.id'))
      .addColumn('private_category_id', 'integer', (column) => column.references('categories.id'))
      .addColumn('quick_save_category_id', 'integer', (column) => column.references('categories.id'))
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema
      .createTable('user_groups')
      .addColumn('id', id, (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull().unique())
      .addColumn('description', 'text')
      .addColumn('priority', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('system', 'integer', (column) => column.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('user_group_members')
      .addColumn('user_group_id', 'integer', (column) => column.notNull().references('user_groups.id').onDelete('cascade'))
      .addColumn('user_id', 'integer', (column) => column.notNull().references('users.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('user_group_members_pk', ['user_group_id', 'user_id'])
      .execute();
    await db.schema.createIndex('user_group_members_user').on('user_group_members').column('user_id').execute();
    await db.schema
      .createTable('category_rights')
      .addColumn('id', id, (column) => column.primaryKey())
      .addColumn('category_id', 'integer', (column) => column.notNull().references('categories.id').onDelete('cascade'))
      .addColumn('user_id', 'integer', (column) => column.references('users.id').onDelete('cascade'))
      .addColumn('user_group_id', 'integer', (column) => column.references('user_groups.id').onDelete('cascade'))
      .addColumn('can_view', 'integer', (column) => column.notNull())
      .addColumn('can_insert', 'integer', (column) => column.notNull())
      .addColumn('can_remove', 'integer', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('category_rights_category').on('category_rights').column('category_id').execute();
    await db.schema
      .createTable('tokens')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('user_id', 'integer', (column) => column.notNull().references('users.id').onDelete('cascade'))
      .addColumn('expires_at', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
  },
};
