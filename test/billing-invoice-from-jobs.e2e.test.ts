/**
 * An invoice built from real jobs, end to end through the gateway: jobs run with run_job, the actions
 * worker completes them and posts their charges to billing itself; the project's CURRENT invoice has one
 * item per action at the action's price; the month closes by billing's scheduled task on a clock the test
 * moves (DUE, with its due date); a card saved through the local provider's page pays it (PAID); its PDF,
 * downloaded from download_link, says what was charged; a second payment is refused.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_KEY, startActionsPlatform, type ActionsPlatform } from './helpers/actions-platform.ts';
import { ADD_CARD_LINK, atBilling, pdfText, submitCard } from './helpers/billing-client.ts';
import { createTestClock } from './helpers/billing-platform.ts';

const INVOICE_FIELDS =
  'id month_id status total_amount due_date is_paid payment_date period_end download_link items { name unit_name unit_price quantity amount }';
const INVOICES = `query ($p: String!) { list_project_invoices(project_id: $p) { ${INVOICE_FIELDS} } }`;
const GET = `query ($id: String!) { get_invoice(invoice_id: $id) { ${INVOICE_FIELDS} } }`;
const ACTION = 'query ($id: String!) { get_action(id: $id) { name cost_unit cost_amount } }';
const PAY = 'mutation ($id: String!) { pay_invoice(invoice_id: $id) { id status is_paid payment_date payment_card { last4 } } }';
const DUE_DAYS = 10;

// The running month is the real one: actions stamps each charge with the real time it completed the job.
const clock = createTestClock(new Date().toISOString());
let platform: ActionsPlatform;
beforeAll(async () => {
  platform = await startActionsPlatform({ MONTH_CLOSE_INTERVAL_MS: '25', INVOICE_DUE_DAYS: String(DUE_DAYS) }, { billingClock: clock });
}, 60_000);
afterAll(() => platform?.stop());

async function invoices(): Promise<any[]> {
  return (await platform.ok(ADMIN_KEY, INVOICES, { p: platform.projectId })).list_project_invoices;
}

/** Cents, so that expected sums are exact. */
const cents = (dollars: number) => Math.round(dollars * 100);

describe('an invoice built from real jobs', () => {
  it('is CURRENT with the completed jobs, closes DUE, is paid once, and its PDF says so', { timeout: 60_000 }, async () => {
    // Three jobs of two actions: text-sentiment is charged per 1k characters (1, then 3), pdf-from-text per document.
    const jobs = [
      await platform.runJob(ADMIN_KEY, 'text-sentiment', { text: 'good' }),
      await platform.runJob(ADMIN_KEY, 'text-sentiment', { text: 'good '.repeat(500) }),
      await platform.runJob(ADMIN_KEY, 'pdf-from-text', { text: 'A page' }),
    ];
    expect(jobs.map((job) => [job.status, job.billing_request_quantity])).toEqual([
      ['COMPLETED', 1],
      ['COMPLETED', 3],
      ['COMPLETED', 1],
    ]);
    const quantityOf = (actionId: string) =>
      jobs.filter((job) => job.action_id === actionId).reduce((sum, job) => sum + job.billing_request_quantity, 0);
    const expectedItems = [];
    for (const actionId of ['text-sentiment', 'pdf-from-text']) {
      const action = (await platform.ok(ADMIN_KEY, ACTION, { id: actionId })).get_action;
      const quantity = quantityOf(actionId);
      expectedItems.push({
        name: action.name,
        unit_name: action.cost_unit,
        unit_price: action.cost_amount,
        quantity,
        amount: (cents(action.cost_amount) * quantity) / 100,
      });
    }
    const totalCents = expectedItems.reduce((sum, item) => sum + cents(item.amount), 0);
    expect(totalCents).toBe(6); // $0.04 of sentiment, $0.02 of PDF: the catalogue's prices

    // Nothing was POSTed by the test: the worker's charges reach billing through its outbox.
    await vi.waitFor(async () => expect((await invoices())[0]?.total_amount).toBe(totalCents / 100), { timeout: 20_000, interval: 50 });
    const [current] = await invoices();
    expect(current).toMatchObject({
      month_id: clock.now().toISOString().slice(0, 7),
      status: 'CURRENT',
      due_date: null,
      is_paid: false,
      // In the order the actions were first charged.
      items: expectedItems,
    });
    expect((await platform.ok(ADMIN_KEY, GET, { id: current.id })).get_invoice).toEqual(current);

    // The month ends; billing's scheduled task closes it.
    const closedAt = new Date(Date.parse(current.period_end) + 5_000).toISOString();
    clock.set(closedAt);
    await vi.waitFor(async () => expect((await invoices())[1]).toMatchObject({ id: current.id, status: 'DUE' }), { timeout: 10_000 });
    const due = (await invoices())[1];
    expect(due).toMatchObject({
      due_date: new Date(Date.parse(current.period_end) + DUE_DAYS * 86_400_000).toISOString(),
      total_amount: totalCents / 100,
      items: expectedItems,
    });

    const link = atBilling(
      platform.billingOrigin,
      (await platform.ok(ADMIN_KEY, ADD_CARD_LINK, { p: platform.projectId })).get_add_payment_card_link,
    );
    const saved = await submitCard(link, { number: '4242 4242 4242 4242' });
    expect([saved.status, saved.headers.get('location')]).toEqual([303, 'https://app.example/cards/done']);

    const paid = (await platform.ok(ADMIN_KEY, PAY, { id: due.id })).pay_invoice;
    expect(paid).toEqual({ id: due.id, status: 'PAID', is_paid: true, payment_date: closedAt, payment_card: { last4: '4242' } });

    const { download_link } = (await platform.ok(ADMIN_KEY, GET, { id: due.id })).get_invoice;
    const pdf = await fetch(atBilling(platform.billingOrigin, download_link));
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    const text = await pdfText(pdf);
    const dollars = (amountCents: number) => `$${(amountCents / 100).toFixed(2)}`;
    expect(text).toContain(`Invoice ${due.month_id}`);
    for (const item of expectedItems)
      expect(text).toContain(
        `${item.name}: ${item.quantity} ${item.unit_name} x ${dollars(cents(item.unit_price))} = ${dollars(cents(item.amount))}`,
      );
    expect(text).toContain(`Total: ${dollars(totalCents)}`);
    expect(text).toContain('Status: PAID');

    const again = await platform.as(ADMIN_KEY, PAY, { id: due.id });
    expect(again.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('already paid'),
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'invoice_id' },
    });
    expect((await platform.ok(ADMIN_KEY, GET, { id: due.id })).get_invoice).toMatchObject({ status: 'PAID', payment_date: closedAt });
  });
});
