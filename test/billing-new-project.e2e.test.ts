/**
 * A project created in the same request that reads billing's fields of it: `create_project { current_spend }`.
 * The caller's signed principal was computed before the project existed; billing learns the caller's role
 * there from accounts (`@requires(fields: "my_role")`), and no error shown to a client names `_entities`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from './helpers/accounts-platform.ts';
import { startBillingPlatform, type BillingPlatform } from './helpers/billing-platform.ts';

let platform: BillingPlatform;
beforeAll(async () => {
  platform = await startBillingPlatform();
});
afterAll(() => platform?.stop());

describe('create_project { current_spend }', () => {
  it('answers a member of another project with the new project and its spend, 0, without error', async () => {
    const token = await platform.member('READONLY');
    const { body } = await platform.as(token, 'mutation { create_project(name: "x") { id my_role current_spend billing_link } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.create_project).toEqual({ id: expect.any(String), my_role: 'ADMIN', current_spend: 0, billing_link: null });
  });

  it('answers a brand-new user, whose credentials hold no role anywhere yet, the same', async () => {
    const token = await login(platform, 'first-timer@example.com');
    const { body } = await platform.as(token, 'mutation { create_project(name: "x") { id current_spend } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.create_project).toEqual({ id: expect.any(String), current_spend: 0 });
  });
});
