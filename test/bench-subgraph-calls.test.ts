/** The bench's subgraph calls per client request, which shows whether a gateway merges requests in flight. */
import { describe, expect, it } from 'vitest';
import { callsPerRequest } from '../bench/subgraph-calls.ts';

describe('callsPerRequest', () => {
  it('sums the calls every fixture received during the run and divides by the requests sent', () => {
    // products 100 -> 400, inventory 50 -> 350, reviews 0 -> 300: 900 calls for 300 requests.
    expect(callsPerRequest([100, 50, 0], [400, 350, 300], 300)).toBe(3);
  });

  it('shows merging as less than one call per request, rounded to two decimals', () => {
    expect(callsPerRequest([0, 0], [10, 7], 300)).toBe(0.06);
  });

  it('is 0 when no request was sent, rather than a division by zero', () => {
    expect(callsPerRequest([5], [5], 0)).toBe(0);
  });

  it('refuses readings of different sets of subgraphs', () => {
    expect(() => callsPerRequest([1, 2], [3], 10)).toThrow('2 counts before the run, 1 after');
  });
});
