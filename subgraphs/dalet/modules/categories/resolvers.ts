import type { SubgraphModule } from '../../../kit/define-subgraph.ts';
import type { DaletServices } from '../../common/context.ts';
import { categorySubscriptionResolvers } from './subscriptions.ts';
import { categoryMutationResolvers } from './mutations.ts';
import { categoryQueryResolvers } from './queries.ts';

export const categoryModule: SubgraphModule<DaletServices> = {
  schema: [new URL('./schema.graphql', import.meta.url), new URL('./subscription.graphql', import.meta.url)],
  resolvers: (services) => ({
    ...categoryQueryResolvers,
    ...categoryMutationResolvers(services),
    ...categorySubscriptionResolvers(services),
  }),
};
