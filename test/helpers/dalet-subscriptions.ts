/**
 * Dalet subscriptions through the gateway over GraphQL over WebSocket, as the doc's clients connect:
 * `connection_init` with `{ Authorization: "Bearer <token>" }`. `subscribe` collects what arrives;
 * `untilEvent` repeats a mutation until its notification arrives, which is how a test knows the
 * subscription is live upstream (a subscription started an instant earlier may not be yet).
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Received {
  /** Every `next` payload, in order. */
  events: any[];
  errors: unknown[];
  completed: boolean;
  /** The notifications of every event, flattened, in order. */
  notifications(field: string): any[];
}

export interface DaletSubscriber {
  subscribe(token: string, query: string, variables?: Record<string, unknown>): Received;
  close(): Promise<void>;
}

export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `trigger` every 200 ms until `arrived()` holds (the subscription went live and got its event). */
export async function untilEvent(arrived: () => boolean, trigger: () => Promise<unknown>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!arrived()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await trigger();
    await until(arrived, what, 200).catch(() => {});
  }
}

export function daletSubscriber(gatewayUrl: string): DaletSubscriber {
  const clients: Client[] = [];
  const wsUrl = gatewayUrl.replace(/^http/, 'ws');
  return {
    subscribe(token, query, variables) {
      const client = createClient({
        url: wsUrl,
        lazy: false,
        onNonLazyError: () => {},
        retryAttempts: 0,
        webSocketImpl: WebSocket,
        connectionParams: { Authorization: `Bearer ${token}` },
      });
      clients.push(client);
      const received: Received = {
        events: [],
        errors: [],
        completed: false,
        notifications: (field) => received.events.flatMap((event) => event.data?.[field]?.notifications ?? []),
      };
      client.subscribe(
        { query, variables },
        {
          next: (event) => void received.events.push(event),
          error: (error) => void received.errors.push(error),
          complete: () => void (received.completed = true),
        },
      );
      return received;
    },
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
    },
  };
}
