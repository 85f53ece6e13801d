/**
 * What billing's hosted card page checks of what a person typed, before the local provider sees it.
 */

/** The Luhn checksum every card number carries in its last digit. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The brand by the number's prefix (the IIN ranges the networks publish), as Stripe names it. */
export function cardBrand(digits: string): string {
  if (/^4/.test(digits)) return 'visa';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^(6011|64[4-9]|65)/.test(digits)) return 'discover';
  if (/^35(2[89]|[3-8])/.test(digits)) return 'jcb';
  if (/^3(0[0-5]|[68])/.test(digits)) return 'diners';
  if (/^62/.test(digits)) return 'unionpay';
  return 'unknown';
}

export interface TypedCard {
  number: string;
  expiry: string;
  cvc: string;
  name: string;
}

export type CardCheck =
  { ok: true; digits: string; expMonth: number; expYear: number } | { ok: false; field: keyof TypedCard; message: string };

/** Checks the form's fields: number (spaces allowed), expiry as MM/YY or MM/YYYY not past, CVC, name. */
export function checkTypedCard(card: TypedCard, now: Date): CardCheck {
  const digits = card.number.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits) || !passesLuhn(digits)) return { ok: false, field: 'number', message: 'The card number is not valid.' };
  const expiry = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(card.expiry);
  const expMonth = Number(expiry?.[1]);
  const expYear = expiry?.[2]?.length === 2 ? 2000 + Number(expiry[2]) : Number(expiry?.[2]);
  if (!expiry || expMonth < 1 || expMonth > 12) return { ok: false, field: 'expiry', message: 'The expiry date must be MM/YY.' };
  if (expYear * 12 + expMonth < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1)
    return { ok: false, field: 'expiry', message: 'The card has expired.' };
  const cvcLength = cardBrand(digits) === 'amex' ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test(card.cvc.trim()))
    return { ok: false, field: 'cvc', message: `The security code must be ${cvcLength} digits.` };
  if (card.name.trim().length === 0 || card.name.length > 200) return { ok: false, field: 'name', message: 'Enter the name on the card.' };
  return { ok: true, digits, expMonth, expYear };
}
