import type { SubgraphCodegenConfig } from '../kit/codegen/generate.ts';

/** What accounts' resolvers are given as parents: the store's rows (see generated/resolvers-types.ts). */
export const codegenConfig: SubgraphCodegenConfig = {
  contextType: '../services.ts#AccountsContext',
  mappers: {
    User: '../store.ts#UserRow',
    PublicUser: '../store.ts#PublicUserRow',
    Project: '../store.ts#ProjectParent',
    ProjectMember: '../store.ts#ProjectMemberRow',
    Key: '../api-keys.ts#KeyParent',
  },
  scalars: { DateTimeISO: 'string' },
};
