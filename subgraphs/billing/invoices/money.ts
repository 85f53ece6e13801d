/**
 * Money is kept as integer minor units with its currency and becomes the doc's Floats only when answered.
 * Every currency billing accepts has two decimals, so one division is exact to the cent.
 */
export const CURRENCIES = ['USD'] as const;
export type Currency = (typeof CURRENCIES)[number];

const MINOR_PER_MAJOR: Record<Currency, number> = { USD: 100 };

export function toMajor(minor: number | bigint | string, currency: string): number {
  return Number(minor) / (MINOR_PER_MAJOR[currency as Currency] ?? 100);
}

/** "$12.34" for the PDF. */
export function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(toMajor(minor, currency));
}
