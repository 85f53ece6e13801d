import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SubgraphDefinition } from '../../subgraphs/kit/build-subgraph.ts';

/**
 * A subgraph named `secured` whose fields use the federation security directives: `open` and `tree` are
 * public, `signed_in` is @authenticated, `admins_only` requires the ADMIN scope, `Secret.code` too (reached
 * through the interface `Node` and the union `Thing`), and the type `AdminThing` as a whole.
 */
export const SECURED_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@authenticated", "@requiresScopes"])
type Query {
  open: String
  signed_in: String @authenticated
  admins_only: String @requiresScopes(scopes: [["ADMIN"]])
  node: Node
  things: [Thing!]!
  admin_thing: AdminThing
  tree: Tree
}
interface Node { id: ID! code: String }
type Secret implements Node { id: ID! code: String @requiresScopes(scopes: [["ADMIN"]]) }
type Plain implements Node { id: ID! code: String }
union Thing = Secret | Plain
type AdminThing @requiresScopes(scopes: [["ADMIN"]]) { id: ID! }
type Tree { name: String child: Tree }`;

const SECRET = { kind: 'Secret', id: 's1', code: 'the secret code' };
const PLAIN = { kind: 'Plain', id: 'p1', code: 'plain' };

/** `calls()` counts the requests that reached the subgraph's resolvers. */
export function securedSubgraph(schemaDir: string): { definition: SubgraphDefinition<unknown> & { schemaUrl: URL }; calls: () => number } {
  const schemaFile = join(schemaDir, `secured-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(schemaFile, SECURED_SDL);
  let calls = 0;
  const counted =
    <T>(value: T) =>
    () => {
      calls += 1;
      return value;
    };
  const tree = { name: 'node' } as { name: string; child?: unknown };
  tree.child = tree;
  const definition: SubgraphDefinition<unknown> & { schemaUrl: URL } = {
    name: 'secured',
    schemaUrl: pathToFileURL(schemaFile),
    errorStyle: 'cognitive-cloud',
    migrations: {},
    create: async () => ({
      resolvers: {
        Query: {
          open: counted('open'),
          signed_in: counted('signed in'),
          admins_only: counted('admins only'),
          node: counted(SECRET),
          things: counted([SECRET, PLAIN]),
          admin_thing: counted({ id: 'a1' }),
          tree: counted(tree),
        },
        Node: { __resolveType: (value: { kind: string }) => value.kind },
        Thing: { __resolveType: (value: { kind: string }) => value.kind },
      },
    }),
  };
  return { definition, calls: () => calls };
}
