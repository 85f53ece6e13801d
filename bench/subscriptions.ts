/**
 * Subscriptions through the gateway against the same events read from the subgraph directly, in one run:
 * `node --expose-gc --import tsx bench/subscriptions.ts` (`npm run bench:subscriptions`). Opens
 * SUBSCRIBERS (default 1000) subscriptions over WebSocket, ten per socket, through the gateway (with the
 * entity fetch of `likes` from a second subgraph) and directly to the subgraph (signed as the gateway
 * would), publishes EVENTS (default 20) events, and prints events per second and the p99 delay from publish
 * to delivery, and the heap the open subscriptions hold; then the gateway's upstream link both ways it could
 * be made, straight to the subgraph: one socket per subscription (as gateway/ws/upstream.ts does) and all of
 * them multiplexed on one socket; then CYCLES (default 10000) subscribe/unsubscribe cycles through the
 * gateway and the heap after them against before. Everything runs in this one process: the numbers
 * compare, they are not a capacity.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signedRequestHeaders, SYSTEM } from '../core/identity.ts';
import { IDENTITY_SECRET, startPlatform } from '../test/helpers/platform.ts';
import { subscriptionSubgraphs } from '../test/helpers/subscription-subgraphs.ts';

const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 1000);
const EVENTS = Number(process.env.EVENTS ?? 20);
const CYCLES = Number(process.env.CYCLES ?? 10_000);
const PER_SOCKET = 10;

const fixtures = subscriptionSubgraphs(mkdtempSync(join(tmpdir(), 'bench-subscriptions-')));
const platform = await startPlatform({
  subgraphs: [fixtures.messages, fixtures.reactions],
  gatewayEnv: { MAX_SUBSCRIPTIONS_PER_CALLER: String(SUBSCRIBERS * 2), RATE_LIMITS: 'anonymous=1000000000', LOG_LEVEL: 'warn' },
});
const gatewayUrl = platform.gatewayUrl.replace(/^http/, 'ws');
const subgraphUrl = platform.subgraphUrls.messages!.replace(/^http/, 'ws');

function signed() {
  return class SignedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, {
        headers: signedRequestHeaders({
          principal: SYSTEM,
          audience: 'messages',
          method: 'GET',
          path: '/graphql',
          secret: IDENTITY_SECRET,
        }),
      });
    }
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

const heapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

interface Target {
  url: string;
  webSocketImpl: unknown;
  query: string;
  perSocket: number;
}

const WITH_ENTITY_FETCH = 'subscription { messagePosted { id text likes } }';
const PLAIN = 'subscription { messagePosted { id text } }';
const TARGETS: Record<string, Target> = {
  direct: { url: subgraphUrl, webSocketImpl: signed(), query: PLAIN, perSocket: PER_SOCKET },
  gateway: { url: gatewayUrl, webSocketImpl: WebSocket, query: WITH_ENTITY_FETCH, perSocket: PER_SOCKET },
  'upstream, a socket each': { url: subgraphUrl, webSocketImpl: signed(), query: PLAIN, perSocket: 1 },
  'upstream, multiplexed': { url: subgraphUrl, webSocketImpl: signed(), query: PLAIN, perSocket: SUBSCRIBERS },
};

async function measure(target: string) {
  const { url, webSocketImpl, query, perSocket } = TARGETS[target]!;
  // The previous target's sockets close on both sides before the heap is read.
  while (platform.subgraphs.messages!.app.websocketServer.clients.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const heapBefore = heapMb();
  const clients: Client[] = [];
  const delays: number[] = [];
  let ready = 0;
  // Subscriptions that ended with an error (e.g. an upstream upgrade the subgraph read later than IDENTITY_WINDOW_MS under this load).
  let failed = 0;
  for (let socket = 0; socket < SUBSCRIBERS / perSocket; socket++) {
    const client = createClient({ url, lazy: false, onNonLazyError: () => {}, retryAttempts: 0, webSocketImpl });
    clients.push(client);
    for (let each = 0; each < perSocket; each++) {
      let first = true;
      client.subscribe(
        { query },
        {
          next: (event) => {
            if (!event.data) {
              failed++;
              return;
            }
            const text = (event.data as { messagePosted: { text: string } }).messagePosted.text;
            if (first) {
              first = false;
              ready++;
            }
            if (text !== 'warm-up') delays.push(performance.now() - Number(text));
          },
          // A socket refused (a stale upgrade signature under load) errs each of its subscriptions.
          error: () => {
            if (!first) return;
            first = false;
            failed++;
          },
          complete: () => {},
        },
      );
    }
  }
  // One warm-up event at a time: through the gateway each is an entity fetch per subscription.
  while (ready + failed < SUBSCRIBERS) {
    await fixtures.publish({ id: 'warm', text: 'warm-up' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  // Everything this process holds for the open subscriptions: client, gateway and subgraph sides alike.
  const heapOpenKb = ((heapMb() - heapBefore) * 1024) / SUBSCRIBERS;
  delays.length = 0;
  const started = performance.now();
  for (let event = 0; event < EVENTS; event++) {
    await fixtures.publish({ id: `e${event}`, text: String(performance.now()) });
    await new Promise((resolve) => setImmediate(resolve));
  }
  while (delays.length < ready * EVENTS && performance.now() - started < 60_000) await new Promise((resolve) => setTimeout(resolve, 20));
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all(clients.map((client) => client.dispose()));
  const sorted = [...delays].sort((a, b) => a - b);
  return {
    target,
    subscribers: SUBSCRIBERS,
    failed,
    delivered: delays.length,
    eventsPerSecond: Math.round(delays.length / elapsed),
    p50Ms: +percentile(sorted, 50).toFixed(1),
    p99Ms: +percentile(sorted, 99).toFixed(1),
    sockets: clients.length,
    heapKbPerSubscription: +heapOpenKb.toFixed(1),
  };
}

async function cycles() {
  const heap = () => Math.round(heapMb());
  const client = createClient({ url: gatewayUrl, lazy: false, onNonLazyError: () => {}, retryAttempts: 0, webSocketImpl: WebSocket });
  const once = () =>
    new Promise<void>((resolve) => {
      const unsubscribe = client.subscribe(
        { query: 'subscription { messagePosted { id } }' },
        { next: () => {}, error: () => resolve(), complete: () => resolve() },
      );
      setTimeout(() => {
        unsubscribe();
        resolve();
      }, 5);
    });
  for (let warm = 0; warm < 200; warm++) await once();
  const before = heap();
  for (let done = 0; done < CYCLES; done += PER_SOCKET) await Promise.all(Array.from({ length: PER_SOCKET }, once));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = heap();
  await client.dispose();
  return { cycles: CYCLES, heapBeforeMb: before, heapAfterMb: after, measuredWithGc: 'gc' in globalThis };
}

try {
  for (const target of Object.keys(TARGETS)) console.log(JSON.stringify(await measure(target)));
  console.log(JSON.stringify(await cycles()));
} finally {
  await platform.stop();
}
