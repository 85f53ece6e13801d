/**
 * Whether the gateway can serve what its supergraph promises: every subgraph is asked a signed
 * `{ __typename }` every SUBGRAPH_HEALTH_INTERVAL_MS, and one that has not answered for READY_GRACE_MS makes
 * `/ready` fail, naming it, so that a load balancer sends traffic to a replica that can serve. Liveness
 * (`/health`) never depends on it: restarting the gateway would not bring a subgraph back.
 */
import type { Logger } from 'pino';
import { signedRequestHeaders, SYSTEM } from '../../core/identity.ts';
import type { SubgraphFetcher } from '../execution/fetcher.ts';
import type { SupergraphDocument } from './supergraph-document.ts';

export interface SubgraphHealthOptions {
  /** SUBGRAPH_HEALTH_INTERVAL_MS, default 5000: how often each subgraph is asked. */
  intervalMs: number;
  /** READY_GRACE_MS, default 30000: how long a subgraph may fail to answer before /ready fails; 0 never. */
  graceMs: number;
  identitySecret: string;
  fetcher: SubgraphFetcher;
  logger: Logger;
  now?: () => number;
}

export interface SubgraphHealth {
  /** Follows the supergraph's subgraphs; a subgraph kept across a reload keeps its state. */
  useSupergraph(supergraph: SupergraphDocument): void;
  /** The subgraphs that have not answered for longer than the grace period, with since when. */
  unreachable(): { subgraph: string; since: string }[];
  stop(): void;
}

const PROBE = JSON.stringify({ query: '{ __typename }' });

export function createSubgraphHealth({
  intervalMs,
  graceMs,
  identitySecret,
  fetcher,
  logger,
  now = Date.now,
}: SubgraphHealthOptions): SubgraphHealth {
  let subgraphs = new Map<string, { url: string; failingSince?: number }>();

  async function probe(name: string, state: { url: string; failingSince?: number }): Promise<void> {
    const { pathname, search } = new URL(state.url);
    let failure: string | undefined;
    try {
      const response = await fetcher(state.url, () => ({
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signedRequestHeaders({ principal: SYSTEM, audience: name, path: `${pathname}${search}`, body: PROBE, secret: identitySecret }),
        },
        body: PROBE,
      }));
      await response.text();
      if (!response.ok) failure = `HTTP ${response.status}`;
    } catch (error) {
      failure = (error as Error).message;
    }
    if (failure === undefined) {
      if (state.failingSince !== undefined) logger.info({ subgraph: name }, 'subgraph answers again');
      state.failingSince = undefined;
    } else if (state.failingSince === undefined) {
      state.failingSince = now();
      logger.warn({ subgraph: name, failure }, 'subgraph does not answer');
    }
  }

  const timer = setInterval(() => {
    for (const [name, state] of subgraphs) void probe(name, state);
  }, intervalMs);
  timer.unref();

  return {
    useSupergraph(supergraph) {
      const next = new Map<string, { url: string; failingSince?: number }>();
      for (const [name, url] of supergraph.routingUrls) {
        const kept = subgraphs.get(name);
        next.set(name, kept?.url === url ? kept : { url });
      }
      subgraphs = next;
      for (const [name, state] of subgraphs) void probe(name, state);
    },
    unreachable() {
      if (graceMs === 0) return [];
      const at = now();
      return [...subgraphs]
        .filter(([, state]) => state.failingSince !== undefined && at - state.failingSince >= graceMs)
        .map(([subgraph, state]) => ({ subgraph, since: new Date(state.failingSince!).toISOString() }));
    },
    stop: () => clearInterval(timer),
  };
}
