/**
 * The embedded default: a test-mode provider that behaves like Stripe's test mode with Stripe's test
 * numbers, and moves no money. Its token says how the card behaves when charged (a test card has no
 * secret to keep); the number and CVC are forgotten once checked.
 *
 * - 4000 0000 0000 0002: declined when saved ("Your card was declined.")
 * - 4000 0000 0000 9995: declined when saved ("Your card has insufficient funds.")
 * - 4000 0000 0000 0341: saved, but every charge is declined
 * - any other number passing the Luhn check (4242 4242 4242 4242...): saved and charged
 */
import { randomBytes } from 'node:crypto';
import { cardBrand } from './card-numbers.ts';
import type { ChargeOutcome, PaymentProvider, SavedCard } from './provider.ts';

const DECLINED_WHEN_SAVED: Record<string, string> = {
  '4000000000000002': 'Your card was declined.',
  '4000000000009995': 'Your card has insufficient funds.',
};
const DECLINED_WHEN_CHARGED = new Set(['4000000000000341']);
const CHARGE_DECLINED_MESSAGE = 'Your card was declined.';

export interface LocalProvider extends PaymentProvider {
  /** Saves a card typed on billing's page, or answers the decline message. */
  saveCard(card: { digits: string; expMonth: number; expYear: number }): { ok: true; card: SavedCard } | { ok: false; message: string };
}

export function createLocalProvider(): LocalProvider {
  return {
    name: 'local',
    startCardSetup: async () => undefined,
    completeCardSetup: async () => undefined,
    saveCard({ digits, expMonth, expYear }) {
      const declined = DECLINED_WHEN_SAVED[digits];
      if (declined) return { ok: false, message: declined };
      const behaviour = DECLINED_WHEN_CHARGED.has(digits) ? 'declines' : 'pays';
      return {
        ok: true,
        card: {
          token: `pm_local_${behaviour}_${randomBytes(12).toString('hex')}`,
          brand: cardBrand(digits),
          last4: digits.slice(-4),
          exp_month: expMonth,
          exp_year: expYear,
        },
      };
    },
    async charge({ card }): Promise<ChargeOutcome> {
      if (card.token.startsWith('pm_local_declines_')) return { ok: false, message: CHARGE_DECLINED_MESSAGE };
      return { ok: true, paymentId: `pi_local_${randomBytes(12).toString('hex')}` };
    },
    removeCard: async () => undefined,
  };
}
