import type { SubgraphCodegenConfig } from '../kit/codegen/generate.ts';

/** What dalet's resolvers are given as parents: the store's rows (see generated/resolvers-types.ts). */
export const codegenConfig: SubgraphCodegenConfig = {
  contextType: '../common/context.ts#DaletContext',
  mappers: {
    DaletUser: '../store/tables.ts#DaletUserRow',
    UserGroup: '../store/tables.ts#UserGroupRow',
    Category: '../store/tables.ts#CategoryRow',
    AssetIfc: '../store/tables.ts#AssetRow',
    AudioAsset: '../store/tables.ts#AssetRow',
    BundleAsset: '../store/tables.ts#AssetRow',
    CGAsset: '../store/tables.ts#AssetRow',
    ClipAsset: '../store/tables.ts#AssetRow',
    EDLAsset: '../store/tables.ts#AssetRow',
    ExtendedAsset: '../store/tables.ts#AssetRow',
    GroupAsset: '../store/tables.ts#AssetRow',
    ImageAsset: '../store/tables.ts#AssetRow',
    StoryAsset: '../store/tables.ts#AssetRow',
    SubtitlesAsset: '../store/tables.ts#AssetRow',
    TrackStackAsset: '../store/tables.ts#AssetRow',
    TxVersionAsset: '../store/tables.ts#AssetRow',
    UnsupportedAsset: '../store/tables.ts#AssetRow',
    UserTaskAsset: '../store/tables.ts#AssetRow',
    VideoAsset: '../store/tables.ts#AssetRow',
  },
  scalars: {
    TimeCode: '../schema/timecode.ts#TimeCodeValue',
    TimeCodeDate: 'string',
    TimeDate: 'Date',
    Period: 'number',
    Color: 'string',
    PageLength: 'number',
  },
};
