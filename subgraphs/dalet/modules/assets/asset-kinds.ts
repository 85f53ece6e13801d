/**
 * The 15 implementations of AssetIfc, and where each created kind takes its asset type from: a fixed simple
 * asset type (Video, Audio...), or the configuration object its create input names (`cgType`, `template`...).
 */
import type { Precondition } from '../../common/errors.ts';

export const ASSET_KINDS = [
  'AudioAsset',
  'BundleAsset',
  'CGAsset',
  'ClipAsset',
  'EDLAsset',
  'ExtendedAsset',
  'GroupAsset',
  'ImageAsset',
  'StoryAsset',
  'SubtitlesAsset',
  'TrackStackAsset',
  'TxVersionAsset',
  'UnsupportedAsset',
  'UserTaskAsset',
  'VideoAsset',
] as const;

export type AssetKind = (typeof ASSET_KINDS)[number];

/** The configuration kinds an asset's type may be of. */
export const ASSET_TYPE_KINDS = [
  'simpleAssetTypes',
  'cgTypes',
  'extendedAssetTypes',
  'storyTemplates',
  'subtitlesTypes',
  'trackStackTemplates',
  'userTaskTypes',
] as const;

export type AssetTypeKind = (typeof ASSET_TYPE_KINDS)[number];

/** How a create mutation's input names its asset's type. */
export interface NamedType {
  /** The input field, an AssetTypeInput. */
  field: 'cgType' | 'extendedType' | 'storyTemplate' | 'subtitlesType' | 'template';
  configKind: AssetTypeKind;
  /** What naming a type of another kind violates. */
  precondition: Precondition;
}

export interface CreatedKind {
  kind: AssetKind;
  /** Either a simple asset type's id, or the input field naming the type. */
  type: { simpleTypeId: string } | NamedType;
}

/** Each create mutation's kind of asset. */
export const CREATED_KINDS = {
  createAudioAssets: { kind: 'AudioAsset', type: { simpleTypeId: '2' } },
  createBundleAssets: { kind: 'BundleAsset', type: { simpleTypeId: '7' } },
  createCGAssets: { kind: 'CGAsset', type: { field: 'cgType', configKind: 'cgTypes', precondition: 'MUST_BE_A_CG_ASSET_TYPE' } },
  createClipAssets: { kind: 'ClipAsset', type: { simpleTypeId: '5' } },
  createExtendedAssets: {
    kind: 'ExtendedAsset',
    type: { field: 'extendedType', configKind: 'extendedAssetTypes', precondition: 'MUST_BE_AN_EXTENDED_ASSET_TYPE' },
  },
  createGroupAssets: { kind: 'GroupAsset', type: { simpleTypeId: '6' } },
  createImageAssets: { kind: 'ImageAsset', type: { simpleTypeId: '3' } },
  createStoryAssets: {
    kind: 'StoryAsset',
    type: { field: 'storyTemplate', configKind: 'storyTemplates', precondition: 'MUST_BE_A_STORY_ASSET_TYPE' },
  },
  createSubtitlesAssets: {
    kind: 'SubtitlesAsset',
    type: { field: 'subtitlesType', configKind: 'subtitlesTypes', precondition: 'MUST_BE_A_SUBTITLES_ASSET_TYPE' },
  },
  createTrackStackAssets: {
    kind: 'TrackStackAsset',
    type: { field: 'template', configKind: 'trackStackTemplates', precondition: 'MUST_BE_AN_TRACK_STACK_ASSET_TYPE' },
  },
  createTxVersionAssets: { kind: 'TxVersionAsset', type: { simpleTypeId: '8' } },
  createVideoAssets: { kind: 'VideoAsset', type: { simpleTypeId: '1' } },
} as const satisfies Record<string, CreatedKind>;

export type CreateMutation = keyof typeof CREATED_KINDS;

/** The kinds whose media has a time line a clip may be cut from. */
export const TIMED_KINDS: readonly string[] = ['VideoAsset', 'AudioAsset', 'ClipAsset', 'TxVersionAsset'] satisfies AssetKind[];
