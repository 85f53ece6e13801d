import type { SubgraphModule } from '../../../kit/define-subgraph.ts';
import type { DaletServices } from '../../common/context.ts';
import { structureMutationResolvers } from './mutations.ts';
import { structureQueryResolvers } from './queries.ts';
import { usageResolvers } from './usage.ts';

/** Groups, bundles, track stacks and versions, CG- and subtitles-to-video associations, usage; the SDL is the assets module's. */
export const assetStructuresModule: SubgraphModule<DaletServices> = {
  resolvers: (services) => ({ ...structureQueryResolvers, ...usageResolvers, ...structureMutationResolvers(services) }),
};
