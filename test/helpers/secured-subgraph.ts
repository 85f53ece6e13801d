import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SubgraphDefinition } from '../../subgraphs/kit/build-subgraph.ts';

/**
 * A subgraph named `secured` whose fields use the federation security directives: `open` is public,
 * `signed_in` is @authenticated, `admins_only` requires the ADMIN scope.
 */
export const SECURED_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@authenticated", "@requiresScopes"])
type Query {
  open: String
  signed_in: String @authenticated
  admins_only: String @requiresScopes(scopes: [["ADMIN"]])
}`;

export function securedSubgraph(schemaDir: string): SubgraphDefinition<unknown> {
  const schemaFile = join(schemaDir, `secured-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(schemaFile, SECURED_SDL);
  return {
    name: 'secured',
    schemaUrl: pathToFileURL(schemaFile),
    errorStyle: 'cognitive-cloud',
    migrations: {},
    create: async () => ({
      resolvers: { Query: { open: () => 'open', signed_in: () => 'signed in', admins_only: () => 'admins only' } },
    }),
  };
}
