import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphService } from '../subgraphs/kit/build-subgraph.ts';
import { ANONYMOUS, type Principal } from '../core/identity.ts';
import { AuthenticationError } from '../gateway/pipeline/authentication.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';
import { subscriptionSubgraphs, type SubscriptionSubgraphs } from './helpers/subscription-subgraphs.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const USER: Principal = { kind: 'user', userId: 'u1', roles: {} };
const SUBSCRIPTION = 'subscription { messagePosted { id text likes } }';

interface Received {
  /** Every event but the warm-up ones. */
  events: any[];
  warmUps: number;
  errors: unknown[];
  completed: boolean;
  /** Resolves once `count` events came. */
  events_(count: number): Promise<any[]>;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('gateway: subscriptions over GraphQL over WebSocket', () => {
  let platform: Platform;
  let fixtures: SubscriptionSubgraphs;
  let wsUrl: string;
  const clients: Client[] = [];

  const connect = (authorization?: string) => {
    const client = createClient({
      url: wsUrl,
      lazy: false,
      onNonLazyError: () => {},
      retryAttempts: 0,
      webSocketImpl: WebSocket,
      connectionParams: authorization ? { Authorization: authorization } : undefined,
    });
    clients.push(client);
    return client;
  };
  const subscribe = (client: Client, query = SUBSCRIPTION): Received => {
    const received: Received = {
      events: [],
      warmUps: 0,
      errors: [],
      completed: false,
      events_: async (count) => {
        await until(() => received.events.length >= count || received.errors.length > 0 || received.completed, `${count} events`);
        return received.events;
      },
    };
    client.subscribe(
      { query },
      {
        next: (event: any) => (event.data?.messagePosted?.text === 'warm-up' ? received.warmUps++ : received.events.push(event)),
        error: (error) => received.errors.push(error),
        complete: () => (received.completed = true),
      },
    );
    return received;
  };
  const upstreamSockets = (subgraph: SubgraphService<unknown>) => subgraph.app.websocketServer.clients.size;
  /** Publishes warm-up messages until the subscription is live upstream (they are not counted as events). */
  const whenLive = async (received: Received) => {
    await until(() => {
      void fixtures.publish({ id: 'warm', text: 'warm-up' });
      return received.warmUps > 0 || received.errors.length > 0;
    }, 'the subscription to be live');
  };

  beforeAll(async () => {
    fixtures = subscriptionSubgraphs(mkdtempSync(join(tmpdir(), 'subscription-fixtures-')));
    platform = await startPlatform({
      subgraphs: [fixtures.messages, fixtures.reactions],
      gatewayEnv: { MAX_SUBSCRIPTIONS_PER_CALLER: '3' },
      authenticate: async (request) => {
        const authorization = request.headers.authorization;
        if (authorization === 'Bearer good') return USER;
        if (authorization) throw new AuthenticationError('Invalid credentials: unknown key');
        return ANONYMOUS;
      },
    });
    wsUrl = platform.gatewayUrl.replace(/^http/, 'ws');
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await platform?.stop();
  });

  it('streams events whose fields come from a second subgraph, and an entity fetch error does not end the stream', async () => {
    const client = connect('Bearer good');
    const received = subscribe(client, 'subscription { messagePosted { id text likes secretNote } }');
    await whenLive(received);
    await fixtures.publish({ id: 'abc', text: 'hello' });
    expect((await received.events_(1))[0]).toEqual({
      data: { messagePosted: { id: 'abc', text: 'hello', likes: 3, secretNote: 'note on abc' } },
    });

    await fixtures.publish({ id: 'broken-1', text: 'no likes' });
    const [, failed] = await received.events_(2);
    expect(failed.errors[0].message).toBe('no likes for this one');
    await fixtures.publish({ id: 'after', text: 'still here' });
    expect((await received.events_(3))[2]).toEqual({
      data: { messagePosted: { id: 'after', text: 'still here', likes: 5, secretNote: 'note on after' } },
    });
    expect(received.completed).toBe(false);

    const metrics = await (await fetch(platform.metricsUrl)).text();
    expect(metrics).toMatch(/gateway_subscriptions_open\{subgraph="messages",operation_name="\(anonymous\)"\} [1-9]/);
    expect(metrics).toMatch(/gateway_subscription_events_total\{subgraph="messages"\} [1-9]/);
    await client.dispose();
  });

  it('closes a socket whose credential is refused with 4403', async () => {
    const closed = await new Promise<number>((resolve) => {
      const client = createClient({
        url: wsUrl,
        lazy: false,
        onNonLazyError: () => {},
        retryAttempts: 0,
        webSocketImpl: WebSocket,
        connectionParams: { Authorization: 'Bearer bad' },
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      clients.push(client);
    });
    expect(closed).toBe(4403);
  });

  it('refuses a subscription selecting a field the caller may not read, before anything reaches a subgraph', async () => {
    const sockets = upstreamSockets(platform.subgraphs.messages!);
    const received = subscribe(connect(), 'subscription { messagePosted { id secretNote } }');
    await until(() => received.errors.length > 0, 'the refusal');
    expect((received.errors[0] as { message: string }[])[0]!.message).toMatch(/secretNote/);
    expect(upstreamSockets(platform.subgraphs.messages!)).toBe(sockets);
  });

  it('refuses more than MAX_SUBSCRIPTIONS_PER_CALLER open at once', async () => {
    const client = connect('Bearer good');
    const open = [subscribe(client), subscribe(client), subscribe(client)];
    for (const received of open) await whenLive(received);
    const fourth = subscribe(client);
    await until(() => fourth.errors.length > 0, 'the refusal');
    expect((fourth.errors[0] as { extensions: { code: string } }[])[0]!.extensions.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    await client.dispose();
  });

  it('completes the upstream when the client goes away', async () => {
    await until(() => upstreamSockets(platform.subgraphs.messages!) === 0, 'earlier upstreams to close');
    const client = connect('Bearer good');
    const received = subscribe(client);
    await whenLive(received);
    expect(upstreamSockets(platform.subgraphs.messages!)).toBe(1);
    await client.dispose();
    await until(() => upstreamSockets(platform.subgraphs.messages!) === 0, 'the upstream to close');
  });

  it('ends the client subscription with a readable error when its subgraph dies mid-stream', async () => {
    const received = subscribe(connect('Bearer good'));
    await whenLive(received);
    await platform.subgraphs.messages!.stop();
    await until(() => received.completed, 'the subscription to complete');
    expect(received.events.at(-1).errors[0].extensions.code).toBe('SUBSCRIPTION_ENDED');
    const metrics = await (await fetch(platform.metricsUrl)).text();
    expect(metrics).toMatch(/gateway_subscription_upstream_failures_total\{subgraph="messages"\} [1-9]/);
  });
});

describe('gateway: subscriptions and the rest of the pipeline', () => {
  let platform: Platform;
  let fixtures: SubscriptionSubgraphs;

  beforeAll(async () => {
    fixtures = subscriptionSubgraphs(mkdtempSync(join(tmpdir(), 'subscription-fixtures-')));
    platform = await startPlatform({ subgraphs: [fixtures.messages, fixtures.reactions], gatewayEnv: { RATE_LIMITS: 'anonymous=2' } });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const start = (client: Client) =>
    new Promise<{ errors?: { extensions?: { code?: string } }[]; events: any[]; completed: Promise<void> }>((resolve) => {
      const events: any[] = [];
      let completed!: () => void;
      const done = new Promise<void>((resolveDone) => (completed = resolveDone));
      client.subscribe(
        { query: SUBSCRIPTION },
        {
          next: (event) => {
            events.push(event);
            resolve({ events, completed: done });
          },
          error: (errors) => resolve({ errors: errors as never, events, completed: done }),
          complete: () => completed(),
        },
      );
      const warmUp = setInterval(() => {
        if (events.length > 0) clearInterval(warmUp);
        else void fixtures.publish({ id: 'warm', text: 'warm-up' });
      }, 25);
      void done.then(() => clearInterval(warmUp));
      setTimeout(() => clearInterval(warmUp), 5_000);
    });

  it('counts every subscription start against the rate limit, and the gateway stop ends open subscriptions with a reason', async () => {
    const client = createClient({
      url: platform.gatewayUrl.replace(/^http/, 'ws'),
      lazy: false,
      onNonLazyError: () => {},
      retryAttempts: 0,
      webSocketImpl: WebSocket,
    });
    const first = await start(client);
    expect(first.events[0].data.messagePosted.text).toBe('warm-up');
    await start(client);
    const third = await start(client);
    expect(third.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');

    await platform.gateway.stop();
    await first.completed;
    expect(first.events.at(-1).errors[0]).toMatchObject({
      message: 'The subscription ended: the gateway is stopping',
      extensions: { code: 'SUBSCRIPTION_ENDED' },
    });
    await client.dispose();
  });
});

describe('gateway: subscriptions across a hot reload', () => {
  let platform: Platform;
  let fixtures: SubscriptionSubgraphs;
  afterAll(async () => {
    await platform?.stop();
  });

  it('keeps an open subscription streaming on the plan it started with while a new supergraph takes over', async () => {
    fixtures = subscriptionSubgraphs(mkdtempSync(join(tmpdir(), 'subscription-fixtures-')));
    platform = await startPlatform({ subgraphs: [fixtures.messages, fixtures.reactions], copySchemas: true });
    const client = createClient({
      url: platform.gatewayUrl.replace(/^http/, 'ws'),
      lazy: false,
      onNonLazyError: () => {},
      retryAttempts: 0,
      webSocketImpl: WebSocket,
    });
    const events: any[] = [];
    client.subscribe({ query: SUBSCRIPTION }, { next: (event) => events.push(event), error: () => {}, complete: () => {} });
    await until(() => {
      void fixtures.publish({ id: 'warm', text: 'warm-up' });
      return events.length > 0;
    }, 'the subscription to be live');

    const schemaFile = join(platform.dataDir, 'messages.graphql');
    writeFileSync(
      schemaFile,
      readFileSync(schemaFile, 'utf8').replace(
        'type Query { ping: String }',
        'type Query { ping: String\n  "Added by the reload."\n  pong: String }',
      ),
    );
    const served = async () =>
      (await platform.query('{ __type(name: "Query") { fields { name } } }')).body.data.__type.fields.map(
        (field: { name: string }) => field.name,
      );
    let fields: string[] = [];
    for (let tries = 0; tries < 100 && !fields.includes('pong'); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      fields = await served();
    }
    expect(fields).toContain('pong');

    events.length = 0;
    await fixtures.publish({ id: 'reloaded', text: 'after the reload' });
    await until(() => events.some((event) => event.data?.messagePosted?.id === 'reloaded'), 'the event after the reload');
    expect(events.find((event) => event.data?.messagePosted?.id === 'reloaded')).toEqual({
      data: { messagePosted: { id: 'reloaded', text: 'after the reload', likes: 8 } },
    });
    await client.dispose();
  });
});
