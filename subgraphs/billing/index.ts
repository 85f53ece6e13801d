import { defineSubgraph } from '../kit/define-subgraph.ts';
import { billingInfoResolvers } from './billing-info-resolvers.ts';
import { systemClock, type Clock } from './clock.ts';
import { registerInternalRoutes } from './internal-routes.ts';
import { registerInvoicePdfRoute } from './invoices/invoice-pdf.ts';
import { invoiceResolvers } from './invoices/invoice-resolvers.ts';
import { startMonthCloser } from './invoices/month-closer.ts';
import { createLinkSigner, loadBillingSecret } from './links.ts';
import { registerCardPage } from './payments/card-page.ts';
import { cardResolvers } from './payments/card-resolvers.ts';
import { createLocalProvider } from './payments/local-provider.ts';
import { referenceResolvers } from './reference/reference-resolvers.ts';
import type { BillingServices } from './services.ts';
import { parseBillingSettings, type BillingSettings } from './settings.ts';
import { migrations, type BillingDatabase } from './store.ts';
import { taxIdResolvers } from './tax-ids/tax-id-resolvers.ts';

export interface BillingDependencies {
  /** Where months close and invoices fall due by. Default: the system clock. */
  clock?: Clock;
}

/** Billing as a subgraph definition; tests give it a clock they move. */
export function createBillingDefinition({ clock = systemClock }: BillingDependencies = {}) {
  return defineSubgraph<BillingDatabase, BillingSettings, BillingServices>({
    name: 'billing',
    schema: [new URL('./schema.graphql', import.meta.url)],
    modules: [
      { resolvers: invoiceResolvers },
      { resolvers: referenceResolvers },
      { resolvers: billingInfoResolvers },
      { resolvers: taxIdResolvers },
      { resolvers: cardResolvers },
    ],
    settings: parseBillingSettings,
    errors: 'cognitive-cloud',
    migrations,
    async create({ store, options, log, identity, settings, onClose }) {
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
      onClose('month closer', () => closer.stop());
      return {
        services: { settings, clock, provider, links },
        async routes(app) {
          registerInternalRoutes(app, { db: store.db, identity, clock });
          registerInvoicePdfRoute(app, { db: store.db, links, clock });
          await registerCardPage(app, { db: store.db, clock, provider });
        },
      };
    },
  });
}

export const definition = createBillingDefinition();
