/**
 * The scheduled task that closes finished months: every invoice whose period has ended gets its due_date
 * (INVOICE_DUE_DAYS after the end) and stops taking charges, and the project's next month gets its invoice,
 * empty until charges come (NO CHARGE if none do). Runs at start and every MONTH_CLOSE_INTERVAL_MS
 * (kit/periodic-task.ts).
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { startPeriodicTask, type PeriodicTask } from '../../kit/periodic-task.ts';
import type { Clock } from '../clock.ts';
import type { BillingDatabase } from '../store.ts';
import { ensureInvoice } from './ledger.ts';
import { addDays, monthStart, nextMonth } from './months.ts';

export interface MonthCloserOptions {
  db: Kysely<BillingDatabase>;
  clock: Clock;
  dueDays: number;
  intervalMs: number;
  log: Logger;
}

/** Closes every month ended by `now`; returns how many invoices it closed. */
export async function closeFinishedMonths(db: Kysely<BillingDatabase>, now: Date, dueDays: number): Promise<number> {
  let closed = 0;
  // Closing a month may open the next one already ended too (the clock moved by months): go on until none.
  for (;;) {
    const ended = await db
      .selectFrom('invoices')
      .selectAll()
      .where('closed_at', 'is', null)
      .where('period_end', '<=', now.toISOString())
      .execute();
    if (ended.length === 0) return closed;
    for (const invoice of ended) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('invoices')
          .set({ closed_at: now.toISOString(), due_date: addDays(invoice.period_end, dueDays) })
          .where('id', '=', invoice.id)
          .where('closed_at', 'is', null)
          .execute();
        const next = nextMonth(invoice.month_id);
        if (monthStart(next) <= now) await ensureInvoice(trx, invoice.project_id, next, invoice.currency);
      });
      closed += 1;
    }
  }
}

export function startMonthCloser({ db, clock, dueDays, intervalMs, log }: MonthCloserOptions): PeriodicTask {
  return startPeriodicTask('closing finished months', intervalMs, log, async () => {
    const closed = await closeFinishedMonths(db, clock.now(), dueDays);
    if (closed > 0) log.info({ closed }, 'closed finished invoice months');
  });
}
