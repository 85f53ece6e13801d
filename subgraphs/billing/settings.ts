/**
 * The billing subgraph's settings, read once from `options.env` (never from process.env), validated with
 * errors that name the variable, then frozen. Every variable is listed in README.md.
 */
import { readInteger, readOptional, readUrl, SettingsError, type Env } from '../../core/settings.ts';
export interface BillingSettings {
  /** BILLING_PUBLIC_URL, default http://127.0.0.1:4003: where browsers reach billing's card page and PDFs. */
  readonly publicUrl: string;
  /** BILLING_SECRET: HMAC key of download links; unset = generated once into DATA_DIR. */
  readonly secret: string | undefined;
  /** INVOICE_DUE_DAYS, default 15: days from a month's end to its invoice's due_date. */
  readonly invoiceDueDays: number;
  /** MONTH_CLOSE_INTERVAL_MS, default 60000: how often the task that closes finished months runs. */
  readonly monthCloseIntervalMs: number;
  /** CARD_LINK_TTL_SECONDS, default 1800: how long a link to the add-card page is valid (it is single-use). */
  readonly cardLinkTtlSeconds: number;
  /** DOWNLOAD_LINK_TTL_SECONDS, default 3600: how long an invoice's PDF link is valid. */
  readonly downloadLinkTtlSeconds: number;
  /** STRIPE_SECRET_KEY: set, payments go through Stripe; unset, through the local test-mode provider. */
  readonly stripeSecretKey: string | undefined;
  /** STRIPE_API_URL: where the Stripe SDK sends its calls (a local fake in tests); unset = Stripe's own. */
  readonly stripeApiUrl: URL | undefined;
}

function httpUrl(env: Env, name: string): URL | undefined {
  const raw = readUrl(env, name);
  return raw === undefined ? undefined : new URL(raw);
}

export function parseBillingSettings(env: Env): BillingSettings {
  const stripeSecretKey = readOptional(env, 'STRIPE_SECRET_KEY');
  if (stripeSecretKey !== undefined && !/^(sk|rk)_(test|live)_\w+$/.test(stripeSecretKey)) {
    throw new SettingsError('STRIPE_SECRET_KEY must be a Stripe secret key (sk_test_..., sk_live_... or a restricted rk_...)');
  }
  return Object.freeze({
    publicUrl: (httpUrl(env, 'BILLING_PUBLIC_URL')?.href ?? 'http://127.0.0.1:4003').replace(/\/+$/, ''),
    secret: readOptional(env, 'BILLING_SECRET'),
    invoiceDueDays: readInteger(env, 'INVOICE_DUE_DAYS', 15, { min: 1, max: 365 }),
    monthCloseIntervalMs: readInteger(env, 'MONTH_CLOSE_INTERVAL_MS', 60_000, { min: 10 }),
    cardLinkTtlSeconds: readInteger(env, 'CARD_LINK_TTL_SECONDS', 1800, { min: 1, max: 86_400 }),
    downloadLinkTtlSeconds: readInteger(env, 'DOWNLOAD_LINK_TTL_SECONDS', 3600, { min: 1, max: 7 * 86_400 }),
    stripeSecretKey,
    stripeApiUrl: httpUrl(env, 'STRIPE_API_URL'),
  });
}
