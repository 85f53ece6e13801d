/**
 * Subgraph calls are signed when they get a connection, not before they wait for one (fetcher.ts,
 * connection-admission.ts): a burst queued behind SUBGRAPH_MAX_CONNECTIONS for longer than the subgraph's
 * identity window is answered in full, each call fresh when it arrives. The admission's turns and timeouts
 * alone: connection-admission.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTrafficPlatform, type TrafficPlatform } from './helpers/traffic-platform.ts';

let platform: TrafficPlatform | undefined;
afterEach(async () => {
  await platform?.stop();
  platform = undefined;
});

describe('subgraph calls waiting for a connection', () => {
  it('are signed when sent: a burst queued longer than the identity window is answered in full', async () => {
    platform = await startTrafficPlatform(['alpha'], { SUBGRAPH_MAX_CONNECTIONS: '2', SUBGRAPH_DEDUPLICATION: 'false' });
    const alpha = platform.subgraphs.alpha!;
    alpha.identityWindowMs = 1_000;
    alpha.otherwise = { delayMs: 250 };
    // 24 calls, 2 at a time, 250 ms each: the last ones wait about 2.75 s for a connection, past the window.
    const ids = Array.from({ length: 24 }, (_, index) => String(index));
    const answers = await Promise.all(ids.map((id) => platform!.query(`{ alpha(id: "${id}") }`, { user: 'ann' })));

    expect(alpha.refused).toEqual([]);
    expect(answers.map(({ body }) => body)).toEqual(ids.map((id) => ({ data: { alpha: `alpha ${id} for ann` } })));
    expect(alpha.calls).toHaveLength(24);
    expect(alpha.peakConcurrency).toBe(2);
  });
});
