/**
 * Metadata values typed by their data field's value type (the doc's Metadata Values table): every value is
 * given as a string, read by the scalar of its type, checked against the field's data field type (enum
 * values, ranges, lengths) and kept as that scalar writes it, so equal values are stored alike and the
 * `assets` metadata filters compare them as text. Pure: no store here.
 */
import { GraphQLError, type GraphQLScalarType } from 'graphql';
import { byId, invalidInput, preconditionViolation } from '../../common/errors.ts';
import { Period, TimeCode, TimeCodeDate, TimeDate } from '../../schema/scalars.ts';

export type MetadataValueType = 'TEXT' | 'NUMBER' | 'PERIOD' | 'TIME_DATE' | 'TIMECODE' | 'TIMECODE_DATE' | 'OBJECT' | 'CALCULATED';
export type UpdateMetadataAction = 'SET' | 'APPEND' | 'REMOVE';

/** A data field as the site configuration holds it (store/site/). */
export interface DataFieldConfig {
  id: string;
  name: string;
  tagName: string;
  cardinality: 'SINGLE' | 'MULTI';
  readOnly: boolean;
  mandatory: boolean;
  valueType: MetadataValueType;
  type: DataFieldTypeConfig;
}

export interface DataFieldTypeConfig {
  __typename: string;
  name: string;
  values?: unknown[];
  acceptAnyValue?: boolean;
  minValue?: string | null;
  maxValue?: string | null;
  lengthUnit?: 'CHARACTERS' | 'WORDS' | 'PAGES';
  minLength?: number | null;
  maxLength?: number | null;
}

/** The MetadataIfc implementation answering each value type. */
const OUTPUT_TYPES: Record<MetadataValueType, string> = {
  TEXT: 'TextMetadata',
  NUMBER: 'NumberMetadata',
  PERIOD: 'PeriodMetadata',
  TIME_DATE: 'TimeDateMetadata',
  TIMECODE: 'TimecodeMetadata',
  TIMECODE_DATE: 'TimecodeDateMetadata',
  OBJECT: 'ObjectMetadata',
  CALCULATED: 'UnsupportedMetadata',
};

const SCALARS: Partial<Record<MetadataValueType, GraphQLScalarType>> = {
  PERIOD: Period,
  TIME_DATE: TimeDate,
  TIMECODE: TimeCode,
  TIMECODE_DATE: TimeCodeDate,
};

/** The longest text value kept: Galaxy's text fields are long, but not unbounded. */
export const MAX_TEXT_LENGTH = 32_000;
/** A page, for LengthRange fields counted in PAGES: the usual 1,800 characters of a typed page. */
const CHARACTERS_PER_PAGE = 1800;
const INT_RANGE = 2 ** 31;

const wrongFormat = (field: DataFieldConfig, text: string, details: string) =>
  invalidInput('value', text, 'WRONG_FORMAT', `Data field [${field.name}]: ${details}`);
const invalidValue = (field: DataFieldConfig, text: string, details: string) =>
  invalidInput('value', text, 'INVALID_VALUE', `Data field [${field.name}]: ${details}`);

function lengthOf(text: string, unit: DataFieldTypeConfig['lengthUnit']): number {
  if (unit === 'WORDS') return text.split(/\s+/).filter(Boolean).length;
  if (unit === 'PAGES') return Math.ceil(text.length / CHARACTERS_PER_PAGE);
  return text.length;
}

function readText(field: DataFieldConfig, text: string): string {
  if (text.length > MAX_TEXT_LENGTH)
    throw invalidInput('value', `${text.length} characters`, 'TOO_LONG', `At most ${MAX_TEXT_LENGTH} characters`);
  const { type } = field;
  if (type.values && !type.acceptAnyValue) {
    const allowed = type.values.map((value) =>
      typeof value === 'object' && value !== null ? String((value as { value?: unknown }).value) : String(value),
    );
    if (!allowed.includes(text)) throw invalidValue(field, text, `Must be one of ${allowed.join(', ')}`);
  }
  if (type.lengthUnit) {
    const length = lengthOf(text, type.lengthUnit);
    const unit = type.lengthUnit.toLowerCase();
    if (type.minLength != null && length < type.minLength)
      throw invalidInput('value', text, 'TOO_SHORT', `Data field [${field.name}]: at least ${type.minLength} ${unit}`);
    if (type.maxLength != null && length > type.maxLength)
      throw invalidInput('value', text, 'TOO_LONG', `Data field [${field.name}]: at most ${type.maxLength} ${unit}`);
  }
  return text;
}

