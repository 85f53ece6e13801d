/**
 * Cache behaviors: list, add, update, remove, reorder. The default behavior (`*`) always stays last and can
 * be updated but not removed; the order of the others is the order the edge tries them in.
 */
import type { Resolvers } from './generated/resolvers-types.ts';
import { badUserInput } from '../../core/errors.ts';
import { DEFAULT_PATH_PATTERN } from './config.ts';
import { changeDistribution, loadDistribution } from './distribution-store.ts';

export function behaviorResolvers(): Resolvers {
  return {
    Query: {
      async list_distribution_cache_behaviors(_, { distribution_id }, { db, principal }) {
        return (await loadDistribution(db, principal, distribution_id, 'VIEW_CDN')).config.cache_behaviors;
      },
    },
    Mutation: {
      add_distribution_cache_behavior: (_, { cache_behavior, distribution_id }, context) =>
        changeDistribution(context, distribution_id, 'cache_behavior', (config) => {
          if (config.cache_behaviors.some((b) => b.path_pattern === cache_behavior.path_pattern))
            throw badUserInput('cache_behavior', `path_pattern ${cache_behavior.path_pattern} already has a cache behavior`);
          // Added before the default one; validateConfig keeps `*` last anyway.
          return { ...config, cache_behaviors: [...config.cache_behaviors, cache_behavior] };
        }),
      update_distribution_cache_behavior: (_, { cache_behavior, distribution_id }, context) =>
        changeDistribution(context, distribution_id, 'cache_behavior', (config) => {
          if (!config.cache_behaviors.some((b) => b.path_pattern === cache_behavior.path_pattern))
            throw badUserInput('cache_behavior', `no cache behavior for path_pattern ${cache_behavior.path_pattern}`);
          return {
            ...config,
            cache_behaviors: config.cache_behaviors.map((b) => (b.path_pattern === cache_behavior.path_pattern ? cache_behavior : b)),
          };
        }),
      remove_distribution_cache_behavior: (_, { path_pattern, distribution_id }, context) =>
        changeDistribution(context, distribution_id, 'path_pattern', (config) => {
          if (path_pattern === DEFAULT_PATH_PATTERN) throw badUserInput('path_pattern', 'the default cache behavior cannot be removed');
          if (!config.cache_behaviors.some((b) => b.path_pattern === path_pattern))
            throw badUserInput('path_pattern', `no cache behavior for path_pattern ${path_pattern}`);
          return { ...config, cache_behaviors: config.cache_behaviors.filter((b) => b.path_pattern !== path_pattern) };
        }),
      update_distribution_cache_behaviors_order: (_, { path_patterns, distribution_id }, context) =>
        changeDistribution(context, distribution_id, 'path_patterns', (config) => {
          const others = config.cache_behaviors.filter((b) => b.path_pattern !== DEFAULT_PATH_PATTERN);
          const patterns = path_patterns.filter((pattern) => pattern !== DEFAULT_PATH_PATTERN);
          const same =
            patterns.length === others.length &&
            new Set(patterns).size === patterns.length &&
            others.every((b) => patterns.includes(b.path_pattern));
          if (!same) throw badUserInput('path_patterns', 'must list every path pattern but "*" once each');
          const ordered = patterns.map((pattern) => others.find((b) => b.path_pattern === pattern)!);
          return {
            ...config,
            cache_behaviors: [...ordered, ...config.cache_behaviors.filter((b) => b.path_pattern === DEFAULT_PATH_PATTERN)],
          };
        }),
    },
  };
}
