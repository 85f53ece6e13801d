/**
 * Billing's tables and their migrations. Money is kept in integer minor units (cents) with its currency;
 * booleans are 0/1 integers so that SQLite and Postgres store them alike.
 */
import type { Kysely, Migration } from 'kysely';
import { loadReferenceData } from './reference/load-reference-data.ts';

/** One billable amount made by a job, as POST /internal/charges recorded it. */
export interface ChargeRow {
  /** The job's id: the idempotency key. */
  id: string;
  project_id: string;
  /** The invoice month it counts in, `YYYY-MM` (UTC). */
  month_id: string;
  action_id: string;
  action_name: string;
  unit_name: string;
  unit_price_minor: number;
  quantity: number;
  amount_minor: number;
  currency: string;
  occurred_at: string;
  recorded_at: string;
}

/** One project's month. Its amounts are the sums of its charges; its status is derived (see invoices/status.ts). */
export interface InvoiceRow {
  id: string;
  project_id: string;
  month_id: string;
  currency: string;
  period_start: string;
  period_end: string;
  /** When the scheduled task closed the month; null while charges may still arrive. */
  closed_at: string | null;
  due_date: string | null;
  paid_at: string | null;
  payment_card_id: string | null;
  /** The provider's id of the payment (Stripe: a PaymentIntent). */
  provider_payment_id: string | null;
  /** The provider's message for the last declined payment. */
  payment_error: string | null;
}

export interface CountryRow {
  id: string;
  name: string;
  iso2: string;
  iso3: string;
  emoji: string;
}

export interface StateRow {
  /** The ISO 3166-2 code, e.g. `US-CA`. */
  id: string;
  country_id: string;
  name: string;
  /** The code's part after the country, e.g. `CA`. */
  iso2: string;
}

export interface CityRow {
  /** The GeoNames id. */
  id: string;
  country_id: string;
  state_id: string | null;
  name: string;
}

export interface BillingInfoRow {
  project_id: string;
  name: string;
  email: string;
  address_line_1: string;
  address_line_2: string | null;
  address_city: string | null;
  address_postal_code: string | null;
  address_state: string | null;
  address_country: string;
  updated_at: string;
}

export interface TaxIdentifierRow {
  id: string;
  project_id: string;
  country: string;
  type: string;
  value: string;
  created_at: string;
}

/** What a provider tells of a card: never its number nor its CVC. */
export interface PaymentCardRow {
  id: string;
  project_id: string;
  provider: string;
  provider_token: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  is_default: number;
  created_at: string;
}

/** A link to the add-card page: single-use, expiring; only the hash of its token is kept. */
export interface CardLinkRow {
  token_hash: string;
  project_id: string;
  success_url: string;
  cancel_url: string;
  expires_at: string;
  used_at: string | null;
  /** Stripe's Checkout Session id, when Stripe serves the page. */
  provider_session_id: string | null;
}

/** The Stripe customer of a project, made at its first add-card link when Stripe is the provider. */
export interface StripeCustomerRow {
  project_id: string;
  customer_id: string;
}

export interface BillingDatabase {
  charges: ChargeRow;
  invoices: InvoiceRow;
  countries: CountryRow;
  states: StateRow;
  cities: CityRow;
  billing_info: BillingInfoRow;
  tax_identifiers: TaxIdentifierRow;
  payment_cards: PaymentCardRow;
  card_links: CardLinkRow;
  stripe_customers: StripeCustomerRow;
}

