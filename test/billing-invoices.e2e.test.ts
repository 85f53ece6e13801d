/**
 * Invoices from charges, through the gateway: the /internal/charges contract (system callers only,
 * validated, idempotent), one invoice per project and UTC month with one item per action, months closed
 * by billing's scheduled task on a clock the test moves, statuses, current_spend, roles and isolation.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_KEY, login } from './helpers/accounts-platform.ts';
import { startBillingPlatform, type BillingPlatform } from './helpers/billing-platform.ts';

const INVOICE_FIELDS =
  'id project_id total_amount month_id status due_date is_paid period_start period_end items { invoice_id name unit_name unit_price quantity amount }';
const LIST = `query ($p: String!) { list_project_invoices(project_id: $p) { ${INVOICE_FIELDS} } }`;
const GET = `query ($id: String!) { get_invoice(invoice_id: $id) { ${INVOICE_FIELDS} } }`;
const SPEND = 'query ($id: String!) { get_project(id: $id) { current_spend } }';

let platform: BillingPlatform;
beforeAll(async () => {
  platform = await startBillingPlatform({ now: '2026-03-10T12:00:00Z' });
});
afterAll(() => platform?.stop());

async function invoices(projectId = platform.projectId) {
  return (await platform.ok(ADMIN_KEY, LIST, { p: projectId })).list_project_invoices;
}

describe('POST /internal/charges', () => {
  it('answers only callers signing a system identity', async () => {
    const asUser = { principal: { kind: 'user', userId: 'u1', roles: { [platform.projectId]: 'ADMIN' } } } as const;
    expect((await platform.charge({ project_id: platform.projectId }, asUser)).status).toBe(401);
    expect((await platform.charge({ project_id: platform.projectId }, 'unsigned')).status).toBe(401);
    expect(
      (await platform.charge({ project_id: platform.projectId }, { principal: { kind: 'system' }, secret: 'another secret' })).status,
    ).toBe(401);
    expect(await invoices()).toEqual([]);
  });

  it('refuses invalid bodies with 400: a missing field, a fractional amount, a currency, an amount that is not price × quantity', async () => {
    const cases = [
      { project_id: platform.projectId, action_id: undefined },
      { project_id: platform.projectId, unit_price_minor: 1.5, amount_minor: 3 },
      { project_id: platform.projectId, currency: 'EUR' },
      { project_id: platform.projectId, occurred_at: 'yesterday' },
      { project_id: platform.projectId, unit_price_minor: 100, quantity: 3, amount_minor: 301 },
    ];
    for (const body of cases) expect((await platform.charge(body)).status, JSON.stringify(body)).toBe(400);
    expect(await invoices()).toEqual([]);
  });

  it('records a charge once per id: a retried call answers created: false and charges nothing more', async () => {
    const charge = { id: 'job-1', project_id: platform.projectId, unit_price_minor: 199, quantity: 3, amount_minor: 597 };
    expect(await platform.charge(charge)).toEqual({ status: 200, body: { created: true } });
    expect(await platform.charge(charge)).toEqual({ status: 200, body: { created: false } });
    expect((await platform.ok(ADMIN_KEY, SPEND, { id: platform.projectId })).get_project.current_spend).toBe(5.97);
  });
});

describe('invoices', () => {
  it('builds the running month CURRENT, one item per action, totals in exact cents', async () => {
    await platform.charge({
      project_id: platform.projectId,
      action_id: 'a-tts',
      action_name: 'Text to speech',
      unit_name: 'second',
      unit_price_minor: 1,
      quantity: 90,
    });
    await platform.charge({
      project_id: platform.projectId,
      action_id: 'a-tts',
      action_name: 'Text to speech',
      unit_name: 'second',
      unit_price_minor: 1,
      quantity: 10,
    });
    const [march] = await invoices();
    expect(march).toMatchObject({
      project_id: platform.projectId,
      month_id: '2026-03',
      status: 'CURRENT',
      due_date: null,
      is_paid: false,
      period_start: '2026-03-01T00:00:00.000Z',
      period_end: '2026-04-01T00:00:00.000Z',
      total_amount: 6.97,
    });
    expect(march.items).toEqual([
      // First charged at the same instant: by action id.
      { invoice_id: march.id, name: 'Text to speech', unit_name: 'second', unit_price: 0.01, quantity: 100, amount: 1 },
      { invoice_id: march.id, name: 'Upscale image', unit_name: 'image', unit_price: 1.99, quantity: 3, amount: 5.97 },
    ]);
    expect((await platform.ok(ADMIN_KEY, GET, { id: march.id })).get_invoice).toEqual(march);
  });

  it('closes the month by itself once it ends: DUE with a due date, then OVERDUE; the next month starts CURRENT', async () => {
    platform.clock.set('2026-04-01T00:00:05Z');
    await vi.waitFor(async () =>
      expect((await invoices()).map((invoice: any) => [invoice.month_id, invoice.status])).toEqual([
        ['2026-04', 'CURRENT'],
        ['2026-03', 'DUE'],
      ]),
    );
    const march = (await invoices())[1];
    expect(march).toMatchObject({ due_date: '2026-04-16T00:00:00.000Z', total_amount: 6.97 });
    expect((await platform.ok(ADMIN_KEY, SPEND, { id: platform.projectId })).get_project.current_spend).toBe(0);

    // A job of March whose charge arrives after the close counts in April: March's invoice no longer changes.
    await platform.charge({ project_id: platform.projectId, occurred_at: '2026-03-31T23:59:00Z', unit_price_minor: 50, quantity: 1 });
    expect((await invoices()).map((invoice: any) => [invoice.month_id, invoice.total_amount])).toEqual([
      ['2026-04', 0.5],
      ['2026-03', 6.97],
    ]);

    platform.clock.set('2026-04-16T00:00:01Z');
    expect((await invoices())[1].status).toBe('OVERDUE');
  });

  it('closes an empty month as NO CHARGE, and months passed while nobody looked one by one', async () => {
    const other = (await platform.ok(await platform.member('READONLY'), 'mutation { create_project(name: "Quiet") { id } }')).create_project
      .id;
    await platform.charge({ project_id: other, occurred_at: '2026-04-20T10:00:00Z', unit_price_minor: 10, quantity: 1 });
    platform.clock.set('2026-07-02T00:00:00Z');
    await vi.waitFor(async () =>
      expect((await platform.ok(ADMIN_KEY, LIST, { p: platform.projectId })).list_project_invoices[0].month_id).toBe('2026-07'),
    );
    const statuses = (await invoices()).map((invoice: any) => [invoice.month_id, invoice.status, invoice.total_amount]);
    expect(statuses).toEqual([
      ['2026-07', 'CURRENT', 0],
      ['2026-06', 'NO CHARGE', 0],
      ['2026-05', 'NO CHARGE', 0],
      ['2026-04', 'OVERDUE', 0.5],
      ['2026-03', 'OVERDUE', 6.97],
    ]);
  });
});

describe('roles and isolation', () => {
  it('lets every role view invoices and spend, and keeps other projects out (NOT_FOUND, as for no project)', async () => {
    const [latest] = await invoices();
    for (const role of ['DEVELOPER', 'READONLY', 'FINANCE'] as const) {
      const token = await platform.member(role);
      expect((await platform.ok(token, LIST, { p: platform.projectId })).list_project_invoices).toHaveLength(5);
      expect((await platform.ok(token, GET, { id: latest.id })).get_invoice.id).toBe(latest.id);
      expect((await platform.ok(token, SPEND, { id: platform.projectId })).get_project.current_spend).toBe(0);
    }

    const outsider = await login(platform, 'outsider@example.com');
    await platform.ok(outsider, 'mutation { create_project(name: "Elsewhere") { id } }');
    const listed = await platform.as(outsider, LIST, { p: platform.projectId });
    expect(listed.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'project_id' });
    const got = await platform.as(outsider, GET, { id: latest.id });
    expect(got.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'invoice_id' });
    expect(got.body.data).toBeNull();
  });
});
