import { defineSubgraph } from '../kit/define-subgraph.ts';
import { resolvers } from './resolvers.ts';
import { migrations, type BillingDatabase } from './store.ts';

export const definition = defineSubgraph<BillingDatabase>({
  name: 'billing',
  schema: [new URL('./schema.graphql', import.meta.url)],
  modules: [{ resolvers: () => resolvers }],
  errors: 'cognitive-cloud',
  migrations,
});
