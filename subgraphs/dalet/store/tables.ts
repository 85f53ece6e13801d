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

/** One asset, whatever its implementation; dates are ISO 8601 text, time codes milliseconds at a standard. */
export interface AssetTable {
  id: Generated<number>;
  /** The GraphQL implementation of AssetIfc: VideoAsset, ClipAsset, GroupAsset... */
  asset_kind: string;
  name: string;
  item_code: string;
  /** Its asset type: a configuration object, by kind (simpleAssetTypes, cgTypes, storyTemplates...) and id. */
  asset_type_kind: string;
  asset_type_id: string;
  /** An assetStatuses configuration object's id. */
  status_id: string;
  status_comment: string | null;
  primary_category_id: number;
  /** A clip's parent asset. */
  parent_asset_id: number | null;
  timecode_in_ms: number | null;
  timecode_out_ms: number | null;
  timecode_standard: string | null;
  duration_seconds: number | null;
  created_at: string;
  created_by_user_id: number | null;
  last_modified_at: string;
  last_modified_by_user_id: number | null;
  record_date: string | null;
  start_date: string | null;
  end_date: string | null;
  kill_date: string | null;
  keep_date: string | null;
}

/** An asset linked to a category besides its primary one; `sequence` orders a running order's assets. */
export interface AssetCategoryLinkRow {
  asset_id: number;
  category_id: number;
  sequence: number | null;
  linked_at: string;
}

/** One media object of an asset: a file of a configured format in a configured storage unit (one a format and unit). */
export interface MediaInfoTable {
  id: Generated<number>;
  asset_id: number;
  /** A mediaFormats configuration object's id. */
  format_id: string;
  /** A storageUnits configuration object's id. */
  storage_unit_id: string;
  /** The MediaInfoIfc implementation, from the format: VideoMediaInfo, AudioMediaInfo... */
  media_kind: string;
  base_filename: string;
  media_process_status: string;
  /** 0 while OFFLINE, as the doc says; read from the file when it is reachable. */
  duration_ms: number;
  /** The first frame's time code: the file's own when it has one, else 0. */
  tc_in_ms: number;
  timecode_standard: string;
  /** 1 at creation, one more at each update. */
  version: number;
  created_at: string;
  last_modified_at: string;
}

export interface DaletDatabase {
  users: DaletUserTable;
  user_groups: UserGroupTable;
  user_group_members: UserGroupMemberRow;
  categories: CategoryTable;
  category_rights: CategoryRightTable;
  tokens: DaletTokenRow;
  configuration_objects: ConfigurationObjectRow;
  assets: AssetTable;
  asset_category_links: AssetCategoryLinkRow;
  media_infos: MediaInfoTable;
}
export type DaletUserRow = Selectable<DaletUserTable>;
export type UserGroupRow = Selectable<UserGroupTable>;
export type CategoryRow = Selectable<CategoryTable>;
export type CategoryRightRow = Selectable<CategoryRightTable>;
export type AssetRow = Selectable<AssetTable>;
export type MediaInfoRow = Selectable<MediaInfoTable>;
