/** The demo site's asset statuses, asset types and templates, with the ids of the doc's examples. */
import { DATA_FIELDS, fieldNamed, locatorTypeNamed } from './fields-and-locators.ts';
import { MEDIA_FORMATS } from './media-and-storage.ts';

export const ASSET_STATUSES = [
  { id: '1', name: 'New', abbreviation: 'NEW', description: 'Just created', color: '#FFFFFF' },
  { id: '2', name: 'In Progress', abbreviation: 'WIP', description: 'Being edited', color: '#FFA500' },
  { id: '3', name: 'Approved', abbreviation: 'APP', description: 'Ready for air', color: '#00FF00' },
  { id: '4', name: 'Rejected', abbreviation: 'REJ', description: 'Sent back to the editor', color: '#FF0000' },
  { id: '5', name: 'Archive', abbreviation: 'ARC', description: 'Kept in the archive', color: '#808080' },
];

const assetType = (__typename: string, id: string, name: string, mediaType: string, extra: Record<string, unknown> = {}) => ({
  __typename,
  id,
  name,
  description: null,
  objectType: 'ASSET',
  mediaType,
  editor: null,
  withFile: false,
  assetCanBeCreated: true,
  reuseAction: 'LINK',
  ...extra,
});

export const SIMPLE_ASSET_TYPES = [
  assetType('SimpleAssetType', '1', 'Video', 'VIDEO', { withFile: true, editor: 'Media Editor' }),
  assetType('SimpleAssetType', '2', 'Audio', 'AUDIO', { withFile: true }),
  assetType('SimpleAssetType', '3', 'Image', 'IMAGE', { withFile: true }),
  assetType('SimpleAssetType', '4', 'Story', 'STORY', { editor: 'Story Editor' }),
  // The types of the assets whose create mutation names none (part 2, migration 003).
  assetType('SimpleAssetType', '5', 'Clip', 'VIDEO', { withFile: true, editor: 'Media Editor' }),
  assetType('SimpleAssetType', '6', 'Group', 'OTHER'),
  assetType('SimpleAssetType', '7', 'Bundle', 'OTHER'),
  assetType('SimpleAssetType', '8', 'TX Version', 'VIDEO', { withFile: true }),
];

export const CG_TYPES = [
  assetType('CgType', '1078', 'Lower Third', 'CG', { withFile: false }),
  assetType('CgType', '1079', 'Full Screen Graphic', 'CG', { withFile: true }),
  assetType('CgType', '1080', 'Logo Bug', 'CG', { withFile: true, assetCanBeCreated: false }),
];

export const EXTENDED_ASSET_TYPES = [
  assetType('ExtendedAssetType', '1090', 'Spreadsheet', 'OTHER', { withFile: true }),
  assetType('ExtendedAssetType', '1091', 'Archive File', 'OTHER', { withFile: true, reuseAction: 'COPY' }),
  assetType('ExtendedAssetType', '1092', 'Script', 'OTHER', { withFile: false }),
];

export const SUBTITLES_TYPES = [
  assetType('SubtitlesType', '1095', 'Subtitle', 'OTHER', { withFile: true, storeTtml: true, storeNative: true }),
  assetType('SubtitlesType', '1096', 'Closed Caption', 'OTHER', { withFile: true, storeTtml: true, storeNative: false }),
];

export const BLOCK_TEMPLATES = [
  assetType('BlockTemplate', '1074', 'News Block', 'STORY'),
  assetType('BlockTemplate', '1075', 'Commercial Break', 'VIDEO', { assetCanBeCreated: false }),
];

export const STORY_TEMPLATES = [
  assetType('StoryTemplate', '1001', 'News Story', 'STORY', { description: 'A story of the news rundown' }),
  assetType('StoryTemplate', '1014', 'Voice Over', 'STORY', { description: 'A story read over pictures' }),
];

export const TRACK_STACK_TEMPLATES = [
  assetType('TrackStackTemplate', '1073', 'Stereo Programme', 'VIDEO', {
    // Categories are the store's own data: resolved by full name when read, with the caller's View right.
    defaultCategoryFullName: 'CATEGORIES/To review',
    associatedLocatorType: locatorTypeNamed('Segment'),
    mediaFormats: MEDIA_FORMATS.filter((format) => ['XDCAM HD 50', 'WAV 48k'].includes(format.name)),
    tracks: [
      { type: 'TT_VIDEO', metadata: null },
      { type: 'TT_AUDIO', metadata: { __typename: 'TextMetadata', field: fieldNamed('Locator Comment'), value: ['Left'] } },
      { type: 'TT_AUDIO', metadata: { __typename: 'TextMetadata', field: fieldNamed('Locator Comment'), value: ['Right'] } },
    ],
  }),
];

export const MEDIA_PACK_TEMPLATES = [
  assetType('MediaPackTemplate', '1085', 'IMF Package (IMP)', 'OTHER', {
    embeddedItems: [
      {
        name: 'Composition Playlist',
        type: EXTENDED_ASSET_TYPES[2],
        categoryFullName: null,
        includeSubCategories: false,
        rule: { minItemCount: 1, maxItemCount: 1 },
        field: null,
      },
      {
        name: 'Track Files',
        type: SIMPLE_ASSET_TYPES[0],
        categoryFullName: null,
        includeSubCategories: true,
        rule: { minItemCount: 1, maxItemCount: 32 },
        field: fieldNamed('Item Code'),
      },
    ],
  }),
];

export const USER_TASK_TYPES = [
  assetType('UserTaskType', '1100', 'API User Task', 'OTHER', {
    defaultCategoryFullName: 'CATEGORIES/Assignments',
    associatedLocatorType: locatorTypeNamed('Note'),
    defaultPriority: 'MEDIUM',
    defaultDueDateOffset: 'P1D',
    // User groups are the store's own data: resolved by name when read.
    defaultUserGroupNames: ['EDITORS'],
    associatedTitleField: fieldNamed('Item Code'),
    inputFields: [fieldNamed('Synopsis')],
    outputFields: [fieldNamed('Task Result')],
    taskResults: [
      { value: 'Done', color: '#00FF00' },
      { value: 'Failed', color: '#FF0000' },
    ],
  }),
];

export { DATA_FIELDS };
