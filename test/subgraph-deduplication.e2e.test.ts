/**
 * In-flight deduplication through the gateway, counted at fixture subgraphs over HTTP: identical concurrent
 * query fetches make one subgraph call; two callers never share one; a mutation is never shared; and
 * SUBGRAPH_DEDUPLICATION=false turns it off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTrafficPlatform, type TrafficPlatform } from './helpers/traffic-platform.ts';

let platform: TrafficPlatform | undefined;
afterEach(async () => {
  await platform?.stop();
  platform = undefined;
});

const deduplicated = () => platform!.metric('gateway_subgraph_fetches_deduplicated_total', { subgraph: 'alpha' });

describe('in-flight deduplication', () => {
  it('gives identical concurrent queries of one caller one subgraph call, each its own answer', async () => {
    platform = await startTrafficPlatform(['alpha']);
    const alpha = platform.subgraphs.alpha!;
    alpha.script('hold');
    const answers = Array.from({ length: 5 }, () => platform!.query('{ alpha(id: "1") }', { user: 'ann' }));
    await expect.poll(deduplicated, { timeout: 10_000 }).toBe(4);
    alpha.release();
    for (const { body } of await Promise.all(answers)) expect(body).toEqual({ data: { alpha: 'alpha 1 for ann' } });
    expect(alpha.calls).toHaveLength(1);
    expect(alpha.calls[0]!.principal).toEqual({ kind: 'user', userId: 'ann', roles: {} });

    // Once settled, nothing is kept: the next identical query makes its own call.
    await platform.query('{ alpha(id: "1") }', { user: 'ann' });
    expect(alpha.calls).toHaveLength(2);
  });

  it("never shares one call between two callers' identical queries", async () => {
    platform = await startTrafficPlatform(['alpha']);
    const alpha = platform.subgraphs.alpha!;
    alpha.otherwise = 'hold';
    const ann = platform.query('{ alpha(id: "1") }', { user: 'ann' });
    const bob = platform.query('{ alpha(id: "1") }', { user: 'bob' });
    await expect.poll(() => alpha.calls.length, { timeout: 10_000 }).toBe(2);
    alpha.release();
    expect((await ann).body).toEqual({ data: { alpha: 'alpha 1 for ann' } });
    expect((await bob).body).toEqual({ data: { alpha: 'alpha 1 for bob' } });
    expect(alpha.calls.map((call) => call.principal)).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId: 'ann' }), expect.objectContaining({ userId: 'bob' })]),
    );
    expect(await deduplicated()).toBe(0);
  });

  it('never shares a mutation', async () => {
    platform = await startTrafficPlatform(['alpha']);
    const alpha = platform.subgraphs.alpha!;
    alpha.otherwise = 'hold';
    const answers = Array.from({ length: 3 }, () => platform!.query('mutation { alphaTouch(id: "1") }', { user: 'ann' }));
    await expect.poll(() => alpha.calls.length, { timeout: 10_000 }).toBe(3);
    alpha.release();
    for (const { body } of await Promise.all(answers)) expect(body).toEqual({ data: { alphaTouch: 'alpha 1 for ann' } });
    expect(await deduplicated()).toBe(0);
  });

  it('is off with SUBGRAPH_DEDUPLICATION=false', async () => {
    platform = await startTrafficPlatform(['alpha'], { SUBGRAPH_DEDUPLICATION: 'false' });
    const alpha = platform.subgraphs.alpha!;
    alpha.otherwise = 'hold';
    const answers = Array.from({ length: 3 }, () => platform!.query('{ alpha(id: "1") }', { user: 'ann' }));
    await expect.poll(() => alpha.calls.length, { timeout: 10_000 }).toBe(3);
    alpha.release();
    for (const { body } of await Promise.all(answers)) expect(body).toEqual({ data: { alpha: 'alpha 1 for ann' } });
    expect(await deduplicated()).toBe(0);
  });
});
