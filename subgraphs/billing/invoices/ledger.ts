/**
 * Charges in, invoices out: recording a job's charge once, the invoice of a project's month, and the sums
 * invoices show. Sums are taken in SQL over integer minor units, so no amount is ever rounded.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { BillingDatabase, ChargeRow, InvoiceRow } from '../store.ts';
import { monthOf, monthPeriod } from './months.ts';

type Db = Kysely<BillingDatabase> | Transaction<BillingDatabase>;

export type ChargeInput = Omit<ChargeRow, 'month_id' | 'recorded_at'>;

/** An invoice line: the month's charges of one action at one unit price, summed (see invoiceItems). */
export interface InvoiceItemRow {
  id: string;
  invoice_id: string;
  name: string;
  unit_name: string;
  unit_price_minor: number;
  quantity: number;
  amount_minor: number;
}

/** The invoice of a project's month, created empty if it does not exist yet. */
export async function ensureInvoice(db: Db, projectId: string, monthId: string, currency: string): Promise<InvoiceRow> {
  const find = () =>
    db.selectFrom('invoices').selectAll().where('project_id', '=', projectId).where('month_id', '=', monthId).executeTakeFirst();
  // Read first: nearly every charge finds its month's invoice made already, and a read costs no write lock.
  const existing = await find();
  if (existing) return existing;
  await db
    .insertInto('invoices')
    .values({
      id: randomUUID(),
      project_id: projectId,
      month_id: monthId,
      currency,
      ...monthPeriod(monthId),
      closed_at: null,
      due_date: null,
      paid_at: null,
      payment_card_id: null,
      provider_payment_id: null,
      payment_error: null,
    })
    .onConflict((conflict) => conflict.columns(['project_id', 'month_id']).doNothing())
    .execute();
  return (await find())!;
}

/**
 * Records a charge once (its id is the job's): false when that id was already recorded. A charge counts
 * in the month it occurred, or in the running month when that one is closed already or lies ahead.
 */
export async function recordCharge(db: Kysely<BillingDatabase>, charge: ChargeInput, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const running = monthOf(now);
    const occurred = monthOf(new Date(charge.occurred_at));
    let invoice = await ensureInvoice(trx, charge.project_id, occurred < running ? occurred : running, charge.currency);
    if (invoice.closed_at) invoice = await ensureInvoice(trx, charge.project_id, running, charge.currency);
    const result = await trx
      .insertInto('charges')
      .values({ ...charge, month_id: invoice.month_id, recorded_at: now.toISOString() })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  });
}

/** Each invoice's total in minor units, by invoice id. */
export async function invoiceTotals(
  db: Db,
  invoices: readonly Pick<InvoiceRow, 'id' | 'project_id' | 'month_id'>[],
): Promise<Map<string, number>> {
  const totals = new Map(invoices.map((invoice) => [invoice.id, 0]));
  if (invoices.length === 0) return totals;
  const rows = await db
    .selectFrom('invoices')
    .innerJoin('charges', (join) =>
      join.onRef('charges.project_id', '=', 'invoices.project_id').onRef('charges.month_id', '=', 'invoices.month_id'),
    )
    .select((eb) => ['invoices.id as id', eb.fn.sum<string | number>('charges.amount_minor').as('total')])
    .where(
      'invoices.id',
      'in',
      invoices.map((invoice) => invoice.id),
    )
    .groupBy('invoices.id')
    .execute();
  for (const row of rows) totals.set(row.id, Number(row.total));
  return totals;
}

/** One item per action and unit price, in the order the actions were first charged. */
export async function invoiceItems(db: Db, invoice: Pick<InvoiceRow, 'id' | 'project_id' | 'month_id'>): Promise<InvoiceItemRow[]> {
  const rows = await db
    .selectFrom('charges')
    .select((eb) => [
      'action_id',
      eb.fn.max('action_name').as('name'),
      'unit_name',
      'unit_price_minor',
      eb.fn.sum<string | number>('quantity').as('quantity'),
      eb.fn.sum<string | number>('amount_minor').as('amount'),
      eb.fn.min('occurred_at').as('first'),
    ])
    .where('project_id', '=', invoice.project_id)
    .where('month_id', '=', invoice.month_id)
    .groupBy(['action_id', 'unit_name', 'unit_price_minor'])
    .orderBy('first')
    .orderBy('action_id')
    .execute();
  return rows.map((row) => ({
    id: `${invoice.id}:${row.action_id}:${row.unit_name}:${row.unit_price_minor}`,
    invoice_id: invoice.id,
    name: String(row.name),
    unit_name: row.unit_name,
    unit_price_minor: Number(row.unit_price_minor),
    quantity: Number(row.quantity),
    amount_minor: Number(row.amount),
  }));
}

/** What the project has spent in the running month, in minor units. */
export async function monthToDate(db: Db, projectId: string, now: Date): Promise<number> {
  const { total } = await db
    .selectFrom('charges')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string | number>('amount_minor'), eb.lit(0)).as('total'))
    .where('project_id', '=', projectId)
    .where('month_id', '=', monthOf(now))
    .executeTakeFirstOrThrow();
  return Number(total);
}
