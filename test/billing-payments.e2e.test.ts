/**
 * Payment with the embedded local test-mode provider, through the gateway and billing's hosted page
 * (driven here with plain HTTP; billing-card-page-browser.e2e.test.ts drives it in a real browser): a
 * single-use, expiring add-card link, Stripe's test numbers (accepted, declined), the default card, an
 * invoice built from charges, closed, paid once, its PDF downloaded and read; a declined payment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_KEY } from './helpers/accounts-platform.ts';
import { ADD_CARD_LINK, pdfText, submitCard } from './helpers/billing-client.ts';
import { startBillingPlatform, type BillingPlatform } from './helpers/billing-platform.ts';

const CARDS = 'query ($p: String!) { list_project_payment_cards(project_id: $p) { id brand last4 exp_month exp_year is_default } }';
const INVOICES =
  'query ($p: String!) { list_project_invoices(project_id: $p) { id month_id status total_amount is_paid payment_date payment_card_id payment_card { last4 } download_link } }';
const PAY =
  'mutation ($id: String!) { pay_invoice(invoice_id: $id) { id status is_paid payment_date payment_card_id payment_card { brand last4 } } }';

let platform: BillingPlatform;
beforeAll(async () => {
  platform = await startBillingPlatform({ now: '2026-05-20T09:00:00Z' });
});
afterAll(() => platform?.stop());

function errorOf(response: { body: { errors?: { message: string; extensions?: Record<string, any> }[] } }) {
  return response.body.errors?.[0];
}

async function cardLink(projectId = platform.projectId, credential = ADMIN_KEY): Promise<string> {
  return platform.local((await platform.ok(credential, ADD_CARD_LINK, { p: projectId })).get_add_payment_card_link);
}

async function cards(projectId = platform.projectId) {
  return (await platform.ok(ADMIN_KEY, CARDS, { p: projectId })).list_project_payment_cards;
}

describe('adding a card through the hosted page', () => {
  it('serves an accessible form at a link only ADMIN and FINANCE may ask for', async () => {
    const link = await cardLink(platform.projectId, await platform.member('FINANCE'));
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const field of ['number', 'expiry', 'cvc', 'name'])
      expect(html).toMatch(new RegExp(`<label for="${field}">[^<]+</label>\\s*<input id="${field}" name="${field}"`));
    expect(html).toContain('<html lang="en">');
    for (const role of ['DEVELOPER', 'READONLY'] as const) {
      expect(errorOf(await platform.as(await platform.member(role), ADD_CARD_LINK, { p: platform.projectId }))?.extensions?.code).toBe(
        'FORBIDDEN',
      );
    }
  });

  it('refuses a number failing the Luhn check and declines 4000 0000 0000 0002 with a message, saving nothing', async () => {
    const link = await cardLink();
    const badLuhn = await submitCard(link, { number: '4242 4242 4242 4241' });
    expect(badLuhn.status).toBe(422);
    expect(await badLuhn.text()).toContain('The card number is not valid.');
    const declined = await submitCard(link, { number: '4000 0000 0000 0002' });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toMatch(/role="alert">Your card was declined\.</);
    const expired = await submitCard(link, { number: '4242424242424242', expiry: '04/26' });
    expect(await expired.text()).toContain('The card has expired.');
    expect(await cards()).toEqual([]);
  });

  it('saves 4242 4242 4242 4242 and ends on success_url; the link is used up; only brand, last4 and expiry are kept', async () => {
    const link = await cardLink();
    const saved = await submitCard(link, { number: '4242 4242 4242 4242' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('https://app.example/cards/done');
    expect(await cards()).toEqual([
      { id: expect.any(String), brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, is_default: true },
    ]);
    expect((await submitCard(link, { number: '5555 5555 5555 4444' })).status).toBe(410);
    expect((await fetch(link)).status).toBe(410);

    // Neither the number nor the CVC is anywhere in billing's database files.
    const files = readdirSync(platform.dataDir).filter((file) => file.startsWith('billing.sqlite'));
    const bytes = files.map((file) => readFileSync(join(platform.dataDir, file)).toString('latin1')).join('');
    expect(bytes).toContain('4242');
    expect(bytes).not.toContain('4242424242424242');
    expect(bytes).not.toContain('4242 4242 4242 4242');
  });

  it('ends on cancel_url when cancelled, and refuses a link past its lifetime', async () => {
    const link = await cardLink();
    const cancelled = await fetch(new URL('/billing/cards/new', link), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: new URL(link).searchParams.get('token')!, action: 'cancel' }),
      redirect: 'manual',
    });
    expect(cancelled.headers.get('location')).toBe('https://app.example/cards/cancelled');
    expect((await fetch(link)).status).toBe(410);

    const late = await cardLink();
    platform.clock.set('2026-05-20T09:31:00Z');
    expect((await fetch(late)).status).toBe(410);
    expect((await submitCard(late, { number: '4242424242424242' })).status).toBe(410);
    platform.clock.set('2026-05-20T09:00:00Z');
  });
});

describe('default card', () => {
  it('keeps exactly one default while any card exists', async () => {
    platform.clock.set('2026-05-20T09:05:00Z');
    await submitCard(await cardLink(), { number: '5555 5555 5555 4444' });
    const [visa, mastercard] = await cards();
    expect([visa.is_default, mastercard.is_default, mastercard.brand]).toEqual([true, false, 'mastercard']);
    const SET = 'mutation ($p: String!, $id: String!) { set_project_default_payment_card(project_id: $p, id: $id) }';
    await platform.ok(ADMIN_KEY, SET, { p: platform.projectId, id: mastercard.id });
    expect((await cards()).map((card: { is_default: boolean }) => card.is_default)).toEqual([false, true]);
    expect(errorOf(await platform.as(ADMIN_KEY, SET, { p: platform.projectId, id: 'card_nope' }))?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      argumentName: 'id',
    });

    const REMOVE = 'mutation ($p: String!, $id: String!) { remove_project_payment_card(project_id: $p, id: $id) }';
    expect(await platform.ok(ADMIN_KEY, REMOVE, { p: platform.projectId, id: mastercard.id })).toEqual({
      remove_project_payment_card: true,
    });
    expect(await cards()).toEqual([expect.objectContaining({ id: visa.id, is_default: true })]);
    expect(await platform.ok(ADMIN_KEY, REMOVE, { p: platform.projectId, id: mastercard.id })).toEqual({
      remove_project_payment_card: false,
    });
  });
});

describe('paying an invoice', () => {
  it('pays a closed month once with the default card; its PDF says what was charged', async () => {
    await platform.charge({
      project_id: platform.projectId,
      action_id: 'a-img',
      action_name: 'Generate image',
      unit_name: 'image',
      unit_price_minor: 4,
      quantity: 250,
    });
    await platform.charge({
      project_id: platform.projectId,
      action_id: 'a-stt',
      action_name: 'Speech to text',
      unit_name: 'minute',
      unit_price_minor: 6,
      quantity: 15,
    });
    const [may] = (await platform.ok(ADMIN_KEY, INVOICES, { p: platform.projectId })).list_project_invoices;
    expect(errorOf(await platform.as(ADMIN_KEY, PAY, { id: may.id }))?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'invoice_id',
    });

    platform.clock.set('2026-06-01T00:00:10Z');
    await vi.waitFor(async () =>
      expect((await platform.ok(ADMIN_KEY, INVOICES, { p: platform.projectId })).list_project_invoices[1]).toMatchObject({
        id: may.id,
        status: 'DUE',
        total_amount: 10.9,
      }),
    );
    expect(errorOf(await platform.as(await platform.member('DEVELOPER'), PAY, { id: may.id }))?.extensions?.code).toBe('FORBIDDEN');

    const [card] = await cards();
    const paid = (await platform.ok(await platform.member('FINANCE'), PAY, { id: may.id })).pay_invoice;
    expect(paid).toEqual({
      id: may.id,
      status: 'PAID',
      is_paid: true,
      payment_date: '2026-06-01T00:00:10.000Z',
      payment_card_id: card.id,
      payment_card: { brand: 'visa', last4: '4242' },
    });
    const again = await platform.as(ADMIN_KEY, PAY, { id: may.id });
    expect(errorOf(again)).toMatchObject({
      message: expect.stringContaining('already paid'),
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'invoice_id' },
    });

    const { download_link } = (await platform.ok(ADMIN_KEY, INVOICES, { p: platform.projectId })).list_project_invoices[1];
    const pdf = await fetch(platform.local(download_link));
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = await pdfText(pdf);
    expect(text).toContain('Invoice 2026-05');
    expect(text).toContain(`Invoice ID: ${may.id}`);
    expect(text).toContain('Generate image: 250 image x $0.04 = $10.00');
    expect(text).toContain('Speech to text: 15 minute x $0.06 = $0.90');
    expect(text).toContain('Total: $10.90');
    expect(text).toContain('Status: PAID');

    const forged = new URL(platform.local(download_link));
    forged.searchParams.set('signature', 'x'.repeat(43));
    expect((await fetch(forged)).status).toBe(404);
    platform.clock.set('2026-06-01T02:00:00Z');
    expect((await fetch(platform.local(download_link))).status).toBe(404);
  });

  it('leaves the invoice DUE with the provider message when the card is declined', async () => {
    const owner = await platform.member('READONLY');
    const projectId = (await platform.ok(owner, 'mutation { create_project(name: "Declines") { id } }')).create_project.id;
    const link = platform.local((await platform.ok(owner, ADD_CARD_LINK, { p: projectId })).get_add_payment_card_link);
    // Stripe's test card that is saved but whose every charge is declined.
    expect((await submitCard(link, { number: '4000 0000 0000 0341' })).status).toBe(303);
    await platform.charge({ project_id: projectId, unit_price_minor: 300, quantity: 1 });
    platform.clock.set('2026-07-01T00:00:01Z');
    const invoicesOf = async () => (await platform.ok(owner, INVOICES, { p: projectId })).list_project_invoices;
    await vi.waitFor(async () => expect((await invoicesOf())[1]?.status).toBe('DUE'));
    const june = (await invoicesOf())[1];
    const declined = await platform.as(owner, PAY, { id: june.id });
    expect(errorOf(declined)).toMatchObject({
      message: 'The payment was declined: Your card was declined.',
      extensions: { code: 'BAD_USER_INPUT', declineMessage: 'Your card was declined.' },
    });
    expect((await invoicesOf())[1]).toMatchObject({ id: june.id, status: 'DUE', is_paid: false, payment_date: null });
  });
});
