import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './helpers/platform.ts';
import { subscriptionSubgraphs, type SubscriptionSubgraphs } from './helpers/subscription-subgraphs.ts';

const SUBSCRIPTION = 'subscription { messagePosted { id text likes } }';

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The SSE events of `text` but heartbeats and warm-ups. */
function sseEvents(text: string): string[] {
  return text.split('\n\n').filter((event) => event !== '' && event !== ':' && !event.includes('"text":"warm-up"'));
}

/** The multipart parts of `text` but heartbeats and warm-ups, each from its headers on. */
function multipartParts(text: string): string[] {
  return text
    .split('\r\n--graphql\r\n')
    .filter((part) => part !== '' && !part.endsWith('\r\n\r\n{}') && !part.includes('"text":"warm-up"'));
}

describe('gateway: subscriptions over SSE and multipart HTTP', () => {
  let platform: Platform;
  let fixtures: SubscriptionSubgraphs;
  const upstreamSockets = () => platform.subgraphs.messages!.app.websocketServer.clients.size;

  beforeAll(async () => {
    fixtures = subscriptionSubgraphs(mkdtempSync(join(tmpdir(), 'subscription-fixtures-')));
    platform = await startPlatform({ subgraphs: [fixtures.messages, fixtures.reactions] });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  /** Opens a stream and reads its text as it comes; `abort()` is the client going away. */
  async function open(accept: string, query = SUBSCRIPTION) {
    const controller = new AbortController();
    const response = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ query }),
      signal: controller.signal,
    });
    const read = { text: '', ended: false };
    if (response.ok) {
      void (async () => {
        const decoder = new TextDecoder();
        try {
          for await (const chunk of response.body!) read.text += decoder.decode(chunk as Uint8Array, { stream: true });
        } catch {
          // aborted by the test
        }
        read.ended = true;
      })();
    }
    // Warm-up messages until the upstream subscription is live, then only what the test publishes counts.
    if (response.ok) {
      await until(() => {
        void fixtures.publish({ id: 'warm', text: 'warm-up' });
        return read.text.includes('warm-up');
      }, 'the subscription to be live');
    }
    return { response, read, abort: () => controller.abort() };
  }

  it('streams events with their entity fields as graphql-sse next events, and closes the upstream when the client goes away', async () => {
    const stream = await open('text/event-stream');
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(upstreamSockets()).toBe(1);
    await fixtures.publish({ id: 'sse-1', text: 'over sse' });
    await until(() => stream.read.text.includes('sse-1'), 'the event');
    expect(sseEvents(stream.read.text)).toEqual([
      `event: next\ndata: ${JSON.stringify({ data: { messagePosted: { id: 'sse-1', text: 'over sse', likes: 5 } } })}`,
    ]);
    stream.abort();
    await until(() => upstreamSockets() === 0, 'the upstream to close');
  });

  it("serves graphql-sse's own client", async () => {
    const client = createClient({ url: platform.gatewayUrl, retryAttempts: 0 });
    const events = client.iterate<{ messagePosted: { id: string; text: string; likes: number } }>({ query: SUBSCRIPTION });
    const first = events.next();
    let settled = false;
    void first.then(() => (settled = true));
    await until(() => {
      void fixtures.publish({ id: 'client', text: 'through graphql-sse' });
      return settled;
    }, 'the first event');
    expect((await first).value).toEqual({ data: { messagePosted: { id: 'client', text: 'through graphql-sse', likes: 6 } } });
    await events.return?.();
    client.dispose();
    await until(() => upstreamSockets() === 0, 'the upstream to close');
  });

  it('streams multipart parts in Apollo subscriptionSpec 1.0, and ends with the closing boundary when the subgraph dies', async () => {
    const stream = await open('multipart/mixed;subscriptionSpec="1.0",application/json');
    expect(stream.response.headers.get('content-type')).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
    await fixtures.publish({ id: 'mp-1', text: 'over multipart' });
    await until(() => stream.read.text.includes('mp-1'), 'the event');
    expect(multipartParts(stream.read.text)).toEqual([
      `content-type: application/json; charset=utf-8\r\n\r\n${JSON.stringify({ payload: { data: { messagePosted: { id: 'mp-1', text: 'over multipart', likes: 4 } } } })}`,
    ]);
    await platform.subgraphs.messages!.stop();
    await until(() => stream.read.ended, 'the stream to end');
    expect(stream.read.text).toContain('"code":"SUBSCRIPTION_ENDED"');
    expect(stream.read.text.endsWith('\r\n--graphql--\r\n')).toBe(true);
  });

  it("answers a refused start with the pipeline's HTTP answer", async () => {
    const response = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { messagePosted { id secretNote } }' }),
    });
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toMatch(/secretNote/);
  });
});
