/**
 * The demo site loaded by migration 002, by the configuration query that answers each kind. Part 2 validates
 * its inputs (statuses, data fields, formats...) against these rows.
 */
import {
  DATA_FIELD_TABLE_TYPES,
  DATA_FIELD_TYPES,
  DATA_FIELDS,
  LANGUAGES,
  LOCATOR_FAMILIES,
  LOCATOR_TYPES,
} from './fields-and-locators.ts';
import {
  ASSET_STATUSES,
  BLOCK_TEMPLATES,
  CG_TYPES,
  EXTENDED_ASSET_TYPES,
  MEDIA_PACK_TEMPLATES,
  STORY_TEMPLATES,
  SUBTITLES_TYPES,
  TRACK_STACK_TEMPLATES,
  USER_TASK_TYPES,
} from './asset-types.ts';
import { MEDIA_FORMATS, MIGRATION_POLICIES, SOLR_INDEXES, STORAGE_UNITS } from './media-and-storage.ts';
import { STATIONS, STUDIO_CHANNELS, STUDIOS } from './studios.ts';

export const SITE: Record<string, readonly Record<string, unknown>[]> = {
  assetStatuses: ASSET_STATUSES,
  blockTemplates: BLOCK_TEMPLATES,
  cgTypes: CG_TYPES,
  dataFields: DATA_FIELDS,
  dataFieldTableTypes: DATA_FIELD_TABLE_TYPES,
  dataFieldTypes: DATA_FIELD_TYPES,
  deployedSolrIndexes: SOLR_INDEXES,
  extendedAssetTypes: EXTENDED_ASSET_TYPES,
  languages: LANGUAGES,
  locatorFamilies: LOCATOR_FAMILIES,
  locatorTypes: LOCATOR_TYPES,
  mediaFormats: MEDIA_FORMATS,
  mediaPackTemplates: MEDIA_PACK_TEMPLATES,
  migrationPolicies: MIGRATION_POLICIES,
  stations: STATIONS,
  storageUnits: STORAGE_UNITS,
  storyTemplates: STORY_TEMPLATES,
  studioChannels: STUDIO_CHANNELS,
  studios: STUDIOS,
  subtitlesTypes: SUBTITLES_TYPES,
  trackStackTemplates: TRACK_STACK_TEMPLATES,
  userTaskTypes: USER_TASK_TYPES,
};
