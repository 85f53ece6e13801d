/**
 * When `npm start` restarts a service that crashed, and when it gives up: each crash waits twice as long as
 * the one before it within the window (RESTART_DELAY_MS, 2x, 4x... at most 30 s), and RESTART_MAX_CRASHES
 * crashes within RESTART_WINDOW_MS mean the service cannot run here, so everything stops.
 */

export interface RestartPolicyOptions {
  /** RESTART_DELAY_MS, default 500: the wait before the first restart of a crashed service. */
  readonly firstDelayMs: number;
  /** The longest wait between a crash and its restart. Default 30000. */
  readonly maxDelayMs: number;
  /** RESTART_MAX_CRASHES, default 5: crashes within the window after which the supervisor gives up. */
  readonly maxCrashes: number;
  /** RESTART_WINDOW_MS, default 60000. */
  readonly windowMs: number;
}

export type RestartVerdict = { giveUp: false; delayMs: number; crashesInWindow: number } | { giveUp: true; crashesInWindow: number };

export interface RestartPolicy {
  /** Records one crash of the service at `now` and says what to do about it. */
  crashed(now?: number): RestartVerdict;
}

export function readRestartPolicy(env: NodeJS.ProcessEnv): RestartPolicyOptions {
  const integer = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
    return value;
  };
  return Object.freeze({
    firstDelayMs: integer('RESTART_DELAY_MS', 500, 0),
    maxDelayMs: 30_000,
    maxCrashes: integer('RESTART_MAX_CRASHES', 5, 1),
    windowMs: integer('RESTART_WINDOW_MS', 60_000, 1),
  });
}

/** One policy per service: each keeps its own crash history. */
export function createRestartPolicy({ firstDelayMs, maxDelayMs, maxCrashes, windowMs }: RestartPolicyOptions): RestartPolicy {
  let crashes: number[] = [];
  return {
    crashed(now = Date.now()) {
      crashes = [...crashes.filter((at) => at > now - windowMs), now];
      if (crashes.length >= maxCrashes) return { giveUp: true, crashesInWindow: crashes.length };
      return { giveUp: false, delayMs: Math.min(maxDelayMs, firstDelayMs * 2 ** (crashes.length - 1)), crashesInWindow: crashes.length };
    },
  };
}
