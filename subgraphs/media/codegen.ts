import type { SubgraphCodegenConfig } from '../kit/codegen/generate.ts';

/** What media's resolvers are given as parents: the store's rows (see generated/resolvers-types.ts). */
export const codegenConfig: SubgraphCodegenConfig = {
  contextType: '../services.ts#MediaContext',
  mappers: {
    Library: '../access.ts#LibraryRow',
    Asset: '../services.ts#AssetParent',
    AssetEnhancement: '../services.ts#AssetEnhancementRow',
    CustomDomain: '../services.ts#DomainRow',
  },
  scalars: { DateTimeISO: 'string' },
};
