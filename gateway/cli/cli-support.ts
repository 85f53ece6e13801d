/** What the offline schema tools share: reading supergraph.yaml and fetching SDLs as the gateway would. */
import { loadOrCreateIdentitySecret } from '../../core/identity.ts';
import { fetchSubgraphSdl } from '../supergraph/composition.ts';
import { createSubgraphFetcher, createSubgraphPool } from '../execution/fetcher.ts';
import { readSupergraphConfig, type SupergraphConfig } from '../../core/supergraph-config.ts';

export const configPath = process.env.SUPERGRAPH_CONFIG ?? 'supergraph.yaml';

export function readConfig(): SupergraphConfig {
  return readSupergraphConfig(configPath, process.env);
}

/** Only `subgraph_url` sources need this; it signs the SDL request with the shared identity secret. */
export function sdlFetcher(): (url: string, name: string) => Promise<string> {
  const secret = process.env.IDENTITY_SECRET ?? loadOrCreateIdentitySecret(process.env.DATA_DIR ?? './data');
  const fetcher = createSubgraphFetcher({ timeoutMs: 10_000, pool: createSubgraphPool() });
  return (url, name) => fetchSubgraphSdl(url, name, fetcher, secret);
}

export function fail(lines: string[]): never {
  for (const line of lines) console.error(line);
  process.exit(1);
}
