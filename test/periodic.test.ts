/** runPeriodically: one run at a time, errors to onError, stop() waiting for the run in flight. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runPeriodically } from '../subgraphs/kit/periodic.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('runPeriodically', () => {
  it('skips ticks while a run is in flight, and stop() waits for that run', async () => {
    let finish!: () => void;
    const task = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const sweeper = runPeriodically(task, 100, () => {});
    await vi.advanceTimersByTimeAsync(350);
    expect(task).toHaveBeenCalledTimes(1);

    let stopped = false;
    const stopping = sweeper.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('hands a failure to onError and runs again at the next tick', async () => {
    const errors: unknown[] = [];
    const task = vi.fn().mockRejectedValueOnce(new Error('disk full')).mockResolvedValue(undefined);
    const sweeper = runPeriodically(task, 100, (error) => errors.push(error));
    await vi.advanceTimersByTimeAsync(250);
    expect(errors).toEqual([new Error('disk full')]);
    expect(task).toHaveBeenCalledTimes(2);
    await sweeper.stop();
  });
});
