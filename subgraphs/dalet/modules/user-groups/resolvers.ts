import type { DaletServices } from '../../common/context.ts';
import { userGroupMutationResolvers } from './mutations.ts';
import { userGroupQueryResolvers } from './queries.ts';

export const userGroupResolvers = (services: DaletServices) => ({ ...userGroupQueryResolvers, ...userGroupMutationResolvers(services) });
