/**
 * Asks a `/health` URL every 25 ms from a process of its own, so that the round trips measured are the
 * server's, not the time the test's own busy event loop took to notice the answers. `stop()` gives every
 * round trip in milliseconds, and every failure.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const WATCHER = `
const url = process.argv[1];
const roundTrips = [];
const failures = [];
let watching = true;
process.on('SIGTERM', () => (watching = false));
(async () => {
  while (watching) {
    const started = performance.now();
    try {
      const answer = await fetch(url);
      await answer.text();
      if (answer.status !== 200) failures.push('/health answered ' + answer.status);
    } catch (error) {
      failures.push('/health: ' + String(error));
    }
    roundTrips.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  process.stdout.write(JSON.stringify({ roundTrips, failures }));
})();
`;

export function watchHealth(url: string): { stop(): Promise<{ roundTrips: number[]; failures: string[] }> } {
  const child = spawn(process.execPath, ['-e', WATCHER, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      return JSON.parse(output) as { roundTrips: number[]; failures: string[] };
    },
  };
}
