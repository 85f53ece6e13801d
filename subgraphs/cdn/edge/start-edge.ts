/** Starts the edge on a store: the state poller, the cache, the outbound guard and the HTTP server. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { createOutboundGuard } from '../../kit/outbound/index.ts';
import type { CdnSettings } from '../settings.ts';
import type { CdnDatabase } from '../store.ts';
import { createEdgeCache } from './edge-cache.ts';
import { openKeyEncryption } from '../key-encryption.ts';
import { createEdgeHttpServer, createEdgeHttpsServer } from './edge-server.ts';
import { createEdgeState, type EdgeState } from './edge-state.ts';

export interface RunningEdge {
  port: number;
  /** CDN_EDGE_TLS_PORT's actual port, when set. */
  tlsPort: number | undefined;
  state: EdgeState;
  close(): Promise<void>;
}

export interface EdgeOptions {
  db: Kysely<CdnDatabase>;
  settings: CdnSettings;
  log: Logger;
  /** Where the key that decrypts issued certificates' keys is kept (the subgraph's DATA_DIR, key-encryption.ts). */
  dataDir: string;
  /** Default 127.0.0.1. */
  host?: string;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(port, host, () => resolve((server.address() as AddressInfo).port)));
}

export async function startEdge({ db, settings, log, dataDir, host = '127.0.0.1' }: EdgeOptions): Promise<RunningEdge> {
  const cache = createEdgeCache(settings.edgeCacheBytes);
  const keys = openKeyEncryption(dataDir);
  const state = createEdgeState(db, cache, settings.edgePollMs, log, keys.decrypt);
  await state.refresh();
  const guard = createOutboundGuard({ allowedHosts: settings.outboundAllowedHosts });
  const servers = [createEdgeHttpServer({ state, cache, guard, log })];
  const port = await listen(servers[0]!, settings.edgePort, host);
  let tlsPort: number | undefined;
  if (settings.edgeTlsPort !== undefined) {
    servers.push(createEdgeHttpsServer({ state, cache, guard, log }));
    tlsPort = await listen(servers[1]!, settings.edgeTlsPort, host);
  }
  return {
    port,
    tlsPort,
    state,
    async close() {
      state.stop();
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await guard.close();
    },
  };
}
