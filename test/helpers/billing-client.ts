/**
 * What a client of billing does outside GraphQL, for the billing e2e tests: follows a link billing handed
 * out, submits the hosted add-card form as a browser would (billing-card-page-browser.e2e.test.ts drives
 * it in a real browser), and reads the text of an invoice's PDF.
 */
import { PDFParse } from 'pdf-parse';

/** get_add_payment_card_link for `$p`, with the client URLs the page ends on. */
export const ADD_CARD_LINK =
  'query ($p: String!) { get_add_payment_card_link(project_id: $p, success_url: "https://app.example/cards/done", cancel_url: "https://app.example/cards/cancelled") }';

/** A link billing handed out, pointed at where billing listens in this test (its public URL is set before its port is known). */
export function atBilling(billingOrigin: string, link: string): string {
  const url = new URL(link);
  return `${billingOrigin}${url.pathname}${url.search}`;
}

/** Submits the add-card form at `link` as a browser would; fields not given are a valid expiry, CVC and name. */
export async function submitCard(link: string, fields: Record<string, string>): Promise<Response> {
  const token = new URL(link).searchParams.get('token')!;
  return fetch(new URL('/billing/cards/new', link), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, action: 'save', expiry: '12/30', cvc: '123', name: 'Ada Lovelace', ...fields }),
    redirect: 'manual',
  });
}

/** The text of the PDF a download answered. */
export async function pdfText(download: Response): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(await download.arrayBuffer()) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}
