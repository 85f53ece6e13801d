/**
 * A retry budget, Envoy's and Apollo Router's idea: a subgraph's retries over a window may be at most a
 * share of its fetches over that window, plus a small floor, so that a failing subgraph gets a few more
 * calls rather than three times the load (a retry storm). The window moves in tenths.
 */
export interface RetryBudgetOptions {
  /** Retries allowed as a share of fetches, 0 to 1. */
  ratio: number;
  /** Retries allowed per window whatever the share. */
  min: number;
  windowMs: number;
  now?: () => number;
}

export interface RetryBudget {
  /** A first attempt of a fetch was made. */
  fetched(): void;
  /** Whether one more retry fits; if it does, it is counted. */
  tryRetry(): boolean;
}

const SLOTS = 10;

export function createRetryBudget({ ratio, min, windowMs, now = Date.now }: RetryBudgetOptions): RetryBudget {
  const slotMs = windowMs / SLOTS;
  const fetches = new Array<number>(SLOTS).fill(0);
  const retries = new Array<number>(SLOTS).fill(0);
  let currentSlot = Math.floor(now() / slotMs);

  // Slots the window moved past since the last call are emptied.
  function slot(): number {
    const target = Math.floor(now() / slotMs);
    for (let moved = currentSlot + 1; moved <= target && moved <= currentSlot + SLOTS; moved++) {
      fetches[moved % SLOTS] = 0;
      retries[moved % SLOTS] = 0;
    }
    currentSlot = Math.max(currentSlot, target);
    return currentSlot % SLOTS;
  }
  const sum = (counts: number[]) => counts.reduce((total, count) => total + count, 0);

  return {
    fetched() {
      fetches[slot()]!++;
    },
    tryRetry() {
      const index = slot();
      if (sum(retries) >= min + ratio * sum(fetches)) return false;
      retries[index]!++;
      return true;
    },
  };
}
