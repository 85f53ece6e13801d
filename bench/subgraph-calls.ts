/**
 * Subgraph calls per client request, counted at the fixture subgraphs (each counts the requests it
 * receives): what shows a gateway that merges identical subgraph requests in flight.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** Asks each fixture subgraph, over IPC, how many requests it has received so far. */
export async function readCallCounts(fixtures: readonly ChildProcess[]): Promise<number[]> {
  const counts: number[] = [];
  for (const fixture of fixtures) {
    const answer = once(fixture, 'message') as Promise<[{ calls: number }]>;
    fixture.send({ calls: true });
    counts.push((await answer)[0].calls);
  }
  return counts;
}

/**
 * The calls all fixtures received between two readings, over the client requests sent meanwhile (answered or not),
 * rounded to two decimals; 0 when no request was sent.
 */
export function callsPerRequest(before: readonly number[], after: readonly number[], requests: number): number {
  if (before.length !== after.length) throw new Error(`${before.length} counts before the run, ${after.length} after`);
  if (requests <= 0) return 0;
  const calls = after.reduce((sum, count, i) => sum + count - before[i]!, 0);
  return Math.round((calls / requests) * 100) / 100;
}
