/**
 * A small local fake of the Stripe API endpoints billing's Stripe provider uses, for the Stripe SDK to
 * call through its host/port settings, plus the "hosted page" a Checkout Session URL leads to:
 * `GET /pay/:session?card=pm_card_visa` completes the session with that test card and redirects to the
 * session's success_url, as Stripe Checkout does when the person saves a card. It records every call.
 */
import Fastify from 'fastify';

export interface FakeStripe {
  url: string;
  /** Every API call: method, path, the form body, and the Idempotency-Key and Authorization headers. */
  calls: { method: string; path: string; body: Record<string, string>; idempotencyKey?: string; authorization?: string }[];
  stop(): Promise<void>;
}

const TEST_CARDS: Record<string, { brand: string; last4: string }> = {
  pm_card_visa: { brand: 'visa', last4: '4242' },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0341' },
};

export async function startFakeStripe(): Promise<FakeStripe> {
  const app = Fastify();
  const calls: FakeStripe['calls'] = [];
  const sessions = new Map<string, Record<string, any>>();
  let counter = 0;
  const id = (prefix: string) => `${prefix}_fake${++counter}`;
  const paymentMethod = (pmId: string) => ({
    id: pmId,
    object: 'payment_method',
    type: 'card',
    card: { ...TEST_CARDS[pmId], exp_month: 12, exp_year: 2031 },
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/v1/')) return;
    calls.push({
      method: request.method,
      path: request.url.split('?')[0]!,
      body: {},
      idempotencyKey: request.headers['idempotency-key'] as string | undefined,
      authorization: request.headers.authorization,
    });
  });
  app.addHook('preHandler', async (request) => {
    if (request.url.startsWith('/v1/') && request.body) calls[calls.length - 1]!.body = request.body as Record<string, string>;
  });

  app.post('/v1/customers', async () => ({ id: id('cus'), object: 'customer' }));
  app.post<{ Body: Record<string, string> }>('/v1/checkout/sessions', async (request) => {
    const sessionId = id('cs_test');
    const session = {
      id: sessionId,
      object: 'checkout.session',
      mode: request.body.mode,
      customer: request.body.customer,
      success_url: request.body.success_url,
      cancel_url: request.body.cancel_url,
      status: 'open',
      setup_intent: null as unknown,
      url: `${address}/pay/${sessionId}`,
    };
    sessions.set(sessionId, session);
    return session;
  });
  app.get<{ Params: { id: string } }>('/v1/checkout/sessions/:id', async (request, reply) => {
    const session = sessions.get(request.params.id);
    if (!session) return reply.code(404).send({ error: { type: 'invalid_request_error', message: 'No such checkout.session' } });
    return session;
  });
  app.get<{ Params: { id: string }; Querystring: { card: string } }>('/pay/:id', async (request, reply) => {
    const session = sessions.get(request.params.id)!;
    Object.assign(session, {
      status: 'complete',
      setup_intent: { id: id('seti'), object: 'setup_intent', payment_method: paymentMethod(request.query.card) },
    });
    return reply.redirect(String(session.success_url).replace('{CHECKOUT_SESSION_ID}', session.id), 303);
  });
  app.post<{ Body: Record<string, string> }>('/v1/payment_intents', async (request, reply) => {
    if (request.body.payment_method === 'pm_card_chargeDeclined') {
      return reply.code(402).send({
        error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' },
      });
    }
    return {
      id: id('pi'),
      object: 'payment_intent',
      status: 'succeeded',
      amount: Number(request.body.amount),
      currency: request.body.currency,
    };
  });
  app.post<{ Params: { id: string } }>('/v1/payment_methods/:id/detach', async (request) => ({
    ...paymentMethod(request.params.id),
    customer: null,
  }));

  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: address, calls, stop: () => app.close() };
}
