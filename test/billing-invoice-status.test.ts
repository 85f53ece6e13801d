/** Invoice statuses as derived from an invoice's dates, its total and the clock (subgraphs/billing/README.md). */
import { describe, expect, it } from 'vitest';
import { invoiceStatus } from '../subgraphs/billing/invoices/status.ts';

const march = { period_end: '2026-04-01T00:00:00.000Z', closed_at: null, due_date: null, paid_at: null };
const closed = { ...march, closed_at: '2026-04-01T00:00:30.000Z', due_date: '2026-04-16T00:00:00.000Z' };

describe('invoiceStatus', () => {
  it('is CURRENT in the running month, UPCOMING between its end and its closing', () => {
    expect(invoiceStatus(march, 500, new Date('2026-03-31T23:59:59Z'))).toBe('CURRENT');
    expect(invoiceStatus(march, 500, new Date('2026-04-01T00:00:10Z'))).toBe('UPCOMING');
  });

  it('is DUE once closed, OVERDUE past its due date, NO CHARGE when empty, PAID once paid', () => {
    expect(invoiceStatus(closed, 500, new Date('2026-04-15T23:59:59Z'))).toBe('DUE');
    expect(invoiceStatus(closed, 500, new Date('2026-04-16T00:00:01Z'))).toBe('OVERDUE');
    expect(invoiceStatus(closed, 0, new Date('2026-05-01T00:00:00Z'))).toBe('NO CHARGE');
    expect(invoiceStatus({ ...closed, paid_at: '2026-04-20T00:00:00.000Z' }, 500, new Date('2026-05-01T00:00:00Z'))).toBe('PAID');
  });
});
