/**
 * The accounts subgraph built in this process, without listening: requests go through fastify's
 * `inject()` with identity headers signed for the given principal; every SQL query is recorded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definition } from '../../subgraphs/accounts/index.ts';
import type { AccountsDatabase } from '../../subgraphs/accounts/store.ts';
import { buildSubgraph, type SubgraphService } from '../../subgraphs/kit/build-subgraph.ts';
import { signedRequestHeaders, type Principal } from '../../core/identity.ts';
import { IDENTITY_SECRET, silentLogger } from './platform.ts';

export interface AccountsInProcess {
  dataDir: string;
  service: SubgraphService<AccountsDatabase>;
  db: SubgraphService<AccountsDatabase>['store']['db'];
  /** SQL of every query run since the last `queries.length = 0`. */
  queries: string[];
  query(principal: Principal, query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: any[] }>;
  stop(): Promise<void>;
}

export async function startAccountsInProcess(env: Record<string, string> = {}): Promise<AccountsInProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accounts-in-process-'));
  const queries: string[] = [];
  const service = await buildSubgraph(definition, {
    dataDir,
    identitySecret: IDENTITY_SECRET,
    logger: silentLogger,
    env: { BOOTSTRAP_ADMIN_KEY: 'in-process-bootstrap-admin-key-0123', ...env },
    onQuery: (sql) => queries.push(sql),
  });
  return {
    dataDir,
    service,
    db: service.store.db,
    queries,
    async query(principal, query, variables) {
      const body = JSON.stringify({ query, variables });
      const response = await service.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: {
          'content-type': 'application/json',
          ...signedRequestHeaders({ principal, audience: 'accounts', path: '/graphql', body, secret: IDENTITY_SECRET }),
        },
        payload: body,
      });
      return response.json();
    },
    async stop() {
      await service.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
