import type { SubgraphCodegenConfig } from '../kit/codegen/generate.ts';

/** What cdn's resolvers are given as parents: the stored configs and the managed policies (see generated/resolvers-types.ts). */
export const codegenConfig: SubgraphCodegenConfig = {
  contextType: '../distribution-store.ts#CdnContext',
  mappers: {
    DistributionConfig: '../config.ts#DistributionConfig as StoredDistributionConfig',
    Origin: '../config.ts#OriginConfig',
    CacheBehavior: '../config.ts#CacheBehaviorConfig',
    ErrorResponse: '../config.ts#ErrorResponseConfig',
    CachePolicyConfig: '../policies.ts#CachePolicyConfig as ManagedCachePolicyConfig',
    OriginRequestPolicyConfig: '../policies.ts#HeaderPolicyConfig',
  },
  scalars: { DateTimeISO: 'string' },
};
