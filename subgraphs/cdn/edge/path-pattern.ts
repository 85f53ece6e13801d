/**
 * CloudFront's path patterns: `*` matches any characters, `/` included; `?` matches exactly one. Matching is
 * case-sensitive. The default behavior's `*` matches every path.
 */
import type { CacheBehaviorConfig } from '../config.ts';

const compiled = new Map<string, RegExp>();

export function pathPatternMatches(pattern: string, path: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    regex = new RegExp(`^${body}$`, 's');
    compiled.set(pattern, regex);
  }
  return regex.test(path);
}

/** The first behavior whose pattern matches; the stored order keeps the default `*` last. */
export function matchBehavior(behaviors: readonly CacheBehaviorConfig[], path: string): CacheBehaviorConfig {
  return behaviors.find((behavior) => pathPatternMatches(behavior.path_pattern, path)) ?? behaviors[behaviors.length - 1]!;
}

/** Whether an invalidation path (exact, or a prefix ending in `*`) covers a cached path. */
export function invalidationCovers(invalidationPath: string, cachedPath: string): boolean {
  return invalidationPath.endsWith('*') ? cachedPath.startsWith(invalidationPath.slice(0, -1)) : cachedPath === invalidationPath;
}
