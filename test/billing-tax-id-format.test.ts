/**
 * The tax ID check (tax-ids/tax-id-format.ts) against the documented examples: every example that
 * list_tax_identifier_types gives passes add_project_tax_identifier's check, for its own row, so a user
 * who copies one is not refused; the same numbers with a wrong check digit are refused.
 */
import { describe, expect, it } from 'vitest';
import { checkTaxId } from '../subgraphs/billing/tax-ids/tax-id-format.ts';
import { TAX_ID_TYPES } from '../subgraphs/billing/tax-ids/tax-id-types.ts';

describe('tax ID examples', () => {
  it('accepts the example of every type, as the type and country it documents', () => {
    expect(TAX_ID_TYPES.length).toBeGreaterThan(150);
    const refused = TAX_ID_TYPES.filter((kind) => {
      const check = checkTaxId(kind.type, kind.example);
      return !check.ok || check.kind.country !== kind.country;
    }).map((kind) => `${kind.type} ${kind.country} ${kind.example}`);
    expect(refused).toEqual([]);
  });

  it('refuses an example whose check digit is changed', () => {
    const wrong = [
      ['eu_vat', 'DE136695978'],
      ['eu_vat', 'EL094259217'],
      ['eu_vat', 'XI980780685'],
      ['eu_vat', 'FR41303265045'],
      ['gb_vat', 'GB980780685'],
      ['br_cnpj', '16.727.230/0001-98'],
      ['in_gst', '27AAPFU0939F1ZW'],
      ['au_abn', '83914571674'],
      ['ru_inn', '1234567895'],
      ['us_ein', '07-1234567'],
    ];
    for (const [type, value] of wrong)
      expect(checkTaxId(type!, value!), `${type} ${value}`).toMatchObject({ ok: false, argumentName: 'value' });
  });
});
