/**
 * The add-card page's HTML: a plain form that works without JavaScript, labelled for screen readers
 * (each input has its label, errors are announced and tied to their field), with the browser's own
 * card autofill names. Every value written into it is escaped.
 */
import type { TypedCard } from './card-numbers.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:26rem;margin:2rem auto;padding:0 1rem;color:#111}
label{display:block;margin-top:1rem;font-weight:600}input{display:block;width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;margin-top:.25rem}
.error{color:#a00000;border:1px solid #a00000;padding:.5rem;margin-top:1rem}.actions{margin-top:1.5rem;display:flex;gap:1rem}
button{padding:.6rem 1.2rem;font-size:1rem}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body>
</html>`;
}

export interface CardFormState {
  token: string;
  name?: string;
  expiry?: string;
  error?: string;
  field?: keyof TypedCard;
}

export function cardForm({ token, name = '', expiry = '', error, field }: CardFormState): string {
  const invalid = (which: keyof TypedCard) => (error && field === which ? ' aria-invalid="true" aria-describedby="card-error"' : '');
  return page(
    'Add a payment card',
    `<h1>Add a payment card</h1>
${error ? `<p id="card-error" class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/billing/cards/new" novalidate>
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label for="number">Card number</label>
<input id="number" name="number" inputmode="numeric" autocomplete="cc-number" maxlength="23" required${invalid('number')}>
<label for="expiry">Expiry date (MM/YY)</label>
<input id="expiry" name="expiry" inputmode="numeric" autocomplete="cc-exp" placeholder="MM/YY" maxlength="7" required value="${escapeHtml(expiry)}"${invalid('expiry')}>
<label for="cvc">Security code (CVC)</label>
<input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" maxlength="4" required${invalid('cvc')}>
<label for="name">Name on the card</label>
<input id="name" name="name" autocomplete="cc-name" maxlength="200" required value="${escapeHtml(name)}"${invalid('name')}>
<div class="actions">
<button type="submit" name="action" value="save">Save card</button>
<button type="submit" name="action" value="cancel">Cancel</button>
</div>
</form>`,
  );
}

export function linkGonePage(): string {
  return page(
    'Link no longer valid',
    '<h1>This link is no longer valid</h1><p role="alert">It has expired or was already used. Ask for a new link to add a card.</p>',
  );
}
