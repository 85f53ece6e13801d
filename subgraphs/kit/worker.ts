/**
 * What a subgraph with queue workers exports from its `worker-entry.ts`: the workers `worker-main.ts` runs in
 * a process of their own (`npm run start:worker -- <name>`), on the subgraph's store.
 */
import type { Logger } from 'pino';
import type { Migration, Store } from './store.ts';

export interface WorkerDefinition<DB> {
  /** The subgraph whose store the workers use. */
  name: string;
  migrations: Record<string, Migration>;
  create(kit: {
    store: Store<DB>;
    dataDir: string;
    identitySecret: string;
    env: Readonly<Record<string, string | undefined>>;
    /** Each subgraph's routing URL from the supergraph config, by name. */
    routingUrls: Readonly<Record<string, string>>;
    log: Logger;
  }): { start(): void; stop(): Promise<void> };
}
