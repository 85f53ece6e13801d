/**
 * Composition of subgraph SDLs into a supergraph with @apollo/composition, used at start, on every
 * reload, and by `npm run compose` / `npm run check`.
 */
import { readFile } from 'node:fs/promises';
import { composeServices } from '@apollo/composition';
import { parse, type GraphQLSchema } from 'graphql';
import { signedRequestHeaders, SYSTEM } from '../../core/identity.ts';
import type { SupergraphConfig } from '../../core/supergraph-config.ts';
import type { SubgraphFetcher } from '../execution/fetcher.ts';

export interface SubgraphSdl {
  name: string;
  url: string;
  sdl: string;
}

export type CompositionOutcome =
  { ok: true; supergraphSdl: string; apiSchema: GraphQLSchema; hints: string[] } | { ok: false; errors: string[] };

/** Thrown where a supergraph cannot be had; `errors` lists every reason. */
export class CompositionError extends Error {
  constructor(readonly errors: string[]) {
    super(`composition failed:\n${errors.map((error) => `  - ${error}`).join('\n')}`);
  }
}

export function composeSupergraph(subgraphs: SubgraphSdl[]): CompositionOutcome {
  const services = [];
  const parseErrors: string[] = [];
  for (const { name, url, sdl } of subgraphs) {
    try {
      services.push({ name, url, typeDefs: parse(sdl) });
    } catch (error) {
      parseErrors.push(`[${name}] ${(error as Error).message}`);
    }
  }
  if (parseErrors.length > 0) return { ok: false, errors: parseErrors };

  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map((error) => error.message) };
  return {
    ok: true,
    supergraphSdl: result.supergraphSdl,
    apiSchema: result.schema.toAPISchema().toGraphQLJSSchema(),
    hints: result.hints.map((hint) => hint.toString()),
  };
}

/** Reads each subgraph's SDL from its file, or asks the running subgraph for it (`_service { sdl }`). */
export async function loadSubgraphSdls(
  config: SupergraphConfig,
  fetchSdl: (subgraphUrl: string, name: string) => Promise<string>,
): Promise<SubgraphSdl[]> {
  const errors: string[] = [];
  const loaded = await Promise.all(
    config.subgraphs.map(async ({ name, routingUrl, schema }) => {
      try {
        const sdl = 'file' in schema ? await readFile(schema.file, 'utf8') : await fetchSdl(schema.subgraphUrl, name);
        return { name, url: routingUrl, sdl };
      } catch (error) {
        errors.push(`[${name}] cannot load its schema: ${(error as Error).message}`);
        return undefined;
      }
    }),
  );
  if (errors.length > 0) throw new CompositionError(errors);
  return loaded.filter((subgraph) => subgraph !== undefined);
}

export async function composeFromConfig(
  config: SupergraphConfig,
  fetchSdl: (subgraphUrl: string, name: string) => Promise<string>,
): Promise<Extract<CompositionOutcome, { ok: true }>> {
  const outcome = composeSupergraph(await loadSubgraphSdls(config, fetchSdl));
  if (!outcome.ok) throw new CompositionError(outcome.errors);
  return outcome;
}

/** Asks the running subgraph `name` for its SDL, as the gateway itself (a `system` identity). */
export async function fetchSubgraphSdl(url: string, name: string, fetcher: SubgraphFetcher, identitySecret: string): Promise<string> {
  const body = JSON.stringify({ query: '{ _service { sdl } }' });
  const { pathname, search } = new URL(url);
  const response = await fetcher(url, () => ({
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signedRequestHeaders({ principal: SYSTEM, audience: name, path: `${pathname}${search}`, body, secret: identitySecret }),
    },
    body,
  }));
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  const answer = (await response.json()) as { data?: { _service?: { sdl?: string } }; errors?: { message: string }[] };
  const sdl = answer.data?._service?.sdl;
  if (!sdl) throw new Error(`${url} gave no SDL: ${answer.errors?.map((error) => error.message).join('; ') ?? 'empty answer'}`);
  return sdl;
}
