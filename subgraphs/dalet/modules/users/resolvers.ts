import type { SubgraphModule } from '../../../kit/define-subgraph.ts';
import type { DaletServices } from '../../common/context.ts';
import { userSubscriptionResolvers } from './subscriptions.ts';
import { userMutationResolvers } from './mutations.ts';
import { userQueryResolvers } from './queries.ts';

export const userModule: SubgraphModule<DaletServices> = {
  schema: [new URL('./schema.graphql', import.meta.url), new URL('./subscription.graphql', import.meta.url)],
  resolvers: (services) => ({ ...userQueryResolvers, ...userMutationResolvers(services), ...userSubscriptionResolvers(services) }),
};
