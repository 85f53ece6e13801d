import type { SubgraphCodegenConfig } from '../kit/codegen/generate.ts';

export const codegenConfig: SubgraphCodegenConfig = {
  contextType: '../resolvers.ts#BillingContext',
};
