import type { SubgraphModule } from '../../../kit/define-subgraph.ts';
import type { DaletServices } from '../../common/context.ts';
import { userGroupSubscriptionResolvers } from './subscriptions.ts';
import { userGroupMutationResolvers } from './mutations.ts';
import { userGroupQueryResolvers } from './queries.ts';

export const userGroupModule: SubgraphModule<DaletServices> = {
  schema: [new URL('./schema.graphql', import.meta.url), new URL('./subscription.graphql', import.meta.url)],
  resolvers: (services) => ({
    ...userGroupQueryResolvers,
    ...userGroupMutationResolvers(services),
    ...userGroupSubscriptionResolvers(services),
  }),
};
