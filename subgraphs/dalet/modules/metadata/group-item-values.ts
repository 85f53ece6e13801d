/**
 * Group item metadata: the GroupItemDataField values of one item of a group asset, each typed by its field
 * (the GroupItemMetadataIfc implementations). The ITEM_COMPUTED_* fields are what Galaxy computes from the
 * rundown's timing, which is not kept here: they cannot be set and answer UnsupportedGroupItemMetadata.
 */
import { GraphQLError } from 'graphql';
import { invalidInput, preconditionViolation } from '../../common/errors.ts';
import { TimeCode, TimeCodeDate } from '../../schema/scalars.ts';

type GroupItemValueType = 'BOOLEAN' | 'STRING' | 'TIMECODE' | 'TIMECODE_DATE' | 'COMPUTED';

const CUSTOM_TEXT_FIELDS = Array.from({ length: 11 }, (_, index) => `ITEM_CUSTOM_${index + 1}`);
const CUSTOM_BOOLEAN_FIELDS = Array.from({ length: 5 }, (_, index) => `ITEM_CUSTOM_BOOLEAN_${index + 1}`);

/** Every GroupItemDataField, in the enum's order, with the type of its values. */
export const GROUP_ITEM_FIELDS: Readonly<Record<string, GroupItemValueType>> = Object.freeze({
  ITEM_COMPUTED_DURATION: 'COMPUTED',
  ITEM_COMPUTED_START_TIME: 'COMPUTED',
  ITEM_SCHEDULED_DURATION: 'TIMECODE',
  ITEM_USE_SCHEDULED_DURATION: 'BOOLEAN',
  ITEM_HOLD: 'BOOLEAN',
  ...Object.fromEntries(CUSTOM_TEXT_FIELDS.map((field) => [field, 'STRING'])),
  ...Object.fromEntries(CUSTOM_BOOLEAN_FIELDS.map((field) => [field, 'BOOLEAN'])),
});

const OUTPUT_TYPES: Record<GroupItemValueType, string> = {
  BOOLEAN: 'BooleanGroupItemMetadata',
  STRING: 'StringGroupItemMetadata',
  TIMECODE: 'TimecodeGroupItemMetadata',
  TIMECODE_DATE: 'TimecodeDateGroupItemMetadata',
  COMPUTED: 'UnsupportedGroupItemMetadata',
};

export const MAX_GROUP_ITEM_TEXT_LENGTH = 4000;

/** A given value for `field`, in its stored form: "true"/"false", a written time code, or the text. */
export function readGroupItemValue(field: string, text: string): string {
  const valueType = GROUP_ITEM_FIELDS[field];
  if (!valueType) throw invalidInput('field', field, 'INVALID_VALUE', 'Not a group item data field');
  if (valueType === 'COMPUTED') throw preconditionViolation({ type: 'NAME', value: field }, 'DATA_FIELD', 'DATA_FIELD_MUST_BE_WRITABLE');
  if (valueType === 'BOOLEAN') {
    const lower = text.trim().toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw invalidInput('value', text, 'WRONG_FORMAT', `Field [${field}] is true or false`);
    return lower;
  }
  if (valueType === 'STRING') {
    if (text.length > MAX_GROUP_ITEM_TEXT_LENGTH)
      throw invalidInput('value', `${text.length} characters`, 'TOO_LONG', `At most ${MAX_GROUP_ITEM_TEXT_LENGTH} characters`);
    return text;
  }
  const scalar = valueType === 'TIMECODE' ? TimeCode : TimeCodeDate;
  try {
    return scalar.serialize(scalar.parseValue(text)) as string;
  } catch (error) {
    if (error instanceof GraphQLError) throw invalidInput('value', text, 'WRONG_FORMAT', `Field [${field}]: ${error.message}`);
    throw error;
  }
}

/** The GroupItemMetadataIfc a field answers; `stored` is undefined when the item holds no value for it. */
export function groupItemMetadataOutput(field: string, stored: string | undefined) {
  const valueType = GROUP_ITEM_FIELDS[field] ?? 'COMPUTED';
  const __typename = OUTPUT_TYPES[valueType];
  if (valueType === 'COMPUTED') return { __typename, field };
  const value = stored === undefined ? [] : [valueType === 'BOOLEAN' ? stored === 'true' : stored];
  return { __typename, field, value };
}
