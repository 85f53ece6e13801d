/**
 * Retries of subgraph fetches through the gateway, counted at a fixture subgraph over HTTP: a query fetch is
 * retried after a 503 and a mutation never; `Retry-After` is waited for, or, asking too long, not; the retry
 * budget stops a retry storm.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTrafficPlatform, type TrafficPlatform } from './helpers/traffic-platform.ts';

let platform: TrafficPlatform | undefined;
afterEach(async () => {
  await platform?.stop();
  platform = undefined;
});

// Breakers off: these tests count every attempt of a failing subgraph.
const NO_BREAKER = { SUBGRAPH_BREAKER_FAILURES: '0', SUBGRAPH_BREAKER_FAILURE_PERCENT: '0', SUBGRAPH_RETRY_BACKOFF_MS: '5' };
const retries = (outcome: string) => platform!.metric('gateway_subgraph_retries_total', { subgraph: 'alpha', outcome });

describe('retries', () => {
  it('retry a query fetch after a 503, and answer with the retry', async () => {
    platform = await startTrafficPlatform(['alpha'], NO_BREAKER);
    const alpha = platform.subgraphs.alpha!;
    alpha.script({ status: 503 });
    const { body } = await platform.query('{ alpha(id: "1") }', { user: 'ann' });
    expect(body).toEqual({ data: { alpha: 'alpha 1 for ann' } });
    expect(alpha.calls).toHaveLength(2);
    expect(await retries('retried')).toBe(1);
    // The retry is signed afresh (a new nonce and time), for the same caller.
    expect(alpha.calls[1]!.principal).toEqual({ kind: 'user', userId: 'ann', roles: {} });
    expect(alpha.calls[1]!.headers['x-fed-nonce']).not.toBe(alpha.calls[0]!.headers['x-fed-nonce']);
  });

  it('never retry a mutation', async () => {
    platform = await startTrafficPlatform(['alpha'], NO_BREAKER);
    const alpha = platform.subgraphs.alpha!;
    alpha.script({ status: 503 });
    const { body } = await platform.query('mutation { alphaTouch(id: "1") }', { user: 'ann' });
    expect(body.data).toEqual({ alphaTouch: null });
    expect(body.errors?.[0]?.message).toBe('503: Service Unavailable');
    expect(alpha.calls).toHaveLength(1);
    expect(await retries('retried')).toBe(0);
  });

  it('give up after SUBGRAPH_RETRIES', async () => {
    platform = await startTrafficPlatform(['alpha'], { ...NO_BREAKER, SUBGRAPH_RETRIES: '2' });
    const alpha = platform.subgraphs.alpha!;
    alpha.otherwise = { status: 502 };
    const { body } = await platform.query('{ alpha(id: "1") }');
    expect(body.errors?.[0]?.message).toBe('502: Bad Gateway');
    expect(alpha.calls).toHaveLength(3);
  });

  it("wait the subgraph's Retry-After, and do not retry when it asks longer than SUBGRAPH_RETRY_MAX_DELAY_MS", async () => {
    platform = await startTrafficPlatform(['alpha'], { ...NO_BREAKER, SUBGRAPH_RETRY_MAX_DELAY_MS: '2000' });
    const alpha = platform.subgraphs.alpha!;
    alpha.script({ status: 503, headers: { 'retry-after': '1' } });
    expect((await platform.query('{ alpha(id: "1") }')).body).toEqual({ data: { alpha: 'alpha 1 for anonymous' } });
    expect(alpha.calls).toHaveLength(2);
    // The backoff alone would have waited 5 ms at most.
    expect(alpha.calls[1]!.at - alpha.calls[0]!.at).toBeGreaterThanOrEqual(950);

    alpha.script({ status: 503, headers: { 'retry-after': '30' } });
    const { body } = await platform.query('{ alpha(id: "2") }');
    expect(body.errors?.[0]?.message).toBe('503: Service Unavailable');
    expect(alpha.calls).toHaveLength(3);
  });

  it('stop a retry storm at the budget: a share of the fetches plus the floor', async () => {
    platform = await startTrafficPlatform(['alpha'], {
      ...NO_BREAKER,
      SUBGRAPH_RETRIES: '2',
      SUBGRAPH_RETRY_BUDGET_MIN: '2',
      SUBGRAPH_RETRY_BUDGET_PERCENT: '10',
      SUBGRAPH_RETRY_BUDGET_WINDOW_MS: '600000',
    });
    const alpha = platform.subgraphs.alpha!;
    alpha.otherwise = { status: 503 };
    for (let i = 0; i < 10; i++) await platform.query(`{ alpha(id: "${i}") }`);
    // Ten fetches: at most 2 + 10% of 10 = 3 retries, where two each would have made 20.
    expect(alpha.calls).toHaveLength(13);
    expect(await retries('retried')).toBe(3);
    expect(await retries('budget_exhausted')).toBe(9);
  });
});
