/** The media subgraph's resolvers, one module per part of the API. */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { SubgraphContext } from '../kit/build-subgraph.ts';
import type { OutboundGuard } from '../kit/outbound/index.ts';
import { assetResolvers } from './asset-resolvers.ts';
import { domainResolvers } from './domain-resolvers.ts';
import { libraryResolvers } from './library-resolvers.ts';
import type { MediaDatabase } from './store.ts';
import type { UploadDeps } from './uploads.ts';

export function createResolvers(deps: UploadDeps & { guard: OutboundGuard }) {
  const parts = [libraryResolvers(deps), assetResolvers(deps), domainResolvers(deps)];
  const merged: Record<string, Record<string, unknown>> = {};
  for (const part of parts) for (const [type, fields] of Object.entries(part)) merged[type] = { ...merged[type], ...fields };
  return merged as GraphQLResolverMap<SubgraphContext<MediaDatabase>>;
}
