/**
 * Whether a value is a well-formed tax ID of its type: checked with `stdnum` (format and check digits)
 * where it covers the type, otherwise against the shape of Stripe's example for the type (each digit a
 * digit, each letter a letter, the separators as written).
 */
import { euVat, stdnum } from 'stdnum';
import { TAX_ID_TYPES, type TaxIdType } from './tax-id-types.ts';

interface Validator {
  validate(value: string): { isValid: boolean };
}

/** A stdnum validator, checked to exist when billing starts rather than when a user meets its absence. */
function covered(country: string, name: string): Validator {
  const validator = (stdnum as Record<string, Record<string, Validator> | undefined>)[country]?.[name];
  if (!validator) throw new Error(`stdnum has no ${country}.${name}`);
  return validator;
}

/** The stdnum validator of each Stripe type it covers. `eu_vat` is validated by the value's country prefix. */
const STDNUM: Record<string, Validator> = {
  ad_nrt: covered('AD', 'nrt'),
  al_tin: covered('AL', 'nipt'),
  ao_tin: covered('AO', 'nif'),
  ar_cuit: covered('AR', 'cuit'),
  au_abn: covered('AU', 'abn'),
  au_acn: covered('AU', 'acn'),
  br_cnpj: covered('BR', 'cnpj'),
  br_cpf: covered('BR', 'cpf'),
  by_tin: covered('BY', 'unp'),
  ca_bn: covered('CA', 'bn'),
  ca_gst_hst: covered('CA', 'gst'),
  ca_qst: covered('CA', 'qst'),
  ch_uid: covered('CH', 'uid'),
  ch_vat: covered('CH', 'vat'),
  cl_tin: covered('CL', 'rut'),
  co_nit: covered('CO', 'nit'),
  cz_dic: covered('CZ', 'dic'),
  de_stn: covered('DE', 'stnr'),
  do_rcn: covered('DO', 'rnc'),
  ec_ruc: covered('EC', 'ruc'),
  es_cif: covered('ES', 'cif'),
  fr_siren: covered('FR', 'siren'),
  fr_siret: covered('FR', 'siret'),
  gb_vat: covered('GB', 'vat'),
  hr_oib: covered('HR', 'oib'),
  id_npwp: covered('ID', 'npwp'),
  in_gst: covered('IN', 'gstin'),
  is_kt: covered('IS', 'kennitala'),
  it_cf: covered('IT', 'codicefiscale'),
  kr_brn: covered('KR', 'brn'),
  me_pib: covered('ME', 'pib'),
  mx_rfc: covered('MX', 'rfc'),
  no_vat: covered('NO', 'mva'),
  pe_ruc: covered('PE', 'ruc'),
  pl_nip: covered('PL', 'nip'),
  pt_nif: covered('PT', 'nif'),
  rs_pib: covered('RS', 'pib'),
  ru_inn: covered('RU', 'inn'),
  sg_uen: covered('SG', 'uen'),
  tr_tin: covered('TR', 'vkn'),
  tw_vat: covered('TW', 'ubn'),
  us_ein: covered('US', 'ein'),
  uy_ruc: covered('UY', 'rut'),
  ve_rif: covered('VE', 'rif'),
  vn_tin: covered('VN', 'mst'),
  za_vat: covered('ZA', 'vat'),
};

/** EU VAT prefixes that are not the country's ISO code: Greece writes EL, Northern Ireland XI. */
const VAT_PREFIX_COUNTRY: Record<string, string> = { EL: 'GR', XI: 'GB' };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The shape of an example as a pattern: `12-3456789` gives `^\d\d-\d{7}$`, letters any letter. */
export function exampleShape(example: string): RegExp {
  const pattern = example.replace(/[0-9]+|[A-Z]+|[^0-9A-Z]/g, (run) => {
    if (/^[0-9]+$/.test(run)) return `[0-9]{${run.length}}`;
    if (/^[A-Z]+$/.test(run)) return `[A-Z]{${run.length}}`;
    return escapeRegExp(run);
  });
  return new RegExp(`^${pattern}$`);
}

export type TaxIdCheck = { ok: true; kind: TaxIdType; value: string } | { ok: false; argumentName: 'type' | 'value'; message: string };

export function checkTaxId(type: string, rawValue: string): TaxIdCheck {
  const value = rawValue.trim().toUpperCase();
  const kinds = TAX_ID_TYPES.filter((kind) => kind.type === type);
  if (kinds.length === 0)
    return { ok: false, argumentName: 'type', message: `unknown tax ID type "${type}" (list_tax_identifier_types lists them)` };
  if (value.length === 0 || value.length > 64) return { ok: false, argumentName: 'value', message: 'must be 1 to 64 characters' };

  if (type === 'eu_vat') {
    const prefix = value.slice(0, 2);
    const country = VAT_PREFIX_COUNTRY[prefix] ?? prefix;
    const kind = kinds.find((candidate) => candidate.country === country);
    const validator: Validator | undefined = prefix === 'XI' ? STDNUM.gb_vat : (euVat as Record<string, Validator[]>)[country]?.[0];
    if (!kind || !validator)
      return { ok: false, argumentName: 'value', message: 'an EU VAT number starts with its country prefix, e.g. DE136695976' };
    return validator.validate(prefix === 'XI' ? value.slice(2) : value).isValid
      ? { ok: true, kind, value }
      : { ok: false, argumentName: 'value', message: `is not a valid ${country} VAT number` };
  }

  const kind = kinds[0]!;
  const validator = STDNUM[type];
  const valid = validator ? validator.validate(value).isValid : exampleShape(kind.example).test(value);
  return valid
    ? { ok: true, kind, value }
    : { ok: false, argumentName: 'value', message: `is not a valid ${kind.name}, e.g. ${kind.example}` };
}