export const migrations: Record<string, Migration> = {
  '001_charges': {
    // The placeholder table of the first billing (real dollars, one description); 002 replaces it.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('charges')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) => column.notNull())
        .addColumn('amount', 'real', (column) => column.notNull())
        .addColumn('description', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('charges_project_created').on('charges').columns(['project_id', 'created_at']).execute();
    },
  },
  '002_invoices': {
    // The placeholder was only ever written by tests: it is dropped, not converted.
    async up(db: Kysely<any>) {
      await db.schema.dropTable('charges').execute();
      await db.schema
        .createTable('charges')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) => column.notNull())
        .addColumn('month_id', 'text', (column) => column.notNull())
        .addColumn('action_id', 'text', (column) => column.notNull())
        .addColumn('action_name', 'text', (column) => column.notNull())
        .addColumn('unit_name', 'text', (column) => column.notNull())
        .addColumn('unit_price_minor', 'bigint', (column) => column.notNull())
        .addColumn('quantity', 'bigint', (column) => column.notNull())
        .addColumn('amount_minor', 'bigint', (column) => column.notNull())
        .addColumn('currency', 'text', (column) => column.notNull())
        .addColumn('occurred_at', 'text', (column) => column.notNull())
        .addColumn('recorded_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('charges_project_month').on('charges').columns(['project_id', 'month_id']).execute();
      await db.schema
        .createTable('invoices')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) => column.notNull())
        .addColumn('month_id', 'text', (column) => column.notNull())
        .addColumn('currency', 'text', (column) => column.notNull())
        .addColumn('period_start', 'text', (column) => column.notNull())
        .addColumn('period_end', 'text', (column) => column.notNull())
        .addColumn('closed_at', 'text')
        .addColumn('due_date', 'text')
        .addColumn('paid_at', 'text')
        .addColumn('payment_card_id', 'text')
        .addColumn('provider_payment_id', 'text')
        .addColumn('payment_error', 'text')
        .addUniqueConstraint('invoices_project_month', ['project_id', 'month_id'])
        .execute();
      await db.schema.createIndex('invoices_open').on('invoices').columns(['closed_at', 'period_end']).execute();
    },
  },
  '003_reference_data': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('countries')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('iso2', 'text', (column) => column.notNull())
        .addColumn('iso3', 'text', (column) => column.notNull())
        .addColumn('emoji', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('states')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('country_id', 'text', (column) => column.notNull().references('countries.id'))
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('iso2', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('states_country').on('states').column('country_id').execute();
      await db.schema
        .createTable('cities')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('country_id', 'text', (column) => column.notNull().references('countries.id'))
        .addColumn('state_id', 'text', (column) => column.references('states.id'))
        .addColumn('name', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('cities_state').on('cities').column('state_id').execute();
      await loadReferenceData(db);
    },
  },
  '004_billing_info_and_cards': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('billing_info')
        .addColumn('project_id', 'text', (column) => column.primaryKey())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('email', 'text', (column) => column.notNull())
        .addColumn('address_line_1', 'text', (column) => column.notNull())
        .addColumn('address_line_2', 'text')
        .addColumn('address_city', 'text')
        .addColumn('address_postal_code', 'text')
        .addColumn('address_state', 'text')
        .addColumn('address_country', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('tax_identifiers')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) => column.notNull())
        .addColumn('country', 'text', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('value', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addUniqueConstraint('tax_identifiers_project_value', ['project_id', 'type', 'value'])
        .execute();
      await db.schema
        .createTable('payment_cards')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) => column.notNull())
        .addColumn('provider', 'text', (column) => column.notNull())
        .addColumn('provider_token', 'text', (column) => column.notNull())
        .addColumn('brand', 'text', (column) => column.notNull())
        .addColumn('last4', 'text', (column) => column.notNull())
        .addColumn('exp_month', 'integer', (column) => column.notNull())
        .addColumn('exp_year', 'integer', (column) => column.notNull())
        .addColumn('is_default', 'integer', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('payment_cards_project').on('payment_cards').column('project_id').execute();
      await db.schema
        .createTable('card_links')
        .addColumn('token_hash', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) => column.notNull())
        .addColumn('success_url', 'text', (column) => column.notNull())
        .addColumn('cancel_url', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .addColumn('used_at', 'text')
        .addColumn('provider_session_id', 'text')
        .execute();
      await db.schema
        .createTable('stripe_customers')
        .addColumn('project_id', 'text', (column) => column.primaryKey())
        .addColumn('customer_id', 'text', (column) => column.notNull())
        .execute();
    },
  },
};
