import type { SubgraphCodegenConfig } from '../kit/codegen/generate.ts';

/** What actions' resolvers are given as parents: catalogue entries and store rows (see generated/resolvers-types.ts). */
export const codegenConfig: SubgraphCodegenConfig = {
  contextType: '../services.ts#ActionsContext',
  mappers: {
    Action: '../services.ts#ActionParent',
    ActionCategory: '../catalogue/index.ts#ActionCategory as ActionCategoryEntry',
    ActionRating: '../store.ts#ActionRatingRow',
    Job: '../jobs.ts#JobView',
    JobStatistic: '../statistics.ts#JobStatistic as JobStatisticRow',
    PublicUser: '../services.ts#EntityReference',
    User: '../services.ts#EntityReference',
    Project: '../services.ts#EntityReference',
  },
  scalars: { DateTimeISO: 'string', JSON: 'unknown' },
};
