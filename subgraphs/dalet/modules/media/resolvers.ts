import type { SubgraphModule } from '../../../kit/define-subgraph.ts';
import type { DaletServices } from '../../common/context.ts';
import { mediaMutationResolvers } from './mutations.ts';
import { mediaQueryResolvers } from './queries.ts';
import { mediaSubscriptionResolvers } from './subscriptions.ts';

export const mediaModule: SubgraphModule<DaletServices> = {
  schema: [new URL('./schema.graphql', import.meta.url), new URL('./subscription.graphql', import.meta.url)],
  resolvers: (services) => ({
    ...mediaQueryResolvers(services.media.locations),
    ...mediaMutationResolvers(services, services.media),
    ...mediaSubscriptionResolvers(services),
  }),
};
