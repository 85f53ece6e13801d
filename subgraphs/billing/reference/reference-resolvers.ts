/**
 * Reference data from billing's tables (loaded by migration 003): countries (ISO 3166-1), their states
 * (ISO 3166-2 subdivisions) and cities. Public knowledge, so any signed-in caller may read it.
 */
import { requireAuthenticated } from '../../kit/authorize.ts';
import type { BillingContext } from '../resolvers.ts';
import type { CountryRow, StateRow } from '../store.ts';

export function referenceResolvers() {
  return {
    Query: {
      list_countries(_root: unknown, _args: unknown, { principal, db }: BillingContext) {
        requireAuthenticated(principal);
        return db.selectFrom('countries').selectAll().orderBy('name').execute();
      },
      list_states(_root: unknown, { country_id }: { country_id: string }, { principal, db }: BillingContext) {
        requireAuthenticated(principal);
        return db.selectFrom('states').selectAll().where('country_id', '=', country_id.toUpperCase()).orderBy('name').execute();
      },
      list_cities(_root: unknown, { state_id }: { state_id: string }, { principal, db }: BillingContext) {
        requireAuthenticated(principal);
        return db.selectFrom('cities').selectAll().where('state_id', '=', state_id.toUpperCase()).orderBy('name').execute();
      },
    },
    Country: {
      states: (country: CountryRow, _args: unknown, { db }: BillingContext) =>
        db.selectFrom('states').selectAll().where('country_id', '=', country.id).orderBy('name').execute(),
    },
    State: {
      country: (state: StateRow, _args: unknown, { db }: BillingContext) =>
        db.selectFrom('countries').selectAll().where('id', '=', state.country_id).executeTakeFirst(),
      cities: (state: StateRow, _args: unknown, { db }: BillingContext) =>
        db.selectFrom('cities').selectAll().where('state_id', '=', state.id).orderBy('name').execute(),
    },
  };
}
