/**
 * A project's saved cards, with the rule that exactly one of them is the default while any exists: the
 * first card saved becomes it, and removing the default hands it to the newest card left.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { BillingDatabase, CardLinkRow, PaymentCardRow } from '../store.ts';
import { hashToken } from '../links.ts';
import type { SavedCard } from './provider.ts';

type Db = Kysely<BillingDatabase>;

export async function saveCard(db: Db, projectId: string, provider: string, card: SavedCard, now: Date): Promise<PaymentCardRow> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('payment_cards')
      .select('id')
      .where('project_id', '=', projectId)
      .where('is_default', '=', 1)
      .executeTakeFirst();
    const row: PaymentCardRow = {
      id: `card_${randomUUID().replaceAll('-', '')}`,
      project_id: projectId,
      provider,
      provider_token: card.token,
      brand: card.brand,
      last4: card.last4,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      is_default: existing ? 0 : 1,
      created_at: now.toISOString(),
    };
    await trx.insertInto('payment_cards').values(row).execute();
    return row;
  });
}

/** Removes the card; returns it, or undefined when the project has no such card. */
export async function removeCard(db: Db, projectId: string, cardId: string): Promise<PaymentCardRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const card = await trx
      .selectFrom('payment_cards')
      .selectAll()
      .where('id', '=', cardId)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    if (!card) return undefined;
    await trx.deleteFrom('payment_cards').where('id', '=', card.id).execute();
    if (card.is_default === 1) {
      const next = await trx
        .selectFrom('payment_cards')
        .select('id')
        .where('project_id', '=', projectId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      if (next) await trx.updateTable('payment_cards').set({ is_default: 1 }).where('id', '=', next.id).execute();
    }
    return card;
  });
}

/** Makes the card the project's default; false when the project has no such card. */
export async function setDefaultCard(db: Db, projectId: string, cardId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const card = await trx
      .selectFrom('payment_cards')
      .select('id')
      .where('id', '=', cardId)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    if (!card) return false;
    await trx.updateTable('payment_cards').set({ is_default: 0 }).where('project_id', '=', projectId).execute();
    await trx.updateTable('payment_cards').set({ is_default: 1 }).where('id', '=', card.id).execute();
    return true;
  });
}

/** The add-card link a token names, if it is unused and has not expired. */
export async function openCardLink(db: Db, token: string, now: Date): Promise<CardLinkRow | undefined> {
  if (token.length === 0 || token.length > 100) return undefined;
  return db
    .selectFrom('card_links')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
}

/** Marks the link used; false if it was used meanwhile (two tabs), so that one link saves one card. */
export async function useCardLink(db: Db, link: CardLinkRow, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('card_links')
    .set({ used_at: now.toISOString() })
    .where('token_hash', '=', link.token_hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
