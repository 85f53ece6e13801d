/** Input checks shared by the sections, each failing with the doc's InvalidInput shape. */
import { invalidInput } from './errors.ts';

export function requireText(name: string, value: string | null | undefined, maxLength: number): string {
  const text = value?.trim() ?? '';
  if (!text) throw invalidInput(name, value ?? '', 'MISSING_VALUE', 'Must not be empty');
  if (text.length > maxLength) throw invalidInput(name, value, 'TOO_LONG', `Must be at most ${maxLength} characters`);
  return text;
}

export function optionalText(name: string, value: string | null | undefined, maxLength: number): string | null | undefined {
  if (value === null || value === undefined) return value;
  if (value.length > maxLength) throw invalidInput(name, value, 'TOO_LONG', `Must be at most ${maxLength} characters`);
  return value;
}

/** A category name: it is one element of a "/"-separated full name. */
export function requireCategoryName(name: string, value: string | null | undefined, maxLength: number): string {
  const text = requireText(name, value, maxLength);
  if (text.includes('/')) throw invalidInput(name, value, 'FORBIDDEN_CHARACTERS', 'Must not contain "/"');
  return text;
}

/** Date offsets are days from now; the doc gives no upper bound, 100 years is one. */
export function optionalOffset(name: string, value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (value < 0) throw invalidInput(name, value, 'NEGATIVE', 'Must not be negative');
  if (value > 36_500) throw invalidInput(name, value, 'INVALID_VALUE', 'Must be at most 36500 days');
  return value;
}
