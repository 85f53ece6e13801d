import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { SubgraphContext } from '../kit/build-subgraph.ts';
import { authorize } from '../kit/authorize.ts';
import type { BillingDatabase } from './store.ts';

type Context = SubgraphContext<BillingDatabase>;

function startOfMonth(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
}

export const resolvers: GraphQLResolverMap<Context> = {
  Project: {
    // The month-to-date spend is what the next invoice will show, so it follows "View invoices".
    __resolveReference({ id }: { id: string }, { principal }: Context) {
      authorize(principal, id, 'VIEW_INVOICES', 'id');
      return { id };
    },
    async current_spend({ id }: { id: string }, _args: unknown, { db }: Context) {
      const { total } = await db
        .selectFrom('charges')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('total'))
        .where('project_id', '=', id)
        .where('created_at', '>=', startOfMonth(new Date()))
        .executeTakeFirstOrThrow();
      return Number(total);
    },
  },
};
