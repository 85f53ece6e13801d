/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): the n-th
 * retry waits a random time in [0, min(capMs, baseMs * 2^(n-1))], so workers that failed together do not
 * retry together.
 */
export interface BackoffOptions {
  /** Upper bound of the first retry's wait; default 1000 ms. */
  baseMs?: number;
  /** No wait is longer than this; default 300000 ms (5 minutes). */
  capMs?: number;
}

export function backoffDelayMs(attempt: number, { baseMs = 1000, capMs = 300_000 }: BackoffOptions = {}, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
