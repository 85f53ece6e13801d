/**
 * The load generator, run in its own process so that it never shares an event loop with what it measures:
 * `node --import tsx bench/load.ts '<json LoadOptions>'`. Prints one JSON LoadResult on stdout.
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  /** Default POST, the GraphQL requests of `npm run bench`. */
  method?: 'GET' | 'POST';
  /** The POST's JSON body; none for a GET. */
  body?: string;
  headers: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadResult {
  rps: number;
  /** Requests answered in the measured run. */
  requests: number;
  /** Requests sent in the warm-up and the measured run, answered or not: what the subgraph calls counted over both are divided by. */
  sent: number;
  p50_ms: number;
  p99_ms: number;
  /** Answers other than 2xx, connection errors and timeouts (10 s): a run with any of these is not valid. */
  failures: { non2xx: number; errors: number; timeouts: number };
}

async function run(options: LoadOptions, durationSeconds: number): Promise<autocannon.Result> {
  const method = options.method ?? 'POST';
  return autocannon({
    url: options.url,
    method,
    headers: method === 'POST' ? { 'content-type': 'application/json', ...options.headers } : options.headers,
    body: options.body,
    connections: options.connections,
    duration: durationSeconds,
  });
}

// autocannon counts the requests it sent beside those answered, but its types do not say so.
const sentBy = (result: autocannon.Result) => (result.requests as { sent?: number }).sent ?? result.requests.total;

const options = JSON.parse(process.argv[2]!) as LoadOptions;
// The warm-up lets V8 optimize and every cache fill before anything is counted.
const warmup = await run(options, options.warmupSeconds);
const result = await run(options, options.durationSeconds);
const outcome: LoadResult = {
  rps: Math.round(result.requests.average),
  requests: result.requests.total,
  sent: sentBy(warmup) + sentBy(result),
  p50_ms: result.latency.p50,
  p99_ms: result.latency.p99,
  failures: { non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts },
};
process.stdout.write(JSON.stringify(outcome));
