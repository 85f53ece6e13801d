/**
 * The billing subgraph's settings, read once from `options.env` (never from process.env), validated with
 * errors that name the variable, then frozen. Every variable is listed in README.md.
 */
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

export class BillingSettingsError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BillingSettingsError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function httpUrl(env: Env, name: string, fallback?: string): URL | undefined {
  const raw = optional(env, name) ?? fallback;
  if (raw === undefined) return undefined;
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol))
    throw new BillingSettingsError(`${name} must be an http(s) URL, got "${raw}"`);
  return new URL(raw);
}

export function parseBillingSettings(env: Env): BillingSettings {
  const stripeSecretKey = optional(env, 'STRIPE_SECRET_KEY');
  if (stripeSecretKey !== undefined && !/^(sk|rk)_(test|live)_\w+$/.test(stripeSecretKey)) {
    throw new BillingSettingsError('STRIPE_SECRET_KEY must be a Stripe secret key (sk_test_..., sk_live_... or a restricted rk_...)');
  }
  return Object.freeze({
    publicUrl: httpUrl(env, 'BILLING_PUBLIC_URL', 'http://127.0.0.1:4003')!.href.replace(/\/+$/, ''),
    secret: optional(env, 'BILLING_SECRET'),
    invoiceDueDays: integer(env, 'INVOICE_DUE_DAYS', 15, { max: 365 }),
    monthCloseIntervalMs: integer(env, 'MONTH_CLOSE_INTERVAL_MS', 60_000, { min: 10 }),
    cardLinkTtlSeconds: integer(env, 'CARD_LINK_TTL_SECONDS', 1800, { max: 86_400 }),
    downloadLinkTtlSeconds: integer(env, 'DOWNLOAD_LINK_TTL_SECONDS', 3600, { max: 7 * 86_400 }),
    stripeSecretKey,
    stripeApiUrl: httpUrl(env, 'STRIPE_API_URL'),
  });
}
