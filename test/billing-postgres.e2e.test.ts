/**
 * Billing's same code on PostgreSQL (DATABASE_URL): the reference data migrated in, charges recorded once,
 * a month closed, its invoice's sums (bigint sums come back from Postgres as strings), billing info, a tax
 * identifier, a card saved through the hosted page and the invoice paid with it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_KEY } from './helpers/accounts-platform.ts';
import { ADD_CARD_LINK, submitCard } from './helpers/billing-client.ts';
import { startBillingPlatform, type BillingPlatform } from './helpers/billing-platform.ts';
import { startPostgres, type PostgresServer } from './helpers/postgres.ts';

let postgres: PostgresServer;
let platform: BillingPlatform;
beforeAll(async () => {
  postgres = await startPostgres();
  platform = await startBillingPlatform({ now: '2026-02-10T12:00:00Z', subgraphEnv: { DATABASE_URL: await postgres.createDatabase() } });
}, 120_000);
afterAll(async () => {
  await platform?.stop();
  await postgres?.stop();
});

describe('billing on Postgres', () => {
  it('builds, closes and pays an invoice, with billing info and a tax identifier', { timeout: 120_000 }, async () => {
    const p = platform.projectId;
    expect((await platform.ok(ADMIN_KEY, '{ list_states(country_id: "DE") { id } }')).list_states).toContainEqual({ id: 'DE-BY' });

    const job = { id: 'job-pg', project_id: p, unit_price_minor: 1999, quantity: 3 };
    expect((await platform.charge(job)).body).toEqual({ created: true });
    expect((await platform.charge(job)).body).toEqual({ created: false });
    await platform.charge({ project_id: p, action_id: 'a-2', action_name: 'Second', unit_price_minor: 1, quantity: 7 });
    expect(
      (await platform.ok(ADMIN_KEY, 'query ($p: String!) { get_project(id: $p) { current_spend } }', { p })).get_project.current_spend,
    ).toBe(60.04);

    await platform.ok(
      ADMIN_KEY,
      'mutation ($p: String!) { set_project_billing_info(project_id: $p, name: "PG GmbH", email: "pg@example.com", address_line_1: "Hauptstr. 1", address_country: "DE", address_state: "BY") { id } }',
      { p },
    );
    await platform.ok(
      ADMIN_KEY,
      'mutation ($p: String!) { add_project_tax_identifier(project_id: $p, type: "eu_vat", value: "DE136695976") }',
      { p },
    );

    const link = platform.local((await platform.ok(ADMIN_KEY, ADD_CARD_LINK, { p })).get_add_payment_card_link);
    const saved = await submitCard(link, { number: '4242424242424242', expiry: '01/29', cvc: '321', name: 'P G' });
    expect(saved.status).toBe(303);

    platform.clock.set('2026-03-01T00:00:01Z');
    const LIST =
      'query ($p: String!) { list_project_invoices(project_id: $p) { id month_id status total_amount items { name quantity amount } } }';
    await vi.waitFor(async () => expect((await platform.ok(ADMIN_KEY, LIST, { p })).list_project_invoices[1]?.status).toBe('DUE'));
    const february = (await platform.ok(ADMIN_KEY, LIST, { p })).list_project_invoices[1];
    expect(february).toMatchObject({
      month_id: '2026-02',
      total_amount: 60.04,
      items: [
        { name: 'Second', quantity: 7, amount: 0.07 },
        { name: 'Upscale image', quantity: 3, amount: 59.97 },
      ],
    });
    const paid = await platform.ok(
      ADMIN_KEY,
      'mutation ($id: String!) { pay_invoice(invoice_id: $id) { status payment_card { last4 is_default } } }',
      { id: february.id },
    );
    expect(paid.pay_invoice).toEqual({ status: 'PAID', payment_card: { last4: '4242', is_default: true } });
  });
});
