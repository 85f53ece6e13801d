/**
 * A scheduled task of a subgraph (billing's month closing, cdn's certificate validation): runs at start and
 * every `intervalMs`, never two runs at once in one process (a slow run makes the next tick wait), errors
 * logged, never thrown. `stop()` clears the timer and waits for the run in flight: register it with `onClose`.
 * Replicas each run their own: the task itself makes its writes safe across them (conditional updates, leases).
 */
import type { Logger } from 'pino';

export interface PeriodicTask {
  stop(): Promise<void>;
}

export function startPeriodicTask(name: string, intervalMs: number, log: Logger, run: () => Promise<void>): PeriodicTask {
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= run()
      .catch((error: unknown) => log.error({ err: error, task: name }, `${name} failed`))
      .finally(() => {
        running = undefined;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
