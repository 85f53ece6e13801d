/**
 * A project's billing info: who invoices are addressed to. The country and state are checked against the
 * reference tables, the email with validator.js, every other field for its length.
 */
import type { Resolvers } from './generated/resolvers-types.ts';
import validator from 'validator';
import { authorize } from '../kit/authorize.ts';
import { badUserInput, notFound } from '../../core/errors.ts';
import type { BillingInfoRow } from './store.ts';

const MAX_TEXT = 200;

function required(value: string, argumentName: string): string {
  const text = value.trim();
  if (text.length === 0 || text.length > MAX_TEXT) throw badUserInput(argumentName, `must be 1 to ${MAX_TEXT} characters`);
  return text;
}

function optional(value: string | null | undefined, argumentName: string): string | null {
  const text = value?.trim() ?? '';
  if (text.length > MAX_TEXT) throw badUserInput(argumentName, `must be at most ${MAX_TEXT} characters`);
  return text.length === 0 ? null : text;
}

export function billingInfoResolvers(): Resolvers {
  return {
    Query: {
      async get_project_billing_info(_root, { project_id }, { principal, db }) {
        authorize(principal, project_id, 'VIEW_BILLING_INFO');
        const info = await db.selectFrom('billing_info').selectAll().where('project_id', '=', project_id).executeTakeFirst();
        if (!info) throw notFound('Billing info', 'project_id');
        return info;
      },
    },
    Mutation: {
      async set_project_billing_info(_root, args, { principal, db }) {
        authorize(principal, args.project_id, 'EDIT_BILLING_INFO');
        const email = args.email.trim().toLowerCase();
        if (email.length > 254 || !validator.isEmail(email)) throw badUserInput('email', 'must be an email address');
        const countryCode = args.address_country.trim().toUpperCase();
        const country = await db
          .selectFrom('countries')
          .select('id')
          .where((eb) => eb.or([eb('iso2', '=', countryCode), eb('iso3', '=', countryCode)]))
          .executeTakeFirst();
        if (!country) throw badUserInput('address_country', 'must be an ISO 3166-1 country code, e.g. US (list_countries lists them)');
        const stateCode = optional(args.address_state, 'address_state')?.toUpperCase() ?? null;
        let state: string | null = null;
        if (stateCode) {
          const found = await db
            .selectFrom('states')
            .select('id')
            .where('country_id', '=', country.id)
            .where((eb) => eb.or([eb('id', '=', stateCode), eb('iso2', '=', stateCode)]))
            .executeTakeFirst();
          if (!found)
            throw badUserInput(
              'address_state',
              `must be a subdivision of ${country.id}, e.g. its ISO 3166-2 code (list_states lists them)`,
            );
          state = found.id;
        }
        const row: BillingInfoRow = {
          project_id: args.project_id,
          name: required(args.name, 'name'),
          email,
          address_line_1: required(args.address_line_1, 'address_line_1'),
          address_line_2: optional(args.address_line_2, 'address_line_2'),
          address_city: optional(args.address_city, 'address_city'),
          address_postal_code: optional(args.address_postal_code, 'address_postal_code'),
          address_state: state,
          address_country: country.id,
          updated_at: new Date().toISOString(),
        };
        const { project_id: _key, ...changes } = row;
        await db
          .insertInto('billing_info')
          .values(row)
          .onConflict((conflict) => conflict.column('project_id').doUpdateSet(changes))
          .execute();
        return row;
      },
    },
    BillingInfo: {
      id: (info) => info.project_id,
      address_country_details: async (info, _args, { db }) =>
        (await db.selectFrom('countries').selectAll().where('id', '=', info.address_country).executeTakeFirst()) ?? null,
    },
  };
}
