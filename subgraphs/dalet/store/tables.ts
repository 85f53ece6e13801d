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

/** One item of a group asset: an asset, or a segment of it, on one of the group's channels. */
export interface GroupItemTable {
  id: Generated<number>;
  group_asset_id: number;
  /** What the API calls the item's id, "<channel>:<track>:<number>" (the doc's "1:1:1"). */
  item_id: string;
  channel: number;
  /** 0-based order in the group, across channels. */
  position: number;
  asset_id: number;
  /** Where the segment starts, from the start of the media (or from its end, when tc_in_relative_to_end is 1). */
  tc_in_ms: number;
  tc_in_relative_to_end: number;
  /** Where it ends: from tc_in, or from the start of the media when tc_out_relative_to_start is 1; null is the end of the media. */
  tc_out_ms: number | null;
  tc_out_relative_to_start: number;
  /** The video standard the time codes were given in (PAL...). */
  standard: string;
  created_at: string;
}

/** An asset listed in a bundle asset: its track stacks, media and TX versions. */
export interface BundleItemTable {
  id: Generated<number>;
  bundle_asset_id: number;
  asset_id: number;
  created_at: string;
}

/** A CG or subtitles asset shown over a video asset on a studio channel, from tc_in to tc_out. */
export interface VideoAssociationTable {
  id: Generated<number>;
  kind: 'CG' | 'SUBTITLES';
  video_asset_id: number;
  associated_asset_id: number;
  studio_channel_id: string;
  tc_in_ms: number;
  tc_out_ms: number;
  standard: string;
  created_at: string;
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

/** The value of one GroupItemDataField of one item (a group_items row) of a group asset. */
export interface GroupItemMetadataRow {
  group_item_id: number;
  field: string;
  value: string;
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
  group_items: GroupItemTable;
  bundle_items: BundleItemTable;
  video_associations: VideoAssociationTable;
  locators: LocatorTable;
  table_metadata_rows: TableMetadataRowTable;
  metadata_values: MetadataValueTable;
  group_item_metadata: GroupItemMetadataRow;
  media_infos: MediaInfoTable;
}
export type DaletUserRow = Selectable<DaletUserTable>;
export type UserGroupRow = Selectable<UserGroupTable>;
export type CategoryRow = Selectable<CategoryTable>;
export type CategoryRightRow = Selectable<CategoryRightTable>;
export type AssetRow = Selectable<AssetTable>;
export type GroupItemRow = Selectable<GroupItemTable>;
export type VideoAssociationRow = Selectable<VideoAssociationTable>;
export type LocatorRow = Selectable<LocatorTable>;
export type MetadataValueRow = Selectable<MetadataValueTable>;
export type MediaInfoRow = Selectable<MediaInfoTable>;
