/** Origins of a distribution: list, add, update, remove (refused while a cache behavior targets it). */
import type { Resolvers } from './generated/resolvers-types.ts';
import { badUserInput } from '../../core/errors.ts';
import { changeDistribution, loadDistribution } from './distribution-store.ts';

export function originResolvers(): Resolvers {
  return {
    Query: {
      async list_distribution_origins(_, { distribution_id }, { db, principal }) {
        return (await loadDistribution(db, principal, distribution_id, 'VIEW_CDN')).config.origins;
      },
    },
    Mutation: {
      add_distribution_origin: (_, { origin, distribution_id }, context) =>
        changeDistribution(context, distribution_id, 'origin', (config) => {
          if (config.origins.some((existing) => existing.id === origin.id))
            throw badUserInput('origin', `origin ${origin.id} already exists`);
          return { ...config, origins: [...config.origins, origin] };
        }),
      update_distribution_origin: (_, { origin, distribution_id }, context) =>
        changeDistribution(context, distribution_id, 'origin', (config) => {
          if (!config.origins.some((existing) => existing.id === origin.id)) throw badUserInput('origin', `no origin ${origin.id}`);
          return { ...config, origins: config.origins.map((existing) => (existing.id === origin.id ? origin : existing)) };
        }),
      remove_distribution_origin: (_, { origin, distribution_id }, context) =>
        changeDistribution(context, distribution_id, 'origin', (config) => {
          if (!config.origins.some((existing) => existing.id === origin)) throw badUserInput('origin', `no origin ${origin}`);
          const user = config.cache_behaviors.find((behavior) => behavior.target_origin_id === origin);
          if (user) throw badUserInput('origin', `origin ${origin} is the target of cache behavior ${user.path_pattern}`);
          return { ...config, origins: config.origins.filter((existing) => existing.id !== origin) };
        }),
    },
  };
}
