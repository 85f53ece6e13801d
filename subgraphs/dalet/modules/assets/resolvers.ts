import type { SubgraphModule } from '../../../kit/define-subgraph.ts';
import type { DaletServices } from '../../common/context.ts';

const SDL_FILES = ['schema', 'asset-types', 'groups', 'structures', 'create-inputs', 'mutations', 'subscription'];

export const assetModule: SubgraphModule<DaletServices> = {
  schema: SDL_FILES.map((file) => new URL(`./${file}.graphql`, import.meta.url)),
  resolvers: () => ({}),
};
