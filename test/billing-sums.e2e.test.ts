/**
 * Sums never off by a cent: 10,000 charges of random prices and quantities over three actions, each sent
 * through POST /internal/charges (some twice, as a retrying caller would), then current_spend, the
 * invoice's total and each item's amount compared with the exact integer sums the test keeps itself.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from './helpers/accounts-platform.ts';
import { startBillingPlatform, type BillingPlatform } from './helpers/billing-platform.ts';

const CHARGES = 10_000;
const CONCURRENCY = 16;
const ACTIONS = [
  { action_id: 'a-llm', action_name: 'Chat completion', unit_name: 'request' },
  { action_id: 'a-img', action_name: 'Generate image', unit_name: 'image' },
  { action_id: 'a-tts', action_name: 'Text to speech', unit_name: 'second' },
];

let platform: BillingPlatform;
beforeAll(async () => {
  platform = await startBillingPlatform({ now: '2026-11-15T08:00:00Z' });
});
afterAll(() => platform?.stop());

/** A seeded generator, so that a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('10,000 random charges', () => {
  it('add up exactly, to the cent, in current_spend, the invoice total and every item', { timeout: 300_000 }, async () => {
    const random = mulberry32(20261115);
    const expectedByAction = new Map(ACTIONS.map((action) => [action.action_id, 0]));
    const charges = Array.from({ length: CHARGES }, () => {
      const action = ACTIONS[Math.floor(random() * ACTIONS.length)]!;
      // Prices like $0.07, $1.99, $13.37: the ones a float sum gets wrong.
      const unitPrice = 1 + Math.floor(random() * 2000);
      const quantity = 1 + Math.floor(random() * 40);
      expectedByAction.set(action.action_id, expectedByAction.get(action.action_id)! + unitPrice * quantity);
      return {
        id: randomUUID(),
        project_id: platform.projectId,
        ...action,
        unit_price_minor: unitPrice,
        quantity,
        amount_minor: unitPrice * quantity,
      };
    });

    let next = 0;
    let duplicates = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < charges.length) {
          const charge = charges[next++]!;
          expect((await platform.charge(charge)).body).toEqual({ created: true });
          // One charge in fifty is sent again, as by a caller whose first answer was lost.
          if (random() < 0.02) {
            expect((await platform.charge(charge)).body).toEqual({ created: false });
            duplicates += 1;
          }
        }
      }),
    );
    expect(duplicates).toBeGreaterThan(0);

    const expectedTotal = [...expectedByAction.values()].reduce((sum, amount) => sum + amount, 0);
    const { get_project, list_project_invoices } = await platform.ok(
      ADMIN_KEY,
      'query ($p: String!) { get_project(id: $p) { current_spend } list_project_invoices(project_id: $p) { total_amount items { name amount quantity unit_price } } }',
      { p: platform.projectId },
    );
    expect(get_project.current_spend).toBe(expectedTotal / 100);
    const [invoice] = list_project_invoices;
    expect(invoice.total_amount).toBe(expectedTotal / 100);

    const itemCents = new Map<string, number>();
    for (const item of invoice.items) {
      const action = ACTIONS.find((candidate) => candidate.action_name === item.name)!;
      expect(Math.round(item.unit_price * 100) * item.quantity).toBe(Math.round(item.amount * 100));
      itemCents.set(action.action_id, (itemCents.get(action.action_id) ?? 0) + Math.round(item.amount * 100));
      expect(Number.isInteger(Math.round(item.amount * 100)) && Math.abs(item.amount * 100 - Math.round(item.amount * 100)) < 1e-6).toBe(
        true,
      );
    }
    expect(itemCents).toEqual(expectedByAction);
  });
});
