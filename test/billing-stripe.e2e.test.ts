/**
 * Billing with STRIPE_SECRET_KEY set: the Stripe SDK talks to a local fake of the endpoints billing uses
 * (through the SDK's host and port settings). The add-card link is a Checkout Session in setup mode; the
 * saved card comes back from the finished session; an invoice is paid with a PaymentIntent once; a
 * declined charge leaves it DUE with Stripe's message; removing a card detaches it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_KEY } from './helpers/accounts-platform.ts';
import { startBillingPlatform, type BillingPlatform } from './helpers/billing-platform.ts';
import { startFakeStripe, type FakeStripe } from './helpers/fake-stripe.ts';

const LINK =
  'query ($p: String!) { get_add_payment_card_link(project_id: $p, success_url: "https://app.example/done", cancel_url: "https://app.example/cancel") }';
const CARDS = 'query ($p: String!) { list_project_payment_cards(project_id: $p) { id brand last4 exp_month exp_year is_default } }';
const INVOICES = 'query ($p: String!) { list_project_invoices(project_id: $p) { id status total_amount } }';
const PAY = 'mutation ($id: String!) { pay_invoice(invoice_id: $id) { status payment_card { last4 } } }';

let stripe: FakeStripe;
let platform: BillingPlatform;
beforeAll(async () => {
  stripe = await startFakeStripe();
  platform = await startBillingPlatform({
    now: '2026-08-10T10:00:00Z',
    subgraphEnv: { STRIPE_SECRET_KEY: 'sk_test_fake123', STRIPE_API_URL: stripe.url },
  });
});
afterAll(async () => {
  await platform?.stop();
  await stripe?.stop();
});

/** Follows a Checkout Session URL as a person saving `card` there would, back through billing to success_url. */
async function saveCardOnStripe(projectId: string, card: string): Promise<string | null> {
  const checkout = (await platform.ok(ADMIN_KEY, LINK, { p: projectId })).get_add_payment_card_link;
  expect(checkout.startsWith(`${stripe.url}/pay/cs_test_`)).toBe(true);
  const backToBilling = await fetch(`${checkout}?card=${card}`, { redirect: 'manual' });
  const done = await fetch(platform.local(backToBilling.headers.get('location')!), { redirect: 'manual' });
  return done.headers.get('location');
}

describe('the Stripe provider', () => {
  it("adds a card through a Checkout Session in setup mode for the project's customer", async () => {
    expect(await saveCardOnStripe(platform.projectId, 'pm_card_visa')).toBe('https://app.example/done');
    expect((await platform.ok(ADMIN_KEY, CARDS, { p: platform.projectId })).list_project_payment_cards).toEqual([
      { id: expect.any(String), brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2031, is_default: true },
    ]);
    const session = stripe.calls.find((call) => call.path === '/v1/checkout/sessions')!;
    expect(session.body).toMatchObject({ mode: 'setup', currency: 'usd', customer: 'cus_fake1', cancel_url: 'https://app.example/cancel' });
    expect(session.authorization).toBe('Bearer sk_test_fake123');
    expect(stripe.calls.filter((call) => call.path === '/v1/customers')).toHaveLength(1);
  });

  it('pays a closed invoice once with a PaymentIntent of its exact amount', async () => {
    await platform.charge({ project_id: platform.projectId, unit_price_minor: 333, quantity: 3 });
    platform.clock.set('2026-09-01T00:00:01Z');
    await vi.waitFor(async () =>
      expect((await platform.ok(ADMIN_KEY, INVOICES, { p: platform.projectId })).list_project_invoices[1]?.status).toBe('DUE'),
    );
    const august = (await platform.ok(ADMIN_KEY, INVOICES, { p: platform.projectId })).list_project_invoices[1];
    expect((await platform.ok(ADMIN_KEY, PAY, { id: august.id })).pay_invoice).toEqual({ status: 'PAID', payment_card: { last4: '4242' } });
    expect((await platform.as(ADMIN_KEY, PAY, { id: august.id })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const intents = stripe.calls.filter((call) => call.path === '/v1/payment_intents');
    expect(intents).toHaveLength(1);
    expect(intents[0]!.body).toMatchObject({
      amount: '999',
      currency: 'usd',
      customer: 'cus_fake1',
      payment_method: 'pm_card_visa',
      confirm: 'true',
      off_session: 'true',
    });
    expect(intents[0]!.idempotencyKey).toMatch(new RegExp(`^invoice-${august.id}-pending:`));
  });

  it("leaves an invoice DUE with Stripe's message when the charge is declined, and detaches a removed card", async () => {
    const owner = await platform.member('READONLY');
    const projectId = (await platform.ok(owner, 'mutation { create_project(name: "Stripe declines") { id } }')).create_project.id;
    const checkout = (await platform.ok(owner, LINK, { p: projectId })).get_add_payment_card_link;
    const back = await fetch(`${checkout}?card=pm_card_chargeDeclined`, { redirect: 'manual' });
    expect((await fetch(platform.local(back.headers.get('location')!), { redirect: 'manual' })).status).toBe(303);
    await platform.charge({ project_id: projectId, unit_price_minor: 100, quantity: 1 });
    platform.clock.set('2026-10-01T00:00:01Z');
    await vi.waitFor(async () =>
      expect((await platform.ok(owner, INVOICES, { p: projectId })).list_project_invoices[1]?.status).toBe('DUE'),
    );
    const september = (await platform.ok(owner, INVOICES, { p: projectId })).list_project_invoices[1];
    const declined = await platform.as(owner, PAY, { id: september.id });
    expect(declined.body.errors?.[0]).toMatchObject({
      message: 'The payment was declined: Your card was declined.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect((await platform.ok(owner, INVOICES, { p: projectId })).list_project_invoices[1].status).toBe('DUE');

    const [card] = (await platform.ok(owner, CARDS, { p: projectId })).list_project_payment_cards;
    await platform.ok(owner, 'mutation ($p: String!, $id: String!) { remove_project_payment_card(project_id: $p, id: $id) }', {
      p: projectId,
      id: card.id,
    });
    expect(stripe.calls.at(-1)).toMatchObject({ method: 'POST', path: '/v1/payment_methods/pm_card_chargeDeclined/detach' });
  });
});
