/** Where billing reads the time: months close and invoices fall due by it. Tests pass one they move. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = Object.freeze({ now: () => new Date() });
