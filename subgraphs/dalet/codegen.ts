import type { SubgraphCodegenConfig } from '../kit/codegen/generate.ts';

/** What dalet's resolvers are given as parents: the store's rows (see generated/resolvers-types.ts). */
export const codegenConfig: SubgraphCodegenConfig = {
  contextType: '../common/context.ts#DaletContext',
  mappers: {
    DaletUser: '../store/tables.ts#DaletUserRow',
    UserGroup: '../store/tables.ts#UserGroupRow',
    Category: '../store/tables.ts#CategoryRow',
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
