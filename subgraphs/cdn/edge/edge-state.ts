/**
 * What the edge serves: every distribution by host (its domain_name and aliases), reloaded from the store
 * every CDN_EDGE_POLL_MS. After a reload the edge marks each version it now runs as deployed (status
 * Deployed) and applies pending invalidations to its cache, marking them Completed.
 */
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { parseStored, type StoredDistribution } from '../distribution-store.ts';
import type { CdnDatabase } from '../store.ts';
import type { EdgeCache } from './edge-cache.ts';
import { invalidationCovers } from './path-pattern.ts';

export interface EdgeState {
  byHost(host: string): StoredDistribution | undefined;
  /** The TLS context of an alias whose distribution names an issued certificate (SNI). */
  tlsContext(host: string): SecureContext | undefined;
  /** One reload now (the poller calls it; tests call it to skip the wait). */
  refresh(): Promise<void>;
  stop(): void;
}

export function createEdgeState(
  db: Kysely<CdnDatabase>,
  cache: EdgeCache,
  pollMs: number,
  log: Logger,
  decryptKey: (encrypted: string) => string,
): EdgeState {
  let hosts = new Map<string, StoredDistribution>();
  let contexts = new Map<string, SecureContext>();
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
    contexts = await loadContexts(
      aliases.map(({ alias, distribution_id }) => ({ alias, arn: byId.get(distribution_id)?.config.certificate_arn })),
    );
    for (const row of rows) {
      if (row.deployed_version >= row.config_version) continue;
      // Only the version this edge loaded: a write since then stays InProgress until the next reload.
      await db
        .updateTable('distributions')
        .set({ deployed_version: row.config_version })
        .where('id', '=', row.id)
        .where('config_version', '=', row.config_version)
        .execute();
    }
    const pending = await db.selectFrom('invalidations').selectAll().where('status', '=', 'InProgress').execute();
    for (const invalidation of pending) {
      const paths = JSON.parse(invalidation.paths_json) as string[];
      cache.drop(invalidation.distribution_id, (cached) => paths.some((path) => invalidationCovers(path, cached)));
      await db.updateTable('invalidations').set({ status: 'Completed' }).where('id', '=', invalidation.id).execute();
    }
  }

  async function loadContexts(aliases: { alias: string; arn: string | null | undefined }[]): Promise<Map<string, SecureContext>> {
    const arns = [...new Set(aliases.map(({ arn }) => arn).filter((arn): arn is string => Boolean(arn)))];
    const next = new Map<string, SecureContext>();
    if (arns.length === 0) return next;
    const certificates = await db.selectFrom('certificates').selectAll().where('arn', 'in', arns).where('status', '=', 'ISSUED').execute();
    const byArn = new Map<string, SecureContext>();
    for (const row of certificates) {
      byArn.set(
        row.arn,
        createSecureContext({
          cert: `${row.certificate_pem!.trim()}\n${row.chain_pem!.trim()}\n`,
          key: decryptKey(row.private_key_encrypted!),
          minVersion: 'TLSv1.2',
        }),
      );
    }
    for (const { alias, arn } of aliases) {
      const context = arn ? byArn.get(arn) : undefined;
      if (context) next.set(alias, context);
    }
    return next;
  }

  const refresh = () => (chain = chain.catch(() => {}).then(reload));
  const timer = setInterval(
    () => refresh().catch((error: unknown) => log.error({ err: error }, 'edge reload failed; serving the last config')),
    pollMs,
  );
  timer.unref();
  return {
    byHost: (host) => hosts.get(host),
    tlsContext: (host) => contexts.get(host.toLowerCase()),
    refresh,
    stop: () => clearInterval(timer),
  };
}
