/**
 * What the certificate tests run on: the CDN platform, an origin answering `body`, and an edge with HTTPS
 * (SNI) on the platform's store; and one HTTPS request to that edge.
 */
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Kysely } from 'kysely';
import { createLogger } from '../../core/logger.ts';
import { startEdge, type RunningEdge } from '../../subgraphs/cdn/edge/start-edge.ts';
import { parseCdnSettings } from '../../subgraphs/cdn/settings.ts';
import type { CdnDatabase } from '../../subgraphs/cdn/store.ts';
import { startCdnPlatform, startOrigin, type CdnPlatform, type OriginServer } from './cdn-platform.ts';

export interface TlsPlatform {
  platform: CdnPlatform;
  db: Kysely<CdnDatabase>;
  origin: OriginServer;
  edge: RunningEdge;
  stop(): Promise<void>;
}

export async function startTlsPlatform(env: Record<string, string>, body: string): Promise<TlsPlatform> {
  const platform = await startCdnPlatform(env);
  const origin = await startOrigin((_request, response) => void response.writeHead(200, { 'content-type': 'text/plain' }).end(body));
  const db = platform.subgraphs.cdn!.store.db as unknown as Kysely<CdnDatabase>;
  const settings = parseCdnSettings({
    CDN_EDGE_PORT: '0',
    CDN_EDGE_TLS_PORT: '0',
    CDN_EDGE_POLL_MS: '50',
    OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
  });
  const edge = await startEdge({ db, settings, log: createLogger('silent'), dataDir: platform.dataDir });
  return {
    platform,
    db,
    origin,
    edge,
    async stop() {
      await edge.close();
      await origin.close();
      await platform.stop();
    },
  };
}

/** GET / over TLS with `servername` as SNI and Host, trusting `ca` alone; `issuer` is the served certificate's issuer CN. */
export function edgeHttpsGet(edge: RunningEdge, servername: string, ca: string): Promise<{ status: number; body: string; issuer: string }> {
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port: edge.tlsPort, path: '/', servername, ca, headers: { host: servername } }, (answer) => {
      const issuer = String((answer.socket as TLSSocket).getPeerCertificate().issuer.CN);
      let body = '';
      answer.on('data', (chunk) => (body += chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body, issuer }));
    });
    call.on('error', reject);
    call.end();
  });
}
