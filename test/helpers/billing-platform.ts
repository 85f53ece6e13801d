/**
 * The platform with accounts and billing, for the billing tests: billing runs on a clock the test moves,
 * charges are made as the actions subgraph makes them (POST /internal/charges, signed as the platform),
 * and members of the bootstrapped project can be made with any role.
 */
import { randomUUID } from 'node:crypto';
import { createBillingDefinition } from '../../subgraphs/billing/index.ts';
import type { Clock } from '../../subgraphs/billing/clock.ts';
import { signedRequestHeaders, SYSTEM, type Principal } from '../../core/identity.ts';
import type { Role } from '../../subgraphs/kit/permissions.ts';
import { ADMIN_KEY, login, startAccountsPlatform, type AccountsPlatform } from './accounts-platform.ts';
import { atBilling } from './billing-client.ts';
import { IDENTITY_SECRET } from './platform.ts';

/** Who signs a charge: a principal (with another secret, to forge), or nobody. */
export type ChargeSigner = { principal: Principal; secret?: string } | 'unsigned';

/** A clock the test sets. */
export interface TestClock extends Clock {
  set(iso: string): void;
}

export function createTestClock(iso: string): TestClock {
  let current = new Date(iso);
  return { now: () => new Date(current), set: (next) => (current = new Date(next)) };
}

export interface Charge {
  id: string;
  project_id: string;
  action_id: string;
  action_name: string;
  unit_name: string;
  unit_price_minor: number;
  quantity: number;
  amount_minor: number;
  currency: string;
  occurred_at: string;
}

export interface BillingPlatform extends AccountsPlatform {
  clock: TestClock;
  billingOrigin: string;
  /** POSTs a charge to billing's /internal/charges as the platform does; fields not given get defaults. */
  /** Posts a charge to /internal/charges, signed as `signer` says (default: a system identity with the shared secret). */
  charge(charge: Partial<Charge> & { project_id: string }, signer?: ChargeSigner): Promise<{ status: number; body: any }>;
  /** A link billing handed out, pointed at where billing listens in this test (its public URL is set before its port is known). */
  local(link: string): string;
  /** Logs in a new user with `role` in `projectId` (added by the ADMIN key); returns their token. */
  member(role: Role, projectId?: string): Promise<string>;
}

export async function startBillingPlatform({
  now = '2026-03-10T12:00:00Z',
  subgraphEnv = {},
  gatewayEnv = {},
} = {}): Promise<BillingPlatform> {
  const clock = createTestClock(now);
  const platform = await startAccountsPlatform(
    { MONTH_CLOSE_INTERVAL_MS: '25', ...subgraphEnv },
    { extraSubgraphs: [createBillingDefinition({ clock })], gatewayEnv },
  );
  const billingOrigin = new URL(platform.subgraphUrls.billing!).origin;
  return {
    ...platform,
    clock,
    billingOrigin,
    async charge(partial, signer = { principal: SYSTEM }) {
      const unitPrice = partial.unit_price_minor ?? 125;
      const quantity = partial.quantity ?? 2;
      const body: Charge = {
        id: randomUUID(),
        action_id: 'action-upscale',
        action_name: 'Upscale image',
        unit_name: 'image',
        unit_price_minor: unitPrice,
        quantity,
        amount_minor: unitPrice * quantity,
        currency: 'USD',
        occurred_at: clock.now().toISOString(),
        ...partial,
      };
      const text = JSON.stringify(body);
      const identity =
        signer === 'unsigned'
          ? {}
          : signedRequestHeaders({
              principal: signer.principal,
              audience: 'billing',
              path: '/internal/charges',
              body: text,
              secret: signer.secret ?? IDENTITY_SECRET,
            });
      const response = await fetch(`${billingOrigin}/internal/charges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...identity },
        body: text,
      });
      return { status: response.status, body: await response.json() };
    },
    local: (link) => atBilling(billingOrigin, link),
    async member(role, projectId = platform.projectId) {
      const email = `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
      await platform.ok(
        ADMIN_KEY,
        'mutation ($p: String!, $e: String!, $r: Role!) { add_project_member(project_id: $p, email: $e, role: $r) { id } }',
        { p: projectId, e: email, r: role },
      );
      return login(platform, email);
    },
  };
}

/** A row of billing's `charges` table, for tests that write the store directly. */
export function chargeRow(projectId: string, amountMinor: number, at = new Date()) {
  const iso = at.toISOString();
  return {
    id: randomUUID(),
    project_id: projectId,
    month_id: iso.slice(0, 7),
    action_id: 'action-test',
    action_name: 'Test job',
    unit_name: 'job',
    unit_price_minor: amountMinor,
    quantity: 1,
    amount_minor: amountMinor,
    currency: 'USD',
    occurred_at: iso,
    recorded_at: iso,
  };
}
