import type { SubgraphDefinition } from '../kit/build-subgraph.ts';
import { resolvers } from './resolvers.ts';
import { migrations, type AccountsDatabase } from './store.ts';

export const definition: SubgraphDefinition<AccountsDatabase> = {
  name: 'accounts',
  schemaUrl: new URL('./schema.graphql', import.meta.url),
  errorStyle: 'cognitive-cloud',
  migrations,
  create: async () => ({ resolvers }),
};
