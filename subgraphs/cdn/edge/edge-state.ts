/**
 * What the edge serves: every distribution by host (its domain_name and aliases), reloaded from the store
 * every CDN_EDGE_POLL_MS. After a reload the edge marks each version it now runs as deployed (status
 * Deployed) and applies pending invalidations to its cache, marking them Completed.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { parseStored, type StoredDistribution } from '../distribution-store.ts';
import type { CdnDatabase } from '../store.ts';
import type { EdgeCache } from './edge-cache.ts';
import { invalidationCovers } from './path-pattern.ts';

export interface EdgeState {
  byHost(host: string): StoredDistribution | undefined;
  /** One reload now (the poller calls it; tests call it to skip the wait). */
  refresh(): Promise<void>;
  stop(): void;
}

export function createEdgeState(db: Kysely<CdnDatabase>, cache: EdgeCache, pollMs: number, log: Logger): EdgeState {
  let hosts = new Map<string, StoredDistribution>();
  // Reloads run one after another, so that a refresh called after a write sees it.
  let chain: Promise<void> = Promise.resolve();

  async function reload(): Promise<void> {
    const rows = await db.selectFrom('distributions').selectAll().execute();
    const aliases = await db.selectFrom('distribution_aliases').selectAll().execute();
    const next = new Map<string, StoredDistribution>();
    const byId = new Map<string, StoredDistribution>();
    for (const row of rows) {
      const stored = parseStored(row);
      byId.set(row.id, stored);
      next.set(row.domain_name, stored);
    }
    for (const { alias, distribution_id } of aliases) {
      const stored = byId.get(distribution_id);
      if (stored) next.set(alias, stored);
    }
    hosts = next;
    for (const row of rows) {
      if (row.deployed_version >= row.config_version) continue;
      // Only the version this edge loaded: a write since then stays InProgress until the next reload.
      await db.updateTable('distributions').set({ deployed_version: row.config_version }).where('id', '=', row.id).where('config_version', '=', row.config_version).execute();
    }
    const pending = await db.selectFrom('invalidations').selectAll().where('status', '=', 'InProgress').execute();
    for (const invalidation of pending) {
      const paths = JSON.parse(invalidation.paths_json) as string[];
      cache.drop(invalidation.distribution_id, (cached) => paths.some((path) => invalidationCovers(path, cached)));
      await db.updateTable('invalidations').set({ status: 'Completed' }).where('id', '=', invalidation.id).execute();
    }
  }

  const refresh = () => (chain = chain.catch(() => {}).then(reload));
  const timer = setInterval(() => refresh().catch((error: unknown) => log.error({ err: error }, 'edge reload failed; serving the last config')), pollMs);
  timer.unref();
  return {
    byHost: (host) => hosts.get(host),
    refresh,
    stop: () => clearInterval(timer),
  };
}
