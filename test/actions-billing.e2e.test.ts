import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChargeSender } from '../subgraphs/actions/charges.ts';
import { ADMIN_KEY, startActionsPlatform, type ActionsPlatform } from './helpers/actions-platform.ts';
import { IDENTITY_SECRET } from './helpers/platform.ts';

describe('usage charged to billing', () => {
  let platform: ActionsPlatform;
  beforeAll(async () => (platform = await startActionsPlatform()), 60_000);
  afterAll(() => platform?.stop());

  const spend = async () =>
    (await platform.ok(ADMIN_KEY, 'query ($id: String!) { get_project(id: $id) { current_spend } }', { id: platform.projectId }))
      .get_project.current_spend as number;

  async function spendReaches(expected: number): Promise<number> {
    let current = await spend();
    for (let tries = 0; tries < 200 && Math.abs(current - expected) > 1e-9; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      current = await spend();
    }
    return current;
  }

  it('raises current_spend by what each completed job cost, within seconds', async () => {
    const before = await spend();
    const short = await platform.runJob(ADMIN_KEY, 'text-sentiment', { text: 'good' });
    const long = await platform.runJob(ADMIN_KEY, 'text-sentiment', { text: 'good '.repeat(500) });
    const pdf = await platform.runJob(ADMIN_KEY, 'pdf-from-text', { text: 'A page' });
    expect([short.billing_request_cost, long.billing_request_cost, pdf.billing_request_cost]).toEqual([0.01, 0.03, 0.02]);
    expect(long.billing_request_quantity).toBe(3);
    expect(await spendReaches(before + 0.06)).toBeCloseTo(before + 0.06, 9);

    const failed = await platform.runJob(ADMIN_KEY, 'image-metadata', { image: 'data:image/png;base64,AAAA' });
    expect(failed.status).toBe('FAILED');
    const charges = await platform.subgraphs
      .actions!.store.db.selectFrom('queue_jobs')
      .select(['idempotency_key', 'status'])
      .where('kind', '=', 'charge')
      .execute();
    expect(charges.map((charge) => charge.idempotency_key).sort()).toEqual([short.id, long.id, pdf.id].map((id) => `charge:${id}`).sort());
    expect(charges.every((charge) => charge.status === 'COMPLETED')).toBe(true);
  });

  it('charges a job once however often the charge is sent', async () => {
    const job = await platform.runJob(ADMIN_KEY, 'qr-code', { text: 'once' });
    const db = platform.subgraphs.actions!.store.db;
    const chargeOf = () =>
      db.selectFrom('queue_jobs').select(['payload', 'status']).where('idempotency_key', '=', `charge:${job.id}`).executeTakeFirstOrThrow();
    let charge = await chargeOf();
    for (let tries = 0; tries < 200 && charge.status !== 'COMPLETED'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      charge = await chargeOf();
    }
    expect(charge.status).toBe('COMPLETED');
    const afterJob = await spend();
    // A retry after a lost answer sends the same charge again: billing keeps the first.
    const again = await createChargeSender({ billingUrl: platform.billingOrigin, identitySecret: IDENTITY_SECRET })(
      JSON.parse(charge.payload),
    );
    expect(again).toEqual({ created: false });
    expect(await spend()).toBeCloseTo(afterJob, 9);
  });
});
