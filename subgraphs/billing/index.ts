import type { SubgraphDefinition } from '../kit/build-subgraph.ts';
import { resolvers } from './resolvers.ts';
import { migrations, type BillingDatabase } from './store.ts';

export const definition: SubgraphDefinition<BillingDatabase> = {
  name: 'billing',
  schemaUrl: new URL('./schema.graphql', import.meta.url),
  errorStyle: 'cognitive-cloud',
  migrations,
  create: async () => ({ resolvers }),
};
