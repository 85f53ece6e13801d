/** startPeriodicTask: a run at start, one run at a time, failures logged, stop() waiting for the run in flight. */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPeriodicTask } from '../subgraphs/kit/periodic-task.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const silent = pino({ level: 'silent' });

describe('startPeriodicTask', () => {
  it('runs at start, skips ticks while a run is in flight, and stop() waits for that run', async () => {
    let finish!: () => void;
    const run = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const task = startPeriodicTask('sweep', 100, silent, run);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(350);
    expect(run).toHaveBeenCalledTimes(1);

    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('logs a failure with the task name and runs again at the next tick', async () => {
    const log = pino({ level: 'error' });
    const logged = vi.spyOn(log, 'error').mockImplementation(() => {});
    const run = vi.fn().mockRejectedValueOnce(new Error('disk full')).mockResolvedValue(undefined);
    const task = startPeriodicTask('sweep', 100, log, run);
    await vi.advanceTimersByTimeAsync(150);
    expect(logged).toHaveBeenCalledWith({ err: new Error('disk full'), task: 'sweep' }, 'sweep failed');
    expect(run).toHaveBeenCalledTimes(2);
    await task.stop();
  });
});
