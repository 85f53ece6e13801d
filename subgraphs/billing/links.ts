/**
 * Links billing hands out: signed, expiring links to an invoice's PDF (anyone holding one may download
 * it until it expires, like a pre-signed URL), and the random tokens of add-card links, kept only as hashes.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { loadOrCreateFile } from '../../core/data-files.ts';

export interface LinkSigner {
  invoicePdfUrl(invoiceId: string, now: Date): string;
  isValidInvoicePdf(invoiceId: string, expires: string, signature: string, now: Date): boolean;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** BILLING_SECRET, or one generated once into `dataDir` (owner-only) so that replicas sharing it agree. */
export function loadBillingSecret(configured: string | undefined, dataDir: string): string {
  return configured || loadOrCreateFile(dataDir, 'billing-secret');
}

export function createLinkSigner({ secret, publicUrl, ttlSeconds }: { secret: string; publicUrl: string; ttlSeconds: number }): LinkSigner {
  const sign = (invoiceId: string, expires: string) =>
    createHmac('sha256', secret).update(`invoice-pdf.${invoiceId}.${expires}`).digest('base64url');
  return {
    invoicePdfUrl(invoiceId, now) {
      // Rounded to the minute, so that one invoice read twice within a minute gives one link.
      const expires = String(Math.ceil(now.getTime() / 60_000) * 60 + ttlSeconds);
      const url = new URL(`${publicUrl}/billing/invoices/${encodeURIComponent(invoiceId)}/pdf`);
      url.searchParams.set('expires', expires);
      url.searchParams.set('signature', sign(invoiceId, expires));
      return url.href;
    },
    isValidInvoicePdf(invoiceId, expires, signature, now) {
      if (!/^\d{1,12}$/.test(expires) || Number(expires) * 1000 < now.getTime()) return false;
      const expected = Buffer.from(sign(invoiceId, expires));
      const given = Buffer.from(signature);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}
