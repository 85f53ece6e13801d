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

/** A locator: a point or a range of time in an asset, of one of the site's locator types. */
export interface LocatorTable {
  id: Generated<number>;
  asset_id: number;
  type_id: string;
  /** Written as the TimeCode scalar writes them; `in_ms`/`out_ms` the same times in milliseconds, for ranges. */
  timecode_in: string;
  timecode_out: string | null;
  in_ms: number;
  out_ms: number | null;
  /** The login of the user who last changed it (LocatorIfc.lastModifiedBy is a String). */
  last_modified_by: string;
  last_modified_at: string;
  created_at: string;
}

/** One row of a table metadata (a DataFieldTableType) of an asset; its columns are metadata_values rows. */
export interface TableMetadataRowTable {
  id: Generated<number>;
  asset_id: number;
  table_name: string;
  created_at: string;
}

/** One value of one data field of one owner (exactly one of the four owner columns is set); `position` orders a multi-value field. */
export interface MetadataValueTable {
  id: Generated<number>;
  asset_id: number | null;
  category_id: number | null;
  locator_id: number | null;
  table_row_id: number | null;
  field_id: string;
  position: number;
  /** As the field's value type's scalar writes it (see modules/metadata/values.ts). */
  value: string;
}

/** The value of one GroupItemDataField of one item ("1:1:1") of a group asset. */
export interface GroupItemMetadataRow {
  group_asset_id: number;
  item_id: string;
  field: string;
  value: string;
}

export interface DaletDatabase {
  users: DaletUserTable;
  user_groups: UserGroupTable;
  user_group_members: UserGroupMemberRow;
  categories: CategoryTable;
  category_rights: CategoryRightTable;
  tokens: DaletTokenRow;
  configuration_objects: ConfigurationObjectRow;
  locators: LocatorTable;
  table_metadata_rows: TableMetadataRowTable;
  metadata_values: MetadataValueTable;
  group_item_metadata: GroupItemMetadataRow;
}
export type DaletUserRow = Selectable<DaletUserTable>;
export type UserGroupRow = Selectable<UserGroupTable>;
export type CategoryRow = Selectable<CategoryTable>;
export type CategoryRightRow = Selectable<CategoryRightTable>;
export type LocatorRow = Selectable<LocatorTable>;
export type MetadataValueRow = Selectable<MetadataValueTable>;
