/** The retry budget over a moving window, with an injected clock. */
import { describe, expect, it } from 'vitest';
import { createRetryBudget } from '../gateway/execution/retry-budget.ts';

describe('the retry budget', () => {
  it('allows the floor plus a share of the fetches of the window, and forgets what left the window', () => {
    let now = 1_000_000;
    const budget = createRetryBudget({ ratio: 0.2, min: 1, windowMs: 1000, now: () => now });
    for (let i = 0; i < 10; i++) budget.fetched();
    // 1 + 20% of 10 = 3.
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, true, false]);

    now += 500;
    for (let i = 0; i < 5; i++) budget.fetched();
    expect(budget.tryRetry()).toBe(true); // 1 + 20% of 15 = 4
    expect(budget.tryRetry()).toBe(false);

    // The first ten fetches and three retries have left the window; five fetches and one retry remain: 1 + 1 = 2.
    now += 600;
    expect([budget.tryRetry(), budget.tryRetry()]).toEqual([true, false]);

    // A long quiet time empties it all: only the floor.
    now += 60_000;
    expect([budget.tryRetry(), budget.tryRetry()]).toEqual([true, false]);
  });
});
