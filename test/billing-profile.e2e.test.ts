/**
 * Reference data (countries, states, cities from the tables migrations load), billing info (country, state
 * and email validated) and tax identifiers (every type Stripe's SDK names; values checked per type), with
 * the roles of the Permissions table, through the gateway.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from './helpers/accounts-platform.ts';
import { startBillingPlatform, type BillingPlatform } from './helpers/billing-platform.ts';

const SET_INFO = `mutation ($p: String!, $name: String!, $email: String!, $l1: String!, $country: String!, $state: String, $city: String, $zip: String) {
  set_project_billing_info(project_id: $p, name: $name, email: $email, address_line_1: $l1, address_country: $country, address_state: $state, address_city: $city, address_postal_code: $zip) {
    id name email address_line_1 address_line_2 address_city address_postal_code address_state address_country address_country_details { iso2 iso3 name emoji }
  }
}`;
const ADD_TAX = 'mutation ($p: String!, $t: String!, $v: String!) { add_project_tax_identifier(project_id: $p, type: $t, value: $v) }';
const LIST_TAX =
  'query ($p: String!) { list_project_tax_identifiers(project_id: $p) { id country type value type_name country_details { name } } }';

let platform: BillingPlatform;
beforeAll(async () => {
  platform = await startBillingPlatform();
});
afterAll(() => platform?.stop());

function errorOf(response: { body: { errors?: { extensions?: Record<string, any> }[] } }) {
  return response.body.errors?.[0]?.extensions;
}

describe('reference data', () => {
  it('lists every ISO 3166-1 country with its codes and flag, its ISO 3166-2 states, and their cities', async () => {
    const { list_countries } = await platform.ok(ADMIN_KEY, '{ list_countries { id name iso2 iso3 emoji } }');
    expect(list_countries.length).toBe(249);
    expect(list_countries).toContainEqual({ id: 'FR', name: 'France', iso2: 'FR', iso3: 'FRA', emoji: '🇫🇷' });

    const { list_states } = await platform.ok(ADMIN_KEY, '{ list_states(country_id: "US") { id country_id name iso2 country { iso3 } } }');
    expect(list_states).toContainEqual({ id: 'US-CA', country_id: 'US', name: 'California', iso2: 'CA', country: { iso3: 'USA' } });

    const { list_cities } = await platform.ok(ADMIN_KEY, '{ list_cities(state_id: "US-CA") { id country_id state_id name } }');
    expect(list_cities.map((city: { name: string }) => city.name)).toEqual(
      expect.arrayContaining(['Los Angeles', 'San Francisco', 'San Diego']),
    );
    expect(
      list_cities.every((city: { country_id: string; state_id: string }) => city.country_id === 'US' && city.state_id === 'US-CA'),
    ).toBe(true);
  });

  it('is refused to anonymous callers', async () => {
    expect(errorOf(await platform.query('{ list_countries { id } }'))?.code).toBe('UNAUTHENTICATED');
  });
});

describe('billing info', () => {
  const valid = {
    name: 'Acme Ltd',
    email: 'Billing@Acme.example',
    l1: '1 Main St',
    country: 'us',
    state: 'CA',
    city: 'San Francisco',
    zip: '94105',
  };

  it('is set and read back, the state given by its code within the country', async () => {
    const set = (await platform.ok(ADMIN_KEY, SET_INFO, { p: platform.projectId, ...valid })).set_project_billing_info;
    expect(set).toEqual({
      id: platform.projectId,
      name: 'Acme Ltd',
      email: 'billing@acme.example',
      address_line_1: '1 Main St',
      address_line_2: null,
      address_city: 'San Francisco',
      address_postal_code: '94105',
      address_state: 'US-CA',
      address_country: 'US',
      address_country_details: { iso2: 'US', iso3: 'USA', name: 'United States of America', emoji: '🇺🇸' },
    });
    const read = await platform.ok(
      ADMIN_KEY,
      'query ($p: String!) { get_project_billing_info(project_id: $p) { id name email address_state } }',
      { p: platform.projectId },
    );
    expect(read.get_project_billing_info).toEqual({
      id: platform.projectId,
      name: 'Acme Ltd',
      email: 'billing@acme.example',
      address_state: 'US-CA',
    });
  });

  it('refuses an unknown country, a state of another country, a bad email, naming the argument, and changes nothing', async () => {
    for (const [change, argumentName] of [
      [{ country: 'XX' }, 'address_country'],
      [{ state: 'BY' }, 'address_state'],
      [{ email: 'not an email' }, 'email'],
      [{ name: '  ' }, 'name'],
    ] as const) {
      expect(errorOf(await platform.as(ADMIN_KEY, SET_INFO, { p: platform.projectId, ...valid, ...change }))).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName,
      });
    }
    const read = await platform.ok(ADMIN_KEY, 'query ($p: String!) { get_project_billing_info(project_id: $p) { email address_state } }', {
      p: platform.projectId,
    });
    expect(read.get_project_billing_info).toEqual({ email: 'billing@acme.example', address_state: 'US-CA' });
  });

  it('is for ADMIN and FINANCE only', async () => {
    const finance = await platform.member('FINANCE');
    expect(
      (await platform.ok(finance, 'query ($p: String!) { get_project_billing_info(project_id: $p) { name } }', { p: platform.projectId }))
        .get_project_billing_info.name,
    ).toBe('Acme Ltd');
    for (const role of ['DEVELOPER', 'READONLY'] as const) {
      const token = await platform.member(role);
      expect(
        errorOf(
          await platform.as(token, 'query ($p: String!) { get_project_billing_info(project_id: $p) { name } }', { p: platform.projectId }),
        )?.code,
      ).toBe('FORBIDDEN');
      expect(errorOf(await platform.as(token, SET_INFO, { p: platform.projectId, ...valid }))?.code).toBe('FORBIDDEN');
    }
  });
});

describe('tax identifiers', () => {
  it('lists every type the Stripe SDK names, each with its country, name and example', async () => {
    const { list_tax_identifier_types } = await platform.ok(ADMIN_KEY, '{ list_tax_identifier_types { type country name example } }');
    const sdk = readFileSync('node_modules/stripe/esm/resources/TaxIds.d.ts', 'utf8');
    const stripeTypes = new Set([.../type Type = ([^;]+);/.exec(sdk)![1]!.matchAll(/'([a-z_]+)'/g)].map((match) => match[1]));
    stripeTypes.delete('unknown');
    expect(stripeTypes.size).toBeGreaterThan(100);
    expect(new Set(list_tax_identifier_types.map((row: { type: string }) => row.type))).toEqual(stripeTypes);
    expect(list_tax_identifier_types.every((row: Record<string, string>) => row.country && row.name && row.example)).toBe(true);
    expect(list_tax_identifier_types).toContainEqual({
      type: 'eu_vat',
      country: 'DE',
      name: 'European VAT number',
      // Stripe's DE123456789 fails its check digits: the example is a number a user may copy.
      example: 'DE136695976',
    });
  });

  it('checks each value for its type: check digits where stdnum covers it, the documented shape otherwise', async () => {
    const accepted = [
      ['eu_vat', 'DE136695976'],
      ['eu_vat', 'EL094259216'],
      ['us_ein', '04-2103594'],
      ['br_cnpj', '16.727.230/0001-97'],
      ['gb_vat', 'GB980780684'],
      ['ae_trn', '100123456700003'],
    ];
    for (const [type, value] of accepted)
      expect(await platform.ok(ADMIN_KEY, ADD_TAX, { p: platform.projectId, t: type, v: value }), `${type} ${value}`).toEqual({
        add_project_tax_identifier: true,
      });

    const refused = [
      ['eu_vat', 'DE136695978', 'value'], // a wrong check digit
      ['eu_vat', 'ZZ123456789', 'value'], // no such country prefix
      ['br_cnpj', '16.727.230/0001-98', 'value'],
      ['us_ein', '07-1234567', 'value'], // a prefix the IRS never assigns
      ['ae_trn', '1001234567', 'value'], // too short for its shape
      ['xx_tin', '123', 'type'],
    ];
    for (const [type, value, argumentName] of refused) {
      expect(
        errorOf(await platform.as(ADMIN_KEY, ADD_TAX, { p: platform.projectId, t: type, v: value })),
        `${type} ${value}`,
      ).toMatchObject({ code: 'BAD_USER_INPUT', argumentName });
    }
    const listed = (await platform.ok(ADMIN_KEY, LIST_TAX, { p: platform.projectId })).list_project_tax_identifiers;
    expect(listed.map((taxId: { type: string; value: string; country: string }) => [taxId.type, taxId.country, taxId.value])).toEqual([
      ['eu_vat', 'DE', 'DE136695976'],
      ['eu_vat', 'GR', 'EL094259216'],
      ['us_ein', 'US', '04-2103594'],
      ['br_cnpj', 'BR', '16.727.230/0001-97'],
      ['gb_vat', 'GB', 'GB980780684'],
      ['ae_trn', 'AE', '100123456700003'],
    ]);
    expect(listed[0]).toMatchObject({ type_name: 'European VAT number', country_details: { name: 'Germany' } });
  });

  it('refuses the same identifier twice, and removes one (false for one not in the project)', async () => {
    expect(errorOf(await platform.as(ADMIN_KEY, ADD_TAX, { p: platform.projectId, t: 'us_ein', v: '04-2103594' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'value',
    });
    const [first] = (await platform.ok(ADMIN_KEY, LIST_TAX, { p: platform.projectId })).list_project_tax_identifiers;
    const REMOVE = 'mutation ($p: String!, $id: String!) { remove_project_tax_identifier(project_id: $p, id: $id) }';
    expect(await platform.ok(ADMIN_KEY, REMOVE, { p: platform.projectId, id: first.id })).toEqual({ remove_project_tax_identifier: true });
    expect(await platform.ok(ADMIN_KEY, REMOVE, { p: platform.projectId, id: first.id })).toEqual({ remove_project_tax_identifier: false });
    expect((await platform.ok(ADMIN_KEY, LIST_TAX, { p: platform.projectId })).list_project_tax_identifiers).toHaveLength(5);
  });

  it('keeps another project out: NOT_FOUND', async () => {
    const stranger = await platform.member('READONLY');
    const theirs = (await platform.ok(stranger, 'mutation { create_project(name: "Theirs") { id } }')).create_project.id;
    const response = await platform.as(ADMIN_KEY, LIST_TAX, { p: theirs });
    expect(errorOf(response)).toMatchObject({ code: 'NOT_FOUND', argumentName: 'project_id' });
  });
});
