import type { SubgraphContext } from '../kit/build-subgraph.ts';
import { authorize } from '../kit/authorize.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import type { BillingDatabase } from './store.ts';

export type BillingContext = SubgraphContext<BillingDatabase>;

function startOfMonth(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
}

export const resolvers: Resolvers = {
  Project: {
    // The month-to-date spend is what the next invoice will show, so it follows "View invoices".
    __resolveReference({ id }, { principal }) {
      authorize(principal, id, 'VIEW_INVOICES', 'id');
      return { id };
    },
    async current_spend({ id }, _args, { db }) {
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
