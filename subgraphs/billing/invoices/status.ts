/**
 * An invoice's status, derived at read time from its dates and the clock, never stored (it would go stale
 * at midnight). The choices where the seed is silent are in README.md.
 */
import type { InvoiceRow } from '../store.ts';

export const INVOICE_STATUSES = ['CURRENT', 'UPCOMING', 'DUE', 'OVERDUE', 'PAID', 'NO CHARGE'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export function invoiceStatus(
  invoice: Pick<InvoiceRow, 'paid_at' | 'closed_at' | 'period_end' | 'due_date'>,
  totalMinor: number,
  now: Date,
): InvoiceStatus {
  if (invoice.paid_at) return 'PAID';
  // Ended but not closed yet by the scheduled task: late charges of the month may still come in.
  if (!invoice.closed_at) return now.toISOString() < invoice.period_end ? 'CURRENT' : 'UPCOMING';
  if (totalMinor === 0) return 'NO CHARGE';
  return invoice.due_date && now.toISOString() > invoice.due_date ? 'OVERDUE' : 'DUE';
}
