import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphService } from '../subgraphs/kit/build-subgraph.ts';
import { signedRequestHeaders, type Principal } from '../core/identity.ts';
import { IDENTITY_SECRET, startSubgraph } from './helpers/platform.ts';
import { subscriptionSubgraphs, type SubscriptionSubgraphs } from './helpers/subscription-subgraphs.ts';

const USER: Principal = { kind: 'user', userId: 'u1', roles: {} };

function socketFactory(headers: () => Record<string, string>) {
  return class SignedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: headers() });
    }
  };
}

describe('kit: subscriptions over graphql-ws', () => {
  let dataDir: string;
  let fixtures: SubscriptionSubgraphs;
  let service: SubgraphService<unknown>;
  let wsUrl: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kit-subscriptions-'));
    fixtures = subscriptionSubgraphs(dataDir);
    const started = await startSubgraph(fixtures.messages, dataDir);
    service = started.service;
    wsUrl = started.url.replace(/^http/, 'ws');
  });
  afterAll(async () => {
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('streams what resolvers publish to a subscriber the gateway signed for', async () => {
    const client = createClient({
      url: wsUrl,
      lazy: false,
      retryAttempts: 0,
      webSocketImpl: socketFactory(() =>
        signedRequestHeaders({ principal: USER, audience: 'messages', method: 'GET', path: '/graphql', secret: IDENTITY_SECRET }),
      ),
    });
    const events = client.iterate<{ messagePosted: { id: string; text: string } }>({ query: 'subscription { messagePosted { id text } }' });
    const first = events.next();
    // The subscription is registered once the socket is acknowledged and the first event awaited.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await fixtures.publish({ id: 'm1', text: 'hello' });
    expect((await first).value).toEqual({ data: { messagePosted: { id: 'm1', text: 'hello' } } });
    await events.return?.();
    await client.dispose();
  });

  it('refuses an upgrade that is not signed for this subgraph', async () => {
    const refusal = await new Promise<number>((resolve) => {
      const socket = new WebSocket(wsUrl, 'graphql-transport-ws', {
        headers: signedRequestHeaders({ principal: USER, audience: 'reactions', method: 'GET', path: '/graphql', secret: IDENTITY_SECRET }),
      });
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(refusal).toBe(401);
    const unsigned = await new Promise<number>((resolve) => {
      const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(unsigned).toBe(401);
  });
});
