import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SubgraphDefinition } from '../../subgraphs/kit/build-subgraph.ts';

/** Declares its costs as Federation 2.9 imports them: a book costs 1, its `pages` 2, a list of books `first` books. */
const SCHEMA = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@cost", "@listSize"])
type Book { title: String! pages: Int @cost(weight: 2) }
type Query {
  "At most MAX_BOOKS books, however many are asked for."
  books(first: Int): [Book!]! @listSize(slicingArguments: ["first"])
}`;

/** What `books` answers at most: fewer than asked, so that the actual cost differs from the estimate. */
export const MAX_BOOKS = 2;

export interface LibrarySubgraph {
  definition: SubgraphDefinition<unknown>;
  /** How many times `books` was called: what reached the subgraph. */
  calls: { count: number };
}

/** A subgraph `library` whose fields carry no access directive, with costs declared. */
export function librarySubgraph(schemaDir: string): LibrarySubgraph {
  const schemaFile = join(schemaDir, `library-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(schemaFile, SCHEMA);
  const calls = { count: 0 };
  const definition: SubgraphDefinition<unknown> = {
    name: 'library',
    schemaUrl: pathToFileURL(schemaFile),
    errorStyle: 'cognitive-cloud',
    migrations: {},
    create: async () => ({
      resolvers: {
        Query: {
          books: (_root: unknown, { first = 1 }: { first?: number }) => {
            calls.count++;
            return Array.from({ length: Math.min(first, MAX_BOOKS) }, (_, index) => ({ title: `Book ${index + 1}`, pages: 100 + index }));
          },
        },
      },
    }),
  };
  return { definition, calls };
}
