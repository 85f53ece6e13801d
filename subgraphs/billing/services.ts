/**
 * What billing's resolver modules (invoices, reference data, billing info, tax ids, cards; listed in
 * index.ts) share: their context and the services index.ts makes once. Every resolver scopes to the
 * caller's project through kit/authorize.ts (or access.ts for the `Project` entity).
 */
import type { SubgraphContext } from '../kit/build-subgraph.ts';
import type { Clock } from './clock.ts';
import type { LinkSigner } from './links.ts';
import type { PaymentProvider } from './payments/provider.ts';
import type { BillingSettings } from './settings.ts';
import type { BillingDatabase } from './store.ts';

export type BillingContext = SubgraphContext<BillingDatabase>;

/** What the resolvers need besides the request context; made once by index.ts. */
export interface BillingServices {
  settings: BillingSettings;
  clock: Clock;
  provider: PaymentProvider;
  links: LinkSigner;
}
