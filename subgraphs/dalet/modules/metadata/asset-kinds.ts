/** The implementations of AssetIfc, each of which carries the `metadata` and `locators` subqueries. */
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
