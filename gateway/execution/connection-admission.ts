/**
 * At most `connections` subgraph calls in flight per origin, the rest waiting here in arrival order, so that
 * undici's pool (as many connections per origin) never queues a call: a call is signed when it is admitted
 * (fetcher.ts), and its signature is then written to a connection at once, however long the wait. Signed
 * before the wait, a call of a burst waited in undici's queue past IDENTITY_WINDOW_MS and was refused
 * as stale (core/identity.ts). undici has no hook at the moment a request gets its connection where headers
 * could still be added: its interceptors run when `request()` is called.
 */

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal;
  onAbort(): void;
}

/** The connections of one origin: taken at once while some are free, else in turn. */
export class OriginAdmission {
  private inFlight = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly connections: number) {}

  /**
   * Takes a connection: undefined when one was free (no promise made on that path), else a promise that
   * settles when this call's turn comes, or rejects with `signal`'s reason if it is aborted first.
   */
  acquire(signal: AbortSignal): Promise<void> | undefined {
    if (this.inFlight < this.connections) {
      this.inFlight++;
      return undefined;
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Gives the connection back: to the first call waiting, if any, which then holds it. */
  release(): void {
    const next = this.waiting.shift();
    if (!next) {
      this.inFlight--;
      return;
    }
    next.signal.removeEventListener('abort', next.onAbort);
    next.resolve();
  }
}

export interface ConnectionAdmission {
  /** The admission of `url`'s origin, shared by every URL of that origin, as undici's pool is. */
  of(url: string): OriginAdmission;
}

export function createConnectionAdmission(connections: number): ConnectionAdmission {
  const byOrigin = new Map<string, OriginAdmission>();
  // The URLs called are the supergraph's routing URLs and the issuers': a few, so each is parsed once.
  const byUrl = new Map<string, OriginAdmission>();
  return {
    of(url) {
      let admission = byUrl.get(url);
      if (!admission) {
        const { origin } = new URL(url);
        admission = byOrigin.get(origin) ?? new OriginAdmission(connections);
        byOrigin.set(origin, admission);
        byUrl.set(url, admission);
      }
      return admission;
    },
  };
}
