import type { SubgraphDefinition } from '../kit/build-subgraph.ts';
import { systemClock, type Clock } from './clock.ts';
import { registerInternalRoutes } from './internal-routes.ts';
import { startMonthCloser } from './invoices/month-closer.ts';
import { registerInvoicePdfRoute } from './invoices/invoice-pdf.ts';
import { createLinkSigner, loadBillingSecret } from './links.ts';
import { registerCardPage } from './payments/card-page.ts';
import { createLocalProvider } from './payments/local-provider.ts';
import { createResolvers } from './resolvers.ts';
import { parseBillingSettings } from './settings.ts';
import { migrations, type BillingDatabase } from './store.ts';

export interface BillingDependencies {
  /** Where months close and invoices fall due by. Default: the system clock. */
  clock?: Clock;
}

/** Billing as a subgraph definition; tests give it a clock they move. */
export function createBillingDefinition({ clock = systemClock }: BillingDependencies = {}): SubgraphDefinition<BillingDatabase> {
  return {
    name: 'billing',
    schemaUrl: new URL('./schema.graphql', import.meta.url),
    errorStyle: 'cognitive-cloud',
    migrations,
    async create({ store, options, log, identity }) {
      const settings = parseBillingSettings(options.env);
      const links = createLinkSigner({
        secret: loadBillingSecret(settings.secret, options.dataDir),
        publicUrl: settings.publicUrl,
        ttlSeconds: settings.downloadLinkTtlSeconds,
      });
      // The Stripe SDK is loaded only where it serves.
      const provider = settings.stripeSecretKey
        ? (await import('./payments/stripe-provider.ts')).createStripeProvider({
            secretKey: settings.stripeSecretKey,
            apiUrl: settings.stripeApiUrl,
            db: store.db,
          })
        : createLocalProvider();
      const closer = startMonthCloser({
        db: store.db,
        clock,
        dueDays: settings.invoiceDueDays,
        intervalMs: settings.monthCloseIntervalMs,
        log,
      });
      return {
        resolvers: createResolvers({ settings, clock, provider, links }),
        async routes(app) {
          registerInternalRoutes(app, { db: store.db, identity, clock });
          registerInvoicePdfRoute(app, { db: store.db, links, clock });
          await registerCardPage(app, { db: store.db, clock, provider });
        },
        close: () => closer.stop(),
      };
    },
  };
}

export const definition = createBillingDefinition();
