import type { DaletServices } from '../../common/context.ts';
import { userMutationResolvers } from './mutations.ts';
import { userQueryResolvers } from './queries.ts';

export const userResolvers = (services: DaletServices) => ({ ...userQueryResolvers, ...userMutationResolvers(services) });
