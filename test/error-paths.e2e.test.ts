/**
 * No error shown to a client names a subgraph's `_entities`: an entity fetch that fails as a whole (a
 * reference resolver throwing before any entity is answered) is reported at the client's field, and one
 * failing for one entity at that entity's own path, as the gateway hydrates it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClientPath } from '../gateway/execution/error-paths.ts';
import type { SubgraphDefinition } from '../subgraphs/kit/build-subgraph.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])';

function subgraph(dir: string, name: string, sdl: string, resolvers: Record<string, object>): SubgraphDefinition<unknown> {
  const file = join(dir, `${name}.graphql`);
  writeFileSync(file, `${LINK}\n${sdl}`);
  return {
    name,
    schemaUrl: pathToFileURL(file),
    errorStyle: 'cognitive-cloud',
    migrations: {},
    create: async () => ({ resolvers: resolvers as never }),
  };
}

let dir: string;
let platform: Platform;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'error-paths-'));
  const shelf = subgraph(
    dir,
    'shelf',
    'type Book @key(fields: "id") { id: ID! title: String }\ntype Query { books: [Book!]! book: Book }',
    {
      Query: {
        books: () => [
          { id: '1', title: 'A' },
          { id: 'bad', title: 'B' },
        ],
        book: () => ({ id: 'all-fail', title: 'C' }),
      },
    },
  );
  const prices = subgraph(dir, 'prices', 'type Book @key(fields: "id") { id: ID! price: Float }', {
    Book: {
      __resolveReference(book: { id: string }) {
        // Thrown synchronously, this fails the whole `_entities` list: the subgraph's path is `_entities` alone.
        if (book.id === 'all-fail') throw new GraphQLError('no prices today', { extensions: { code: 'NOT_FOUND' } });
        return book;
      },
      price: async (book: { id: string }) => {
        if (book.id === 'bad') throw new GraphQLError('no price for this one', { extensions: { code: 'NOT_FOUND' } });
        return 9.5;
      },
    },
  });
  platform = await startPlatform({ subgraphs: [shelf, prices] });
});
afterAll(async () => {
  await platform?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('error paths', () => {
  it('reports an entity fetch that failed whole at the client field it was made for', async () => {
    const { body } = await platform.query('{ book { title price } }');
    expect(body.errors).toEqual([expect.objectContaining({ message: 'no prices today', path: ['book'] })]);
    expect(JSON.stringify(body)).not.toContain('_entities');
  });

  it("reports one entity's error at that entity's path", async () => {
    const { body } = await platform.query('{ books { title price } }');
    expect(body.data.books).toEqual([
      { title: 'A', price: 9.5 },
      { title: 'B', price: null },
    ]);
    expect(body.errors).toEqual([expect.objectContaining({ message: 'no price for this one', path: ['books', 1, 'price'] })]);
  });

  it('cuts any path at `_entities` or a list marker, and leaves other paths alone', () => {
    expect(withClientPath({ message: 'm', path: ['create_project', '_entities'] })).toEqual({ message: 'm', path: ['create_project'] });
    expect(withClientPath({ message: 'm', path: ['get_me', 'projects', '@', '_entities', 0] })).toEqual({
      message: 'm',
      path: ['get_me', 'projects'],
    });
    expect(withClientPath({ message: 'm', path: ['_entities', 0, 'price'] })).toEqual({ message: 'm' });
    expect(withClientPath({ message: 'm', path: ['books', 1, 'price'] })).toEqual({ message: 'm', path: ['books', 1, 'price'] });
  });
});
