import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SubgraphDefinition } from '../../subgraphs/kit/build-subgraph.ts';

/** A subgraph named `slow` whose field `slow(ms)` answers after `ms`; `requestStarted` resolves when it is called. */
export function slowSubgraph(schemaDir: string): { definition: SubgraphDefinition<unknown>; requestStarted: Promise<void> } {
  const schemaFile = join(schemaDir, `slow-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(schemaFile, 'type Query { slow(ms: Int!): String }');
  let started!: () => void;
  const requestStarted = new Promise<void>((resolve) => (started = resolve));
  const definition: SubgraphDefinition<unknown> = {
    name: 'slow',
    schemaUrl: pathToFileURL(schemaFile),
    errorStyle: 'cognitive-cloud',
    migrations: {},
    create: async () => ({
      resolvers: {
        Query: {
          async slow(_root: unknown, { ms }: { ms: number }) {
            started();
            await new Promise((resolve) => setTimeout(resolve, ms));
            return `done after ${ms} ms`;
          },
        },
      },
    }),
  };
  return { definition, requestStarted };
}
