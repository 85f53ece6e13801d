import type { Migration } from 'kysely';
import { usersGroupsCategories } from './001-users-groups-categories.ts';
import { siteConfiguration } from './002-site-configuration.ts';
import { assets } from './003-assets.ts';
import { assetStructures } from './004-asset-structures.ts';
import { metadataLocators } from './005-metadata-locators.ts';
import { mediaInfo } from './006-media-info.ts';

export const migrations: Record<string, Migration> = {
  '001_users_groups_categories': usersGroupsCategories,
  '002_site_configuration': siteConfiguration,
  '003_assets': assets,
  '004_asset_structures': assetStructures,
  '005_metadata_locators': metadataLocators,
  '006_media_info': mediaInfo,
};
