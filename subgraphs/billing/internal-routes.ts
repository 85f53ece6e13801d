/**
 * Billing's internal contract, called by the actions subgraph when a job finishes:
 * POST /internal/charges {id (the job's id), project_id, action_id, action_name, unit_name, unit_price_minor,
 * quantity, amount_minor, currency, occurred_at} answers 200 {created: true}, or {created: false} when that
 * id was recorded before (a retried call never charges twice). Only callers signing a `system` identity
 * with the shared secret are answered, as accounts' internal routes.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { onlySystemCallers, type IdentityGuard } from '../kit/identity-guard.ts';
import type { Clock } from './clock.ts';
import { recordCharge, type ChargeInput } from './invoices/ledger.ts';
import { CURRENCIES } from './invoices/money.ts';
import type { BillingDatabase } from './store.ts';

export interface InternalRoutesOptions {
  db: Kysely<BillingDatabase>;
  identity: IdentityGuard;
  clock: Clock;
}

/** Far above any real charge, far below the integers a double holds exactly. */
const MAX_MINOR = 1_000_000_000_000;
const text = { type: 'string', minLength: 1, maxLength: 200 } as const;
const count = { type: 'integer', minimum: 0, maximum: MAX_MINOR } as const;

const chargeSchema = {
  type: 'object',
  required: [
    'id',
    'project_id',
    'action_id',
    'action_name',
    'unit_name',
    'unit_price_minor',
    'quantity',
    'amount_minor',
    'currency',
    'occurred_at',
  ],
  additionalProperties: false,
  properties: {
    id: text,
    project_id: text,
    action_id: text,
    action_name: text,
    unit_name: text,
    unit_price_minor: count,
    quantity: count,
    amount_minor: count,
    currency: { type: 'string', enum: CURRENCIES },
    occurred_at: { type: 'string', format: 'date-time', maxLength: 40 },
  },
} as const;

export function registerInternalRoutes(app: FastifyInstance, { db, identity, clock }: InternalRoutesOptions): void {
  const onlySystem = onlySystemCallers(identity, 'This route only answers the platform');

  app.post<{ Body: ChargeInput }>(
    '/internal/charges',
    { preValidation: onlySystem, schema: { body: chargeSchema } },
    async (request, reply) => {
      const charge = request.body;
      if (charge.amount_minor !== charge.unit_price_minor * charge.quantity) {
        return reply.code(400).send({ error: 'amount_minor must equal unit_price_minor × quantity' });
      }
      const occurredAt = new Date(charge.occurred_at).toISOString();
      return { created: await recordCharge(db, { ...charge, occurred_at: occurredAt }, clock.now()) };
    },
  );
}
