import type { SubgraphModule } from '../../../kit/define-subgraph.ts';
import type { DaletServices } from '../../common/context.ts';
import { locatorMutationResolvers } from './mutations.ts';
import { locatorQueryResolvers } from './queries.ts';
import { locatorSubscriptionResolvers } from './subscriptions.ts';

export const locatorModule: SubgraphModule<DaletServices> = {
  schema: [new URL('./schema.graphql', import.meta.url), new URL('./subscription.graphql', import.meta.url)],
  resolvers: (services) => ({ ...locatorQueryResolvers, ...locatorMutationResolvers(services), ...locatorSubscriptionResolvers(services) }),
};
