/**
 * The add-card page in a real headless browser (Debian's chromium through playwright-core): from the link
 * get_add_payment_card_link returns, a person fills the form by its labels, meets the decline of
 * 4000 0000 0000 0002 announced as an alert, saves 4242 4242 4242 4242, lands on success_url, and the card
 * is listed by list_project_payment_cards; Cancel lands on cancel_url.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from './helpers/accounts-platform.ts';
import { startBillingPlatform, type BillingPlatform } from './helpers/billing-platform.ts';

const LINK =
  'query ($p: String!, $ok: String!, $cancel: String!) { get_add_payment_card_link(project_id: $p, success_url: $ok, cancel_url: $cancel) }';

let platform: BillingPlatform;
let app: FastifyInstance;
let appUrl: string;
let browser: Browser;
beforeAll(async () => {
  platform = await startBillingPlatform({ now: '2026-05-20T09:00:00Z' });
  // The client application the page sends the browser back to.
  app = Fastify();
  app.get('/cards/:outcome', async (request, reply) =>
    reply.type('text/html').send(`<h1>${(request.params as { outcome: string }).outcome}</h1>`),
  );
  appUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await platform?.stop();
});

async function openLink(page: Page): Promise<void> {
  const link = (
    await platform.ok(ADMIN_KEY, LINK, { p: platform.projectId, ok: `${appUrl}/cards/saved`, cancel: `${appUrl}/cards/cancelled` })
  ).get_add_payment_card_link;
  await page.goto(platform.local(link));
}

async function fillCard(page: Page, number: string): Promise<void> {
  await page.getByLabel('Card number').fill(number);
  await page.getByLabel('Expiry date (MM/YY)').fill('12/30');
  await page.getByLabel('Security code (CVC)').fill('123');
  await page.getByLabel('Name on the card').fill('Ada Lovelace');
  await page.getByRole('button', { name: 'Save card' }).click();
}

describe('the add-card page in a browser', () => {
  it(
    'declines 4000 0000 0000 0002 with an alert, then saves 4242 4242 4242 4242 and ends on success_url',
    { timeout: 120_000 },
    async () => {
      const page = await browser.newPage();
      await openLink(page);
      expect(await page.title()).toBe('Add a payment card');

      await fillCard(page, '4000 0000 0000 0002');
      await expect.poll(() => page.getByRole('alert').textContent()).toBe('Your card was declined.');
      expect(await page.getByLabel('Card number').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Name on the card').inputValue()).toBe('Ada Lovelace');

      await fillCard(page, '4242 4242 4242 4242');
      await page.waitForURL(`${appUrl}/cards/saved`);
      expect(await page.getByRole('heading').textContent()).toBe('saved');
      await page.close();

      const { list_project_payment_cards } = await platform.ok(
        ADMIN_KEY,
        'query ($p: String!) { list_project_payment_cards(project_id: $p) { brand last4 exp_month exp_year is_default } }',
        { p: platform.projectId },
      );
      expect(list_project_payment_cards).toEqual([{ brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, is_default: true }]);
    },
  );

  it('ends on cancel_url when the person cancels', { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    await openLink(page);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(`${appUrl}/cards/cancelled`);
    await page.close();
  });
});
