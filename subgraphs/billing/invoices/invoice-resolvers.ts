/**
 * Invoices and spend: `get_invoice`, `list_project_invoices`, `pay_invoice`, and the `Project` fields
 * billing adds (`current_spend`, `billing_link`).
 */
import type { Resolvers } from '../generated/resolvers-types.ts';
import { randomUUID } from 'node:crypto';
import { authorize, requireAuthenticated, roleIn } from '../../kit/authorize.ts';
import { badUserInput, cognitiveCloudError, notFound } from '../../../core/errors.ts';
import type { Principal } from '../../../core/identity.ts';
import { authorizeProject } from '../access.ts';
import type { BillingContext, BillingServices } from '../services.ts';
import type { InvoiceRow } from '../store.ts';
import { invoiceItems, invoiceTotals, monthToDate } from './ledger.ts';
import { toMajor } from './money.ts';
import { invoiceStatus } from './status.ts';

export type InvoiceParent = InvoiceRow & { total_minor: number };
type Db = BillingContext['db'];

async function withTotals(db: Db, invoices: InvoiceRow[]): Promise<InvoiceParent[]> {
  const totals = await invoiceTotals(db, invoices);
  return invoices.map((invoice) => ({ ...invoice, total_minor: totals.get(invoice.id) ?? 0 }));
}

/** The invoice, if the caller has a role in its project; NOT_FOUND otherwise, as for one that does not exist. */
async function visibleInvoice(db: Db, principal: Principal, invoiceId: string): Promise<InvoiceParent> {
  const invoice = await db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirst();
  requireAuthenticated(principal);
  if (!invoice || !roleIn(principal, invoice.project_id)) throw notFound('Invoice', 'invoice_id');
  return (await withTotals(db, [invoice]))[0]!;
}

export function invoiceResolvers({ clock, provider, links }: BillingServices): Resolvers {
  return {
    Query: {
      async get_invoice(_root, { invoice_id }, { principal, db }) {
        const invoice = await visibleInvoice(db, principal, invoice_id);
        authorize(principal, invoice.project_id, 'VIEW_INVOICES', 'invoice_id');
        return invoice;
      },
      async list_project_invoices(_root, { project_id }, { principal, db }) {
        authorize(principal, project_id, 'VIEW_INVOICES');
        const invoices = await db
          .selectFrom('invoices')
          .selectAll()
          .where('project_id', '=', project_id)
          .orderBy('month_id', 'desc')
          .execute();
        return withTotals(db, invoices);
      },
    },
    Mutation: {
      async pay_invoice(_root, { invoice_id }, { principal, db, log }) {
        const invoice = await visibleInvoice(db, principal, invoice_id);
        authorize(principal, invoice.project_id, 'PAY_INVOICES', 'invoice_id');
        const status = invoiceStatus(invoice, invoice.total_minor, clock.now());
        if (status === 'PAID') throw badUserInput('invoice_id', 'the invoice is already paid');
        if (status === 'CURRENT' || status === 'UPCOMING')
          throw badUserInput('invoice_id', 'the invoice is not due yet: its month has not closed');
        if (status === 'NO CHARGE') throw badUserInput('invoice_id', 'the invoice has nothing to pay');
        const card = await db
          .selectFrom('payment_cards')
          .selectAll()
          .where('project_id', '=', invoice.project_id)
          .where('is_default', '=', 1)
          .executeTakeFirst();
        if (!card) throw badUserInput('invoice_id', 'the project has no default payment card: add one first');

        // Claimed before the provider is called, so that two concurrent calls never charge twice.
        const attempt = `pending:${randomUUID()}`;
        const claim = await db
          .updateTable('invoices')
          .set({ provider_payment_id: attempt })
          .where('id', '=', invoice.id)
          .where('paid_at', 'is', null)
          .where('provider_payment_id', 'is', null)
          .executeTakeFirst();
        if (Number(claim.numUpdatedRows) !== 1) throw badUserInput('invoice_id', 'the invoice is already paid or being paid');

        const release = (changes: Partial<InvoiceRow>) =>
          db.updateTable('invoices').set(changes).where('id', '=', invoice.id).where('provider_payment_id', '=', attempt).execute();
        let outcome;
        try {
          outcome = await provider.charge({
            projectId: invoice.project_id,
            card: { token: card.provider_token, brand: card.brand, last4: card.last4, exp_month: card.exp_month, exp_year: card.exp_year },
            amountMinor: invoice.total_minor,
            currency: invoice.currency,
            description: `Invoice ${invoice.month_id} of project ${invoice.project_id}`,
            idempotencyKey: `invoice-${invoice.id}-${attempt}`,
          });
        } catch (error) {
          await release({ provider_payment_id: null });
          throw error;
        }
        if (!outcome.ok) {
          await release({ provider_payment_id: null, payment_error: outcome.message });
          log.info({ invoiceId: invoice.id }, 'invoice payment declined');
          throw cognitiveCloudError('BAD_USER_INPUT', `The payment was declined: ${outcome.message}`, {
            argumentName: 'invoice_id',
            declineMessage: outcome.message,
          });
        }
        await release({
          paid_at: clock.now().toISOString(),
          payment_card_id: card.id,
          provider_payment_id: outcome.paymentId,
          payment_error: null,
        });
        return visibleInvoice(db, principal, invoice.id);
      },
    },
    Invoice: {
      total_amount: (invoice) => toMajor(invoice.total_minor, invoice.currency),
      payment_date: (invoice) => invoice.paid_at,
      is_paid: (invoice) => invoice.paid_at !== null,
      // Billing charges through PaymentIntents, not Stripe's own invoices: there is no Stripe invoice id.
      stripe_invoice_id: () => null,
      items: (invoice, _args, { db }) => invoiceItems(db, invoice),
      async payment_card(invoice, _args, { db }) {
        if (!invoice.payment_card_id) return null;
        return (await db.selectFrom('payment_cards').selectAll().where('id', '=', invoice.payment_card_id).executeTakeFirst()) ?? null;
      },
      status: (invoice) => invoiceStatus(invoice, invoice.total_minor, clock.now()),
      download_link: (invoice) => links.invoicePdfUrl(invoice.id, clock.now()),
    },
    InvoiceItem: {
      unit_price: (item) => toMajor(item.unit_price_minor, 'USD'),
      amount: (item) => toMajor(item.amount_minor, 'USD'),
    },
    Project: {
      __resolveReference: (project) => project,
      async current_spend(project, _args, { principal, db }) {
        authorizeProject(principal, project, 'VIEW_INVOICES');
        return toMajor(await monthToDate(db, project.id, clock.now()), 'USD');
      },
      // The invoice to look at: the oldest one awaiting payment, else the running month's.
      async billing_link(project, _args, { principal, db }) {
        authorizeProject(principal, project, 'VIEW_INVOICES');
        const now = clock.now();
        const invoices = await withTotals(
          db,
          await db.selectFrom('invoices').selectAll().where('project_id', '=', project.id).orderBy('month_id').execute(),
        );
        const unpaid = invoices.find((invoice) => ['DUE', 'OVERDUE'].includes(invoiceStatus(invoice, invoice.total_minor, now)));
        const shown = unpaid ?? invoices.find((invoice) => invoiceStatus(invoice, invoice.total_minor, now) === 'CURRENT');
        return shown ? links.invoicePdfUrl(shown.id, now) : null;
      },
    },
  };
}
