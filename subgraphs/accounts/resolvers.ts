/**
 * The accounts resolvers, assembled from one file per area. Every resolver scopes to the caller's project
 * through kit/authorize.ts, or to the caller themself.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { SubgraphContext } from '../kit/build-subgraph.ts';
import type { LastUsedTracker } from './api-keys.ts';
import { keyResolvers } from './key-resolvers.ts';
import type { Mailer } from './mailer.ts';
import type { ProfilePictures } from './profile-pictures.ts';
import { projectResolvers } from './project-resolvers.ts';
import type { Hmac, TokenSigner } from './secrets.ts';
import type { AccountsSettings } from './settings.ts';
import type { AccountsDatabase } from './store.ts';
import { userResolvers } from './user-resolvers.ts';

export type AccountsContext = SubgraphContext<AccountsDatabase>;

/** What the resolvers need besides the request context; made once by index.ts. */
export interface AccountsServices {
  settings: AccountsSettings;
  signer: TokenSigner;
  hmac: Hmac;
  mailer: Mailer;
  lastUsed: LastUsedTracker;
  pictures: ProfilePictures;
}

export function createResolvers(services: AccountsServices): GraphQLResolverMap<AccountsContext> {
  const parts = [projectResolvers(services), keyResolvers(services), userResolvers(services)];
  const merged: GraphQLResolverMap<AccountsContext> = {};
  for (const part of parts) {
    for (const [typeName, fields] of Object.entries(part)) {
      merged[typeName] = { ...(merged[typeName] as object), ...(fields as object) } as GraphQLResolverMap<AccountsContext>[string];
    }
  }
  return merged;
}
