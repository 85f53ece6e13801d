/**
 * One-time login codes sent by email: 6 digits, valid 10 minutes, single use, dead after 5 tries. Only an
 * HMAC of the code is stored (a plain hash of a 6-digit code would be reversed in a second).
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Hmac } from './secrets.ts';
import type { AccountsDatabase } from './store.ts';

export const OTP_TTL_MS = 10 * 60_000;
export const OTP_MAX_ATTEMPTS = 5;

/**
 * The seed types the code `Float!`, which cannot carry a leading zero (nor can JSON), so codes are drawn
 * from 100000-999999: what the email shows is exactly the number a client sends.
 */
export function generateOtp(): string {
  return String(randomInt(100_000, 1_000_000));
}

function hashOtp(hmac: Hmac, email: string, code: string): string {
  return hmac(`email-otp:${email}:${code}`);
}

/** Replaces any pending code of this address (and its count of tries) with a new one. */
export async function storeOtp(db: Kysely<AccountsDatabase>, hmac: Hmac, email: string, code: string, now: Date): Promise<void> {
  const row = {
    code_hash: hashOtp(hmac, email, code),
    expires_at: new Date(now.getTime() + OTP_TTL_MS).toISOString(),
    failed_attempts: 0,
    created_at: now.toISOString(),
  };
  await db
    .insertInto('email_otps')
    .values({ email, ...row })
    .onConflict((conflict) => conflict.column('email').doUpdateSet(row))
    .execute();
}

/**
 * True once for the right, unexpired code; the code is then gone. Every try is counted before the code is
 * compared, in one statement, so parallel guesses cannot get more than OTP_MAX_ATTEMPTS comparisons.
 */
export async function consumeOtp(db: Kysely<AccountsDatabase>, hmac: Hmac, email: string, code: string, now: Date): Promise<boolean> {
  const pending = await db
    .updateTable('email_otps')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('email', '=', email)
    .where('failed_attempts', '<', OTP_MAX_ATTEMPTS)
    .where('expires_at', '>', now.toISOString())
    .returning('code_hash')
    .executeTakeFirst();
  if (!pending) return false;
  const given = Buffer.from(hashOtp(hmac, email, code));
  const expected = Buffer.from(pending.code_hash);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  // Deleting the very row compared makes the code single use even for two right answers at once.
  const { numDeletedRows } = await db
    .deleteFrom('email_otps')
    .where('email', '=', email)
    .where('code_hash', '=', pending.code_hash)
    .executeTakeFirst();
  return numDeletedRows === 1n;
}
