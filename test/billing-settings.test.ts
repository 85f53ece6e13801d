/** Billing's settings: defaults, and refusals that name the variable. */
import { describe, expect, it } from 'vitest';
import { parseBillingSettings } from '../subgraphs/billing/settings.ts';

describe('parseBillingSettings', () => {
  it('has documented defaults, frozen', () => {
    const settings = parseBillingSettings({});
    expect(settings).toMatchObject({
      publicUrl: 'http://127.0.0.1:4003',
      invoiceDueDays: 15,
      monthCloseIntervalMs: 60_000,
      cardLinkTtlSeconds: 1800,
      downloadLinkTtlSeconds: 3600,
      stripeSecretKey: undefined,
    });
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it('refuses bad values, naming the variable', () => {
    expect(() => parseBillingSettings({ INVOICE_DUE_DAYS: 'soon' })).toThrow(/INVOICE_DUE_DAYS/);
    expect(() => parseBillingSettings({ BILLING_PUBLIC_URL: 'ftp://x' })).toThrow(/BILLING_PUBLIC_URL/);
    expect(() => parseBillingSettings({ STRIPE_SECRET_KEY: 'pk_test_public' })).toThrow(/STRIPE_SECRET_KEY/);
    expect(() => parseBillingSettings({ STRIPE_API_URL: 'not a url' })).toThrow(/STRIPE_API_URL/);
    expect(parseBillingSettings({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_API_URL: 'http://127.0.0.1:12111' }).stripeApiUrl?.port).toBe(
      '12111',
    );
  });
});
