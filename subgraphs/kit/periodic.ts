/**
 * `runPeriodically(task, intervalMs, onError)`: a sweep that runs every `intervalMs`, never two at once
 * (a tick while one runs is skipped), without keeping the process alive; `stop()` clears the timer and
 * waits for a run in flight, so that what the task uses (the store) is closed after it. Safe twice.
 */
export function runPeriodically(
  task: () => Promise<unknown>,
  intervalMs: number,
  onError: (error: unknown) => void,
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= task()
      .then(() => undefined, onError)
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
