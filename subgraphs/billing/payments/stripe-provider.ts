/**
 * Stripe, when STRIPE_SECRET_KEY is set. Calls made (and all that the test's fake Stripe serves):
 * - POST /v1/customers: one customer per project, made at its first add-card link, found again by metadata;
 * - POST /v1/checkout/sessions (mode=setup) and GET /v1/checkout/sessions/:id (setup_intent.payment_method
 *   expanded): the hosted page where the card is entered, and the card it saved;
 * - POST /v1/payment_intents (confirm, off_session): paying an invoice with the saved card, with an
 *   idempotency key per payment attempt;
 * - POST /v1/payment_methods/:id/detach: removing a card.
 */
import type { Kysely } from 'kysely';
import Stripe from 'stripe';
import type { BillingDatabase } from '../store.ts';
import type { ChargeOutcome, PaymentProvider, SavedCard } from './provider.ts';

export interface StripeProviderOptions {
  secretKey: string;
  /** Where the SDK sends its calls; Stripe's own API when unset. */
  apiUrl?: URL;
  db: Kysely<BillingDatabase>;
}

export function createStripeProvider({ secretKey, apiUrl, db }: StripeProviderOptions): PaymentProvider {
  const stripe = new Stripe(secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    ...(apiUrl
      ? {
          host: apiUrl.hostname,
          port: Number(apiUrl.port || (apiUrl.protocol === 'https:' ? 443 : 80)),
          protocol: apiUrl.protocol.replace(':', '') as 'http' | 'https',
        }
      : {}),
  });

  const customerOf = async (projectId: string): Promise<string> => {
    const known = await db.selectFrom('stripe_customers').select('customer_id').where('project_id', '=', projectId).executeTakeFirst();
    if (known) return known.customer_id;
    const customer = await stripe.customers.create({ metadata: { project_id: projectId } }, { idempotencyKey: `customer-${projectId}` });
    await db
      .insertInto('stripe_customers')
      .values({ project_id: projectId, customer_id: customer.id })
      .onConflict((conflict) => conflict.column('project_id').doNothing())
      .execute();
    return (await db.selectFrom('stripe_customers').select('customer_id').where('project_id', '=', projectId).executeTakeFirstOrThrow())
      .customer_id;
  };

  return {
    name: 'stripe',
    async startCardSetup({ projectId, returnUrl, cancelUrl }) {
      const session = await stripe.checkout.sessions.create({
        mode: 'setup',
        currency: 'usd',
        customer: await customerOf(projectId),
        success_url: returnUrl,
        cancel_url: cancelUrl,
        metadata: { project_id: projectId },
      });
      if (!session.url) throw new Error('Stripe answered a Checkout Session without a URL');
      return { url: session.url, sessionId: session.id };
    },
    async completeCardSetup(sessionId): Promise<SavedCard | undefined> {
      const session = await stripe.checkout.sessions.retrieve(sessionId, { expand: ['setup_intent.payment_method'] });
      const intent = session.setup_intent;
      const method = intent && typeof intent !== 'string' ? intent.payment_method : null;
      if (session.status !== 'complete' || !method || typeof method === 'string' || !method.card) return undefined;
      return {
        token: method.id,
        brand: method.card.brand,
        last4: method.card.last4,
        exp_month: method.card.exp_month,
        exp_year: method.card.exp_year,
      };
    },
    async charge({ projectId, card, amountMinor, currency, description, idempotencyKey }): Promise<ChargeOutcome> {
      try {
        const intent = await stripe.paymentIntents.create(
          {
            amount: amountMinor,
            currency: currency.toLowerCase(),
            customer: await customerOf(projectId),
            payment_method: card.token,
            off_session: true,
            confirm: true,
            description,
          },
          { idempotencyKey },
        );
        if (intent.status === 'succeeded') return { ok: true, paymentId: intent.id };
        return { ok: false, message: intent.last_payment_error?.message ?? `The payment is ${intent.status}.` };
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError) return { ok: false, message: error.message };
        throw error;
      }
    },
    async removeCard(card) {
      await stripe.paymentMethods.detach(card.token);
    },
  };
}
