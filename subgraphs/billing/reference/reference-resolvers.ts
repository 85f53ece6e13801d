/**
 * Reference data from billing's tables (loaded by migration 003): countries (ISO 3166-1), their states
 * (ISO 3166-2 subdivisions) and cities. Public knowledge, so any signed-in caller may read it.
 */
import type { Resolvers } from '../generated/resolvers-types.ts';
import { requireAuthenticated } from '../../kit/authorize.ts';

export function referenceResolvers(): Resolvers {
  return {
    Query: {
      list_countries(_root, _args, { principal, db }) {
        requireAuthenticated(principal);
        return db.selectFrom('countries').selectAll().orderBy('name').execute();
      },
      list_states(_root, { country_id }, { principal, db }) {
        requireAuthenticated(principal);
        return db.selectFrom('states').selectAll().where('country_id', '=', country_id.toUpperCase()).orderBy('name').execute();
      },
      list_cities(_root, { state_id }, { principal, db }) {
        requireAuthenticated(principal);
        return db.selectFrom('cities').selectAll().where('state_id', '=', state_id.toUpperCase()).orderBy('name').execute();
      },
    },
    Country: {
      states: (country, _args, { db }) =>
        db.selectFrom('states').selectAll().where('country_id', '=', country.id).orderBy('name').execute(),
    },
    State: {
      country: async (state, _args, { db }) =>
        (await db.selectFrom('countries').selectAll().where('id', '=', state.country_id).executeTakeFirst()) ?? null,
      cities: async (state, _args, { db }) =>
        db.selectFrom('cities').selectAll().where('state_id', '=', state.id).orderBy('name').execute(),
    },
  };
}
