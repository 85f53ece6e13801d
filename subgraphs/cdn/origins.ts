/** Origins of a distribution: list, add, update, remove (refused while a cache behavior targets it). */
import { badUserInput } from '../../core/errors.ts';
import type { OriginConfig } from './config.ts';
import { changeDistribution, loadDistribution, type CdnContext } from './distribution-store.ts';

type Args = Record<string, any>;

export function originResolvers() {
  return {
    Query: {
      async list_distribution_origins(_: unknown, { distribution_id }: Args, { db, principal }: CdnContext) {
        return (await loadDistribution(db, principal, distribution_id, 'VIEW_CDN')).config.origins;
      },
    },
    Mutation: {
      add_distribution_origin: (
        _: unknown,
        { origin, distribution_id }: { origin: OriginConfig; distribution_id: string },
        context: CdnContext,
      ) =>
        changeDistribution(context, distribution_id, 'origin', (config) => {
          if (config.origins.some((existing) => existing.id === origin.id))
            throw badUserInput('origin', `origin ${origin.id} already exists`);
          return { ...config, origins: [...config.origins, origin] };
        }),
      update_distribution_origin: (
        _: unknown,
        { origin, distribution_id }: { origin: OriginConfig; distribution_id: string },
        context: CdnContext,
      ) =>
        changeDistribution(context, distribution_id, 'origin', (config) => {
          if (!config.origins.some((existing) => existing.id === origin.id)) throw badUserInput('origin', `no origin ${origin.id}`);
          return { ...config, origins: config.origins.map((existing) => (existing.id === origin.id ? origin : existing)) };
        }),
      remove_distribution_origin: (_: unknown, { origin, distribution_id }: Args, context: CdnContext) =>
        changeDistribution(context, distribution_id, 'origin', (config) => {
          if (!config.origins.some((existing) => existing.id === origin)) throw badUserInput('origin', `no origin ${origin}`);
          const user = config.cache_behaviors.find((behavior) => behavior.target_origin_id === origin);
          if (user) throw badUserInput('origin', `origin ${origin} is the target of cache behavior ${user.path_pattern}`);
          return { ...config, origins: config.origins.filter((existing) => existing.id !== origin) };
        }),
    },
  };
}
