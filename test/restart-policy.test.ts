import { describe, expect, it } from 'vitest';
import { createRestartPolicy, readRestartPolicy } from '../scripts/restart-policy.ts';

describe('the restart policy of npm start', () => {
  it('defaults to a 500 ms first delay, and giving up at the 5th crash within 60 s', () => {
    expect(readRestartPolicy({})).toEqual({ firstDelayMs: 500, maxDelayMs: 30_000, maxCrashes: 5, windowMs: 60_000 });
    expect(readRestartPolicy({ RESTART_DELAY_MS: '0', RESTART_MAX_CRASHES: '2', RESTART_WINDOW_MS: '1000' })).toMatchObject({
      firstDelayMs: 0,
      maxCrashes: 2,
      windowMs: 1000,
    });
    expect(() => readRestartPolicy({ RESTART_MAX_CRASHES: '0' })).toThrow(
      /^RESTART_MAX_CRASHES must be a whole number of at least 1, got "0"$/,
    );
  });

  it('doubles the delay with each crash within the window, and gives up at the last one', () => {
    const policy = createRestartPolicy(readRestartPolicy({}));
    const verdicts = [0, 1_000, 2_000, 3_000].map((at) => policy.crashed(at));
    expect(verdicts).toEqual([
      { giveUp: false, delayMs: 500, crashesInWindow: 1 },
      { giveUp: false, delayMs: 1_000, crashesInWindow: 2 },
      { giveUp: false, delayMs: 2_000, crashesInWindow: 3 },
      { giveUp: false, delayMs: 4_000, crashesInWindow: 4 },
    ]);
    expect(policy.crashed(4_000)).toEqual({ giveUp: true, crashesInWindow: 5 });
  });

  it('forgets crashes older than the window, and never waits longer than 30 s', () => {
    const policy = createRestartPolicy({ firstDelayMs: 10_000, maxDelayMs: 30_000, maxCrashes: 5, windowMs: 60_000 });
    for (const at of [0, 10_000, 20_000]) policy.crashed(at);
    expect(policy.crashed(30_000)).toEqual({ giveUp: false, delayMs: 30_000, crashesInWindow: 4 });
    // Two minutes later only this crash is in the window: the delay starts over.
    expect(policy.crashed(150_000)).toEqual({ giveUp: false, delayMs: 10_000, crashesInWindow: 1 });
  });
});
