import type { DaletServices } from '../../common/context.ts';
import { categoryMutationResolvers } from './mutations.ts';
import { categoryQueryResolvers } from './queries.ts';

export const categoryResolvers = (services: DaletServices) => ({ ...categoryQueryResolvers, ...categoryMutationResolvers(services) });