function readNumber(field: DataFieldConfig, text: string): string {
  const trimmed = text.trim();
  if (!/^-?\d{1,10}$/.test(trimmed) || Math.abs(Number(trimmed)) >= INT_RANGE)
    throw wrongFormat(field, text, 'Must be a whole number (Int)');
  const number = Number(trimmed);
  const { minValue, maxValue } = field.type;
  if (minValue != null && number < Number(minValue)) throw invalidValue(field, text, `Must be at least ${minValue}`);
  if (maxValue != null && number > Number(maxValue)) throw invalidValue(field, text, `Must be at most ${maxValue}`);
  return String(number);
}

/**
 * One given value, read for `field`: its stored form, or InvalidInput naming the field and the form expected.
 * OBJECT values are object ids (whether the object exists is the store's to check).
 */
export function readMetadataValue(field: DataFieldConfig, text: string): string {
  switch (field.valueType) {
    case 'TEXT':
      return readText(field, text);
    case 'NUMBER':
      return readNumber(field, text);
    case 'OBJECT':
      if (!/^\d{1,15}$/.test(text.trim())) throw wrongFormat(field, text, 'Must be the id of an object');
      return String(Number(text.trim()));
    case 'CALCULATED':
      throw preconditionViolation(byId(field.id), 'DATA_FIELD', 'DATA_FIELD_MUST_BE_WRITABLE');
    default: {
      const scalar = SCALARS[field.valueType]!;
      try {
        return scalar.serialize(scalar.parseValue(text)) as string;
      } catch (error) {
        if (error instanceof GraphQLError) throw wrongFormat(field, text, error.message);
        throw error;
      }
    }
  }
}

/**
 * The values a field holds after `action`: SET replaces them, APPEND adds to them and REMOVE takes the given
 * ones out, the last two on multi-cardinality fields only (ResourcePreconditionViolation otherwise, as for
 * a read-only field). `given` is already read by readMetadataValue.
 */
export function applyMetadataAction(
  field: DataFieldConfig,
  action: UpdateMetadataAction,
  current: readonly string[],
  given: readonly string[],
): string[] {
  if (field.readOnly || field.valueType === 'CALCULATED')
    throw preconditionViolation(byId(field.id), 'DATA_FIELD', 'DATA_FIELD_MUST_BE_WRITABLE');
  if (action !== 'SET' && field.cardinality !== 'MULTI')
    throw preconditionViolation(byId(field.id), 'DATA_FIELD', 'DATA_FIELD_MUST_BE_MULTI_CARDINALITY');
  if (action === 'APPEND') return [...current, ...given];
  if (action === 'REMOVE') return current.filter((value) => !given.includes(value));
  if (field.cardinality === 'SINGLE' && given.length > 1)
    throw invalidInput('value', given.join(', '), 'TOO_LONG', `Data field [${field.name}] holds one value`);
  if (field.mandatory && given.length === 0) throw invalidInput('value', '', 'MISSING_VALUE', `Data field [${field.name}] is mandatory`);
  return [...given];
}

/** What a MetadataIfc answers for a field's stored values: the implementation of its value type, values typed. */
export function metadataOutput(field: DataFieldConfig, stored: readonly string[]) {
  const __typename = OUTPUT_TYPES[field.valueType] ?? 'UnsupportedMetadata';
  if (__typename === 'UnsupportedMetadata') return { __typename, field };
  const value = field.valueType === 'NUMBER' ? stored.map(Number) : [...stored];
  return { __typename, field, value };
}
