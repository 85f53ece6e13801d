/**
 * Billing's resolvers, assembled from one file per area. Every resolver scopes to the caller's project
 * through kit/authorize.ts (or access.ts for the `Project` entity).
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { SubgraphContext } from '../kit/build-subgraph.ts';
import type { Clock } from './clock.ts';
import { billingInfoResolvers } from './billing-info-resolvers.ts';
import { invoiceResolvers } from './invoices/invoice-resolvers.ts';
import type { LinkSigner } from './links.ts';
import { cardResolvers } from './payments/card-resolvers.ts';
import type { PaymentProvider } from './payments/provider.ts';
import { referenceResolvers } from './reference/reference-resolvers.ts';
import type { BillingSettings } from './settings.ts';
import { taxIdResolvers } from './tax-ids/tax-id-resolvers.ts';
import type { BillingDatabase } from './store.ts';

export type BillingContext = SubgraphContext<BillingDatabase>;

/** What the resolvers need besides the request context; made once by index.ts. */
export interface BillingServices {
  settings: BillingSettings;
  clock: Clock;
  provider: PaymentProvider;
  links: LinkSigner;
}

export function createResolvers(services: BillingServices): GraphQLResolverMap<BillingContext> {
  const parts: Record<string, object>[] = [
    invoiceResolvers(services),
    referenceResolvers(),
    billingInfoResolvers(),
    taxIdResolvers(),
    cardResolvers(services),
  ];
  const merged: Record<string, object> = {};
  for (const part of parts) {
    for (const [typeName, fields] of Object.entries(part)) merged[typeName] = { ...merged[typeName], ...fields };
  }
  return merged as GraphQLResolverMap<BillingContext>;
}
