import type { SubgraphModule } from '../../../kit/define-subgraph.ts';
import type { DaletServices } from '../../common/context.ts';
import { assetSubscriptionResolvers } from './asset-notifications.ts';
import { copyAssetResolvers } from './copy-asset.ts';
import { createMutationResolvers } from './create-assets.ts';
import { linkMutationResolvers } from './links.ts';
import { assetMutationResolvers } from './mutations.ts';
import { assetQueryResolvers } from './queries.ts';

const SDL_FILES = ['schema', 'asset-types', 'groups', 'structures', 'create-inputs', 'mutations', 'subscription'];

export const assetModule: SubgraphModule<DaletServices> = {
  schema: SDL_FILES.map((file) => new URL(`./${file}.graphql`, import.meta.url)),
  resolvers: (services) => ({
    ...assetQueryResolvers,
    Mutation: {
      ...createMutationResolvers(services),
      ...assetMutationResolvers(services),
      ...linkMutationResolvers(services),
      ...copyAssetResolvers(services),
    },
    Subscription: assetSubscriptionResolvers(services),
  }),
};
