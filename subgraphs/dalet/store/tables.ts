/** The dalet store's tables as Kysely types. Booleans are integers (0/1) so SQLite and Postgres read alike. */
import type { Generated, Selectable } from 'kysely';

export interface DaletUserTable {
  id: Generated<number>;
  login: string;
  first_name: string;
  last_name: string;
  remarks: string | null;
  /** scrypt, see modules/authentication/passwords.ts; the password itself is never kept. */
  password_hash: string;
  clip_bin_category_id: number | null;
  assignments_category_id: number | null;
  private_category_id: number | null;
  quick_save_category_id: number | null;
  created_at: string;
}

export interface UserGroupTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  priority: number;
  /** 1 for the groups made at bootstrap (ADMINISTRATORS, PUBLIC, EDITORS), which may not be deleted. */
  system: number;
}

export interface UserGroupMemberRow {
  user_group_id: number;
  user_id: number;
}

export interface CategoryTable {
  id: Generated<number>;
  name: string;
  short_name: string;
  full_name: string;
  code: string | null;
  description: string | null;
  parent_id: number | null;
  system: number;
  running_order: number;
  color: string;
  keep_date_offset: number;
  end_date_offset: number;
  kill_date_offset: number;
  created_at: string;
}

/** View, Insert and Remove rights on one category, held by one user or one user group. */
export interface CategoryRightTable {
  id: Generated<number>;
  category_id: number;
  user_id: number | null;
  user_group_id: number | null;
  can_view: number;
  can_insert: number;
  can_remove: number;
}

/** Every login token issued (its jti), so that the gateway can ask whether a token is still good. */
export interface DaletTokenRow {
  id: string;
  user_id: number;
  expires_at: string;
  created_at: string;
}

/** The site configuration, read-only through the API: one row per object of each kind (see site/). */
export interface ConfigurationObjectRow {
  kind: string;
  id: string;
  name: string;
  /** The object as the API answers it, JSON. */
  data: string;
}

export interface DaletDatabase {
  users: DaletUserTable;
  user_groups: UserGroupTable;
  user_group_members: UserGroupMemberRow;
  categories: CategoryTable;
  category_rights: CategoryRightTable;
  tokens: DaletTokenRow;
  configuration_objects: ConfigurationObjectRow;
}
export type DaletUserRow = Selectable<DaletUserTable>;
export type UserGroupRow = Selectable<UserGroupTable>;
export type CategoryRow = Selectable<CategoryTable>;
export type CategoryRightRow = Selectable<CategoryRightTable>;
