/**
 * The actions resolvers, assembled from one file per area. Every job read or write is scoped to the
 * caller's project through kit/authorize.ts; ratings to the calling user.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { actionResolvers } from './action-resolvers.ts';
import { jobResolvers } from './job-resolvers.ts';
import { ratingResolvers } from './rating-resolvers.ts';
import type { ActionsContext, ActionsServices } from './services.ts';

export function createResolvers(services: ActionsServices): GraphQLResolverMap<ActionsContext> {
  const parts = [actionResolvers(services), jobResolvers(services), ratingResolvers(services)];
  const merged: GraphQLResolverMap<ActionsContext> = {};
  for (const part of parts) {
    for (const [typeName, fields] of Object.entries(part)) {
      merged[typeName] = { ...(merged[typeName] as object), ...(fields as object) } as GraphQLResolverMap<ActionsContext>[string];
    }
  }
  return merged;
}
