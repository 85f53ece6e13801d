/**
 * Usage charges: each COMPLETED job is charged to its project in billing once, by POST
 * `<billing>/internal/charges` with a system identity signed as the gateway signs one. Billing records a
 * charge once per id (the job id) and answers `{ created: false }` for a repeat, so a charge retried after a
 * lost answer or a crashed worker is still one charge. Any failure to get a 200 is transient: the outbox
 * retries until billing takes it.
 */
import { signedRequestHeaders, SYSTEM } from '../../core/identity.ts';
import { TransientError } from '../kit/queue/index.ts';

export interface Charge {
  id: string;
  project_id: string;
  action_id: string;
  action_name: string;
  unit_name: string;
  unit_price_minor: number;
  quantity: number;
  amount_minor: number;
  currency: 'USD';
  occurred_at: string;
}

export function createChargeSender({
  billingUrl,
  identitySecret,
  timeoutMs = 10_000,
}: {
  billingUrl: string | undefined;
  identitySecret: string;
  timeoutMs?: number;
}) {
  return async (charge: Charge): Promise<{ created: boolean }> => {
    if (!billingUrl) throw new TransientError('no billing URL is configured (BILLING_URL or billing in the supergraph config)');
    let response: Response;
    const body = JSON.stringify(charge);
    // Signed for this call alone: billing, this path, this body (a charge is a write, accepted once).
    const identity = signedRequestHeaders({
      principal: SYSTEM,
      audience: 'billing',
      path: `${new URL(billingUrl).pathname.replace(/\/$/, '')}/internal/charges`,
      body,
      secret: identitySecret,
    });
    try {
      // Billing is one of the platform's own services, not a user-given URL: a plain fetch.
      response = await fetch(`${billingUrl}/internal/charges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...identity },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new TransientError(`billing could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.status !== 200) throw new TransientError(`billing answered HTTP ${response.status}`);
    const answer = (await response.json()) as { created?: unknown };
    return { created: answer.created === true };
  };
}
