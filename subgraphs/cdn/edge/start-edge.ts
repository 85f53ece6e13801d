/** Starts the edge on a store: the state poller, the cache, the outbound guard and the HTTP server. */
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { createOutboundGuard } from '../../kit/outbound/index.ts';
import type { CdnSettings } from '../settings.ts';
import type { CdnDatabase } from '../store.ts';
import { createEdgeCache } from './edge-cache.ts';
import { createEdgeHttpServer } from './edge-server.ts';
import { createEdgeState, type EdgeState } from './edge-state.ts';

export interface RunningEdge {
  port: number;
  state: EdgeState;
  close(): Promise<void>;
}

export async function startEdge(db: Kysely<CdnDatabase>, settings: CdnSettings, log: Logger, host = '127.0.0.1'): Promise<RunningEdge> {
  const cache = createEdgeCache(settings.edgeCacheBytes);
  const state = createEdgeState(db, cache, settings.edgePollMs, log);
  await state.refresh();
  const guard = createOutboundGuard({ allowedHosts: settings.outboundAllowedHosts });
  const server = createEdgeHttpServer({ state, cache, guard, log });
  await new Promise<void>((resolve) => server.listen(settings.edgePort, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    state,
    async close() {
      state.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await guard.close();
    },
  };
}
