/**
 * GET /billing/invoices/:invoiceId/pdf?expires=&signature=: the invoice as a PDF that billing renders
 * (pdfkit), for whoever holds a download_link that has not expired. Nothing else is needed to read it, as
 * with a pre-signed URL; a link that was not signed by billing or has expired answers 404.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { LinkSigner } from '../links.ts';
import type { BillingDatabase, InvoiceRow } from '../store.ts';
import { invoiceItems, invoiceTotals, type InvoiceItemRow } from './ledger.ts';
import { formatMoney } from './money.ts';
import { invoiceStatus } from './status.ts';

export interface InvoicePdfRouteOptions {
  db: Kysely<BillingDatabase>;
  links: LinkSigner;
  clock: Clock;
}

export async function renderInvoicePdf(invoice: InvoiceRow, items: InvoiceItemRow[], totalMinor: number, status: string): Promise<Buffer> {
  // Loaded at the first download rather than at start: pdfkit and its fonts are heavy.
  const { default: PDFDocument } = await import('pdfkit');
  const pdf = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Invoice ${invoice.month_id}` } });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const money = (minor: number) => formatMoney(minor, invoice.currency);
  pdf.fontSize(20).text(`Invoice ${invoice.month_id}`);
  pdf.moveDown(0.5).fontSize(10);
  pdf.text(`Invoice ID: ${invoice.id}`);
  pdf.text(`Project: ${invoice.project_id}`);
  pdf.text(`Period: ${invoice.period_start.slice(0, 10)} to ${invoice.period_end.slice(0, 10)} (UTC)`);
  if (invoice.due_date) pdf.text(`Due date: ${invoice.due_date.slice(0, 10)}`);
  pdf.text(`Status: ${status}`);
  if (invoice.paid_at) pdf.text(`Paid on: ${invoice.paid_at.slice(0, 10)}`);
  pdf.moveDown();
  pdf.fontSize(11).text('Items');
  pdf.fontSize(10);
  for (const item of items) {
    pdf.text(`${item.name}: ${item.quantity} ${item.unit_name} x ${money(item.unit_price_minor)} = ${money(item.amount_minor)}`);
  }
  if (items.length === 0) pdf.text('No charges this month.');
  pdf
    .moveDown()
    .fontSize(12)
    .text(`Total: ${money(totalMinor)}`);
  pdf.end();
  return done;
}

export function registerInvoicePdfRoute(app: FastifyInstance, { db, links, clock }: InvoicePdfRouteOptions): void {
  app.get<{ Params: { invoiceId: string }; Querystring: { expires?: string; signature?: string } }>(
    '/billing/invoices/:invoiceId/pdf',
    async (request, reply) => {
      const { invoiceId } = request.params;
      const { expires = '', signature = '' } = request.query;
      const now = clock.now();
      const invoice = links.isValidInvoicePdf(invoiceId, expires, signature, now)
        ? await db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirst()
        : undefined;
      if (!invoice) return reply.code(404).send({ error: 'No such invoice, or the link has expired' });
      const totalMinor = (await invoiceTotals(db, [invoice])).get(invoice.id) ?? 0;
      const pdf = await renderInvoicePdf(invoice, await invoiceItems(db, invoice), totalMinor, invoiceStatus(invoice, totalMinor, now));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="invoice-${invoice.month_id}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );
}
