/** A project's payment cards: the add-card link, the list, removing one, choosing the default. */
import type { Resolvers } from '../generated/resolvers-types.ts';
import { authorize } from '../../kit/authorize.ts';
import { badUserInput, notFound } from '../../../core/errors.ts';
import { hashToken, newToken } from '../links.ts';
import type { BillingServices } from '../services.ts';
import { removeCard, setDefaultCard } from './cards.ts';

const MAX_URL_LENGTH = 2048;

function requireHttpUrl(value: string, argumentName: string): string {
  if (value.length > MAX_URL_LENGTH || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw badUserInput(argumentName, 'must be an absolute http(s) URL');
  }
  return new URL(value).href;
}

export function cardResolvers({ settings, clock, provider }: BillingServices): Resolvers {
  return {
    Query: {
      async get_add_payment_card_link(_root, args, { principal, db }) {
        authorize(principal, args.project_id, 'EDIT_BILLING_INFO');
        const successUrl = requireHttpUrl(args.success_url, 'success_url');
        const cancelUrl = requireHttpUrl(args.cancel_url, 'cancel_url');
        const token = newToken();
        const now = clock.now();
        const setup = await provider.startCardSetup({
          projectId: args.project_id,
          linkToken: token,
          returnUrl: `${settings.publicUrl}/billing/cards/stripe-return?token=${token}`,
          cancelUrl,
        });
        await db
          .insertInto('card_links')
          .values({
            token_hash: hashToken(token),
            project_id: args.project_id,
            success_url: successUrl,
            cancel_url: cancelUrl,
            expires_at: new Date(now.getTime() + settings.cardLinkTtlSeconds * 1000).toISOString(),
            used_at: null,
            provider_session_id: setup?.sessionId ?? null,
          })
          .execute();
        return setup?.url ?? `${settings.publicUrl}/billing/cards/new?token=${token}`;
      },
      async list_project_payment_cards(_root, { project_id }, { principal, db }) {
        authorize(principal, project_id, 'VIEW_BILLING_INFO');
        return db
          .selectFrom('payment_cards')
          .selectAll()
          .where('project_id', '=', project_id)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
      },
    },
    Mutation: {
      async remove_project_payment_card(_root, { id, project_id }, { principal, db }) {
        authorize(principal, project_id, 'CLEAR_BILLING_INFO');
        const removed = await removeCard(db, project_id, id);
        if (!removed) return false;
        await provider.removeCard({
          token: removed.provider_token,
          brand: removed.brand,
          last4: removed.last4,
          exp_month: removed.exp_month,
          exp_year: removed.exp_year,
        });
        return true;
      },
      async set_project_default_payment_card(_root, { id, project_id }, { principal, db }) {
        authorize(principal, project_id, 'EDIT_BILLING_INFO');
        if (!(await setDefaultCard(db, project_id, id))) throw notFound('Payment card', 'id');
        return true;
      },
    },
    PaymentCard: {
      is_default: (card) => card.is_default === 1,
    },
  };
}
