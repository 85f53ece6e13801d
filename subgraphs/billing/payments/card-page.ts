/**
 * The hosted add-card page, reached through the single-use link `get_add_payment_card_link` returns:
 *
 * - GET  /billing/cards/new?token=: the form (local provider): card number, expiry, CVC, name.
 * - POST /billing/cards/new: checks the fields (Luhn, expiry not past, CVC), has the local provider save
 *   the card, then sends the browser to success_url; "Cancel" sends it to cancel_url. Both use the link up.
 *   A declined card shows the provider's message and leaves the link usable.
 * - GET  /billing/cards/stripe-return?token=: where Stripe Checkout (setup mode) comes back; the card of
 *   the finished session is saved and the browser sent on to success_url.
 *
 * The number and the CVC live only in the POST body being handled: never stored, never logged (these
 * routes log at warn level, so not even their URLs with the link token are written).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { BillingDatabase, CardLinkRow } from '../store.ts';
import { checkTypedCard, type TypedCard } from './card-numbers.ts';
import { openCardLink, saveCard, useCardLink } from './cards.ts';
import type { LocalProvider } from './local-provider.ts';
import type { PaymentProvider } from './provider.ts';
import { cardForm, linkGonePage } from './card-page-html.ts';

export interface CardPageOptions {
  db: Kysely<BillingDatabase>;
  clock: Clock;
  provider: PaymentProvider | LocalProvider;
}

type CardForm = Partial<TypedCard> & { token?: string; action?: string };

function isLocal(provider: PaymentProvider | LocalProvider): provider is LocalProvider {
  return 'saveCard' in provider;
}

function securityHeaders(reply: FastifyReply, link?: CardLinkRow): FastifyReply {
  const targets = link ? [new URL(link.success_url).origin, new URL(link.cancel_url).origin] : [];
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header(
      'content-security-policy',
      `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self' ${targets.join(' ')}`.trim(),
    );
}

export async function registerCardPage(app: FastifyInstance, { db, clock, provider }: CardPageOptions): Promise<void> {
  // Encapsulated, so that form bodies are parsed for these routes only.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    scope.get<{ Querystring: { token?: string } }>('/billing/cards/new', { logLevel: 'warn' }, async (request, reply) => {
      const token = request.query.token ?? '';
      const link = isLocal(provider) ? await openCardLink(db, token, clock.now()) : undefined;
      if (!link) return securityHeaders(reply.code(410)).send(linkGonePage());
      return securityHeaders(reply, link).send(cardForm({ token }));
    });

    scope.post<{ Body: CardForm }>('/billing/cards/new', { logLevel: 'warn' }, async (request, reply) => {
      const form = request.body ?? {};
      const token = typeof form.token === 'string' ? form.token : '';
      const now = clock.now();
      const link = isLocal(provider) ? await openCardLink(db, token, now) : undefined;
      if (!link || !isLocal(provider)) return securityHeaders(reply.code(410)).send(linkGonePage());
      if (form.action === 'cancel') {
        await useCardLink(db, link, now);
        return reply.redirect(link.cancel_url, 303);
      }
      const typed: TypedCard = {
        number: String(form.number ?? ''),
        expiry: String(form.expiry ?? ''),
        cvc: String(form.cvc ?? ''),
        name: String(form.name ?? ''),
      };
      const check = checkTypedCard(typed, now);
      if (!check.ok)
        return securityHeaders(reply.code(422), link).send(
          cardForm({ token, name: typed.name, expiry: typed.expiry, error: check.message, field: check.field }),
        );
      const saved = provider.saveCard(check);
      if (!saved.ok)
        return securityHeaders(reply.code(402), link).send(
          cardForm({ token, name: typed.name, expiry: typed.expiry, error: saved.message, field: 'number' }),
        );
      if (!(await useCardLink(db, link, now))) return securityHeaders(reply.code(410)).send(linkGonePage());
      await saveCard(db, link.project_id, provider.name, saved.card, now);
      return reply.redirect(link.success_url, 303);
    });

    scope.get<{ Querystring: { token?: string } }>('/billing/cards/stripe-return', { logLevel: 'warn' }, async (request, reply) => {
      const now = clock.now();
      const link = await openCardLink(db, request.query.token ?? '', now);
      const card = link?.provider_session_id ? await provider.completeCardSetup(link.provider_session_id) : undefined;
      if (!link || !card) return securityHeaders(reply.code(410)).send(linkGonePage());
      if (!(await useCardLink(db, link, now))) return securityHeaders(reply.code(410)).send(linkGonePage());
      await saveCard(db, link.project_id, provider.name, card, now);
      return reply.redirect(link.success_url, 303);
    });
  });
}
