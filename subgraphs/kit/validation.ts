/**
 * Checks of text inputs every subgraph shares: control characters where they have no business, and email
 * addresses, validated by validator.js and normalised once. Each check names the argument in its error,
 * made by `fail` (Cognitive Cloud's BAD_USER_INPUT by default; Dalet passes its own).
 */
import type { GraphQLError } from 'graphql';
import validator from 'validator';
import { badUserInput } from '../../core/errors.ts';

export type InputErrorFactory = (argumentName: string, reason: string) => GraphQLError;

/**
 * C0 and C1 controls, DEL, and the bidirectional overrides and isolates (which make a name display as
 * another one). Line breaks and tabs are allowed only where text may span lines.
 */
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u2028\u2029]/u;
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
/** Half of a UTF-16 surrogate pair without the other: not text, and stored differently by each database. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface TextOptions {
  /** Longest accepted length, after trimming; default 200. */
  maxLength?: number;
  /** Whether line breaks and tabs may appear (descriptions); default false (names). */
  multiline?: boolean;
  /** Whether the empty string is accepted; default false. */
  allowEmpty?: boolean;
}

export const DEFAULT_MAX_TEXT_LENGTH = 200;

/** Why `value` is not acceptable text, or undefined when it is. */
export function textProblem(
  value: string,
  { maxLength = DEFAULT_MAX_TEXT_LENGTH, multiline = false, allowEmpty = false }: TextOptions = {},
): string | undefined {
  if (!allowEmpty && value === '') return 'must not be empty';
  if (value.length > maxLength) return `must be at most ${maxLength} characters`;
  if ((multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).test(value)) {
    return multiline
      ? 'must not contain control characters other than line breaks and tabs'
      : 'must not contain control characters or line breaks';
  }
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text';
  return undefined;
}

/** The text trimmed, or an error naming the argument. */
export function requireText(
  value: string,
  argumentName: string,
  options: TextOptions = {},
  fail: InputErrorFactory = badUserInput,
): string {
  const trimmed = value.trim();
  const problem = textProblem(trimmed, options);
  if (problem) throw fail(argumentName, problem);
  return trimmed;
}

/** RFC 5321's limit on a whole address. */
const MAX_EMAIL_LENGTH = 254;

/**
 * The one normal form of an email address (trimmed, NFC, lower-cased: Ada@Example.com and ada@example.com
 * are one user), or undefined when validator.js does not take it for an address. Domains without a dot are
 * accepted (owner@localhost, an intranet's mail); IP domains, display names and UTF-8 local parts are not.
 */
export function normalizeEmail(value: string): string | undefined {
  const email = value.trim().normalize('NFC').toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH || CONTROL.test(email)) return undefined;
  const valid = validator.isEmail(email, {
    require_tld: false,
    allow_ip_domain: false,
    allow_display_name: false,
    allow_utf8_local_part: false,
  });
  return valid ? email : undefined;
}

export function requireEmail(value: string, argumentName = 'email', fail: InputErrorFactory = badUserInput): string {
  const email = normalizeEmail(value);
  if (email === undefined) throw fail(argumentName, 'must be an email address');
  return email;
}
