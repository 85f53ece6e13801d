/**
 * Where cards are kept and charged. Billing never sees a card's number or CVC after the provider has
 * them: it keeps only the provider's token, the brand, the last four digits and the expiry.
 */
export interface SavedCard {
  /** The provider's handle on the card (Stripe: a PaymentMethod id). */
  token: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
}

export interface CardSetupRequest {
  projectId: string;
  /** The add-card link's own token: the provider's page comes back to billing with it. */
  linkToken: string;
  /** Where billing takes the browser back once the card is saved (billing's return route). */
  returnUrl: string;
  cancelUrl: string;
}

export type ChargeOutcome = { ok: true; paymentId: string } | { ok: false; message: string };

export interface ChargeRequest {
  projectId: string;
  card: SavedCard;
  amountMinor: number;
  currency: string;
  description: string;
  /** The same key for a retried call of the same payment attempt: the provider charges it once. */
  idempotencyKey: string;
}

export interface PaymentProvider {
  readonly name: 'local' | 'stripe';
  /**
   * The page the browser is sent to for adding a card: undefined means billing's own hosted page
   * (the local provider); otherwise the provider's page (Stripe Checkout in setup mode) and its session.
   */
  startCardSetup(request: CardSetupRequest): Promise<{ url: string; sessionId: string } | undefined>;
  /** The card a finished provider page saved (Stripe: from the Checkout Session), or undefined if none. */
  completeCardSetup(sessionId: string): Promise<SavedCard | undefined>;
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  removeCard(card: SavedCard): Promise<void>;
}
