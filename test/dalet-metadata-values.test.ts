/**
 * Metadata values typed by their data field (the doc's Metadata Values table), SET/APPEND/REMOVE, group
 * item values, and locator time codes checked against their type and asset: the pure logic, in process.
 */
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkLocatorTimes } from '../subgraphs/dalet/modules/locators/locator-times.ts';
import { groupItemMetadataOutput, readGroupItemValue } from '../subgraphs/dalet/modules/metadata/group-item-values.ts';
import {
  applyMetadataAction,
  metadataOutput,
  readMetadataValue,
  type DataFieldConfig,
} from '../subgraphs/dalet/modules/metadata/values.ts';
import { DATA_FIELDS } from '../subgraphs/dalet/store/site/fields-and-locators.ts';
import { EXAMPLE_DATA_FIELDS } from '../subgraphs/dalet/store/site/metadata-examples.ts';
import { parseTimeCode } from '../subgraphs/dalet/schema/timecode.ts';

const field = (name: string) =>
  [...DATA_FIELDS, ...EXAMPLE_DATA_FIELDS].find((candidate) => candidate.name === name) as unknown as DataFieldConfig;

function failure(run: () => unknown): Record<string, unknown> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as GraphQLError).extensions;
  }
  throw new Error('expected a failure');
}

describe('metadata values by value type', () => {
  it.each([
    ['Item Code', 'DAL_101010', 'DAL_101010'],
    ['Episode Number', ' 42 ', '42'],
    ['Title Duration', 'P10:0:0.000S', 'PT10H'],
    ['Title Duration', 'PT90S', 'PT1M30S'],
    ['Title Kill Date', '2005-01-18T10:00:00', '2005-01-18T10:00:00.000Z'],
    ['Timing', '12:30:42.100', '12:30:42.100 PAL'],
    ['Timing', 'P10:0:0.000S', '10:00:00.000 PAL'],
    ['Record Date', '2005-01-18T10:0:0.000 PAL', '2005-01-18T10:00:00.000 PAL'],
    ['Title Reference', '366231', '366231'],
  ])('%s reads %s and keeps %s', (name, given, kept) => expect(readMetadataValue(field(name), given)).toBe(kept));

  it.each([
    ['Episode Number', 'twelve', 'WRONG_FORMAT'],
    ['Episode Number', '99999999999', 'WRONG_FORMAT'],
    ['Title Duration', 'soon', 'WRONG_FORMAT'],
    ['Title Kill Date', 'not a date', 'WRONG_FORMAT'],
    ['Timing', '10:61:00.000', 'WRONG_FORMAT'],
    ['Title Reference', 'ID123', 'WRONG_FORMAT'],
    ['Rating', '6', 'INVALID_VALUE'],
    ['Rating', '0', 'INVALID_VALUE'],
    ['Genre', 'Cooking', 'INVALID_VALUE'],
    ['Synopsis', 'word '.repeat(51), 'TOO_LONG'],
    ['Synopsis', '   ', 'TOO_SHORT'],
  ])('%s refuses %s (%s)', (name, given, reason) => {
    expect(failure(() => readMetadataValue(field(name), given))).toMatchObject({ errorCode: 'InvalidInput', name: 'value', reason });
  });

  it('checks enum values and ranges from the field type', () => {
    expect(readMetadataValue(field('Genre'), 'Drama')).toBe('Drama');
    expect(readMetadataValue(field('Rating'), '5')).toBe('5');
  });

  it('answers the MetadataIfc implementation of the value type, numbers as numbers', () => {
    expect(metadataOutput(field('Episode Number'), ['7'])).toMatchObject({ __typename: 'NumberMetadata', value: [7] });
    expect(metadataOutput(field('Title Duration'), ['PT10S'])).toMatchObject({ __typename: 'PeriodMetadata', value: ['PT10S'] });
    expect(metadataOutput(field('Item Code'), ['A'])).toMatchObject({ __typename: 'TextMetadata', value: ['A'] });
    expect(metadataOutput(field('Title Reference'), ['5'])).toMatchObject({ __typename: 'ObjectMetadata', value: ['5'] });
    expect(metadataOutput(field('Timing'), [])).toMatchObject({ __typename: 'TimecodeMetadata', value: [] });
    expect(metadataOutput(field('Record Date'), [])).toMatchObject({ __typename: 'TimecodeDateMetadata' });
    expect(metadataOutput(field('Title Kill Date'), [])).toMatchObject({ __typename: 'TimeDateMetadata' });
  });
});

describe('SET, APPEND and REMOVE', () => {
  it('SET replaces, APPEND adds and REMOVE takes out, as the doc example does on "Multi text"', () => {
    const multi = field('Multi text');
    const appended = applyMetadataAction(multi, 'APPEND', ['value 0'], ['value 1', 'value 2']);
    expect(appended).toEqual(['value 0', 'value 1', 'value 2']);
    expect(applyMetadataAction(multi, 'REMOVE', appended, ['value 2'])).toEqual(['value 0', 'value 1']);
    expect(applyMetadataAction(multi, 'SET', appended, ['only'])).toEqual(['only']);
    expect(applyMetadataAction(field('Item Code'), 'SET', ['old'], ['DAL_101010'])).toEqual(['DAL_101010']);
  });

  it('APPEND and REMOVE on a single-cardinality field, and any change to a read-only one, are precondition violations', () => {
    for (const action of ['APPEND', 'REMOVE'] as const)
      expect(failure(() => applyMetadataAction(field('Item Code'), action, [], ['x']))).toMatchObject({
        errorCode: 'ResourcePreconditionViolation',
        precondition: 'DATA_FIELD_MUST_BE_MULTI_CARDINALITY',
        resourceType: 'DATA_FIELD',
        resourceSelector: '101',
      });
    expect(failure(() => applyMetadataAction(field('Task Created Time'), 'SET', [], ['2020-01-01T00:00:00Z']))).toMatchObject({
      precondition: 'DATA_FIELD_MUST_BE_WRITABLE',
    });
  });

  it('a single field takes one value, and a mandatory one cannot be emptied', () => {
    expect(failure(() => applyMetadataAction(field('Title Author'), 'SET', [], ['a', 'b']))).toMatchObject({ reason: 'TOO_LONG' });
    expect(failure(() => applyMetadataAction(field('Item Code'), 'SET', ['A'], []))).toMatchObject({ reason: 'MISSING_VALUE' });
    expect(applyMetadataAction(field('Title Author'), 'SET', ['a'], [])).toEqual([]);
  });
});

describe('group item metadata', () => {
  it('types each field: booleans, text, time codes; computed fields are not set', () => {
    expect(readGroupItemValue('ITEM_HOLD', 'FALSE')).toBe('false');
    expect(readGroupItemValue('ITEM_CUSTOM_3', 'Note')).toBe('Note');
    expect(readGroupItemValue('ITEM_SCHEDULED_DURATION', '0:1:30.000')).toBe('00:01:30.000 PAL');
    expect(failure(() => readGroupItemValue('ITEM_HOLD', 'maybe'))).toMatchObject({ reason: 'WRONG_FORMAT' });
    expect(failure(() => readGroupItemValue('ITEM_COMPUTED_DURATION', '0:0:1.000'))).toMatchObject({
      precondition: 'DATA_FIELD_MUST_BE_WRITABLE',
    });
    expect(groupItemMetadataOutput('ITEM_HOLD', 'false')).toEqual({
      __typename: 'BooleanGroupItemMetadata',
      field: 'ITEM_HOLD',
      value: [false],
    });
    expect(groupItemMetadataOutput('ITEM_SCHEDULED_DURATION', undefined)).toMatchObject({
      __typename: 'TimecodeGroupItemMetadata',
      value: [],
    });
    expect(groupItemMetadataOutput('ITEM_COMPUTED_START_TIME', undefined)).toEqual({
      __typename: 'UnsupportedGroupItemMetadata',
      field: 'ITEM_COMPUTED_START_TIME',
    });
  });
});

describe('locator time codes', () => {
  const tc = parseTimeCode;

  it('reads the doc\'s "0" as the first frame and keeps points and ranges written one way', () => {
    expect(checkLocatorTimes('NLP-NER', 'SINGLE', tc('0'), null, {})).toEqual({
      timecode_in: '00:00:00.000 PAL',
      timecode_out: null,
      in_ms: 0,
      out_ms: null,
    });
    expect(checkLocatorTimes('Segment', 'RANGE', tc('0:0:1.000'), tc('0:0:2.500'), { startMs: 0, endMs: 10_000 })).toMatchObject({
      timecode_out: '00:00:02.500 PAL',
      in_ms: 1000,
      out_ms: 2500,
    });
  });

  it('refuses an out on a point, a range without out or ending before it starts, and times outside the asset', () => {
    expect(failure(() => checkLocatorTimes('Break', 'SINGLE', tc('0:0:1.000'), tc('0:0:2.000'), {}))).toMatchObject({
      name: 'timecodeOut',
    });
    expect(failure(() => checkLocatorTimes('Segment', 'RANGE', tc('0:0:1.000'), null, {}))).toMatchObject({ reason: 'MISSING_VALUE' });
    expect(failure(() => checkLocatorTimes('Segment', 'RANGE', tc('0:0:3.000'), tc('0:0:2.000'), {}))).toMatchObject({
      reason: 'INVALID_VALUE',
    });
    expect(failure(() => checkLocatorTimes('Segment', 'RANGE', tc('0:0:1.000'), tc('0:0:12.000'), { endMs: 10_000 }))).toMatchObject({
      name: 'timecodeOut',
    });
    expect(failure(() => checkLocatorTimes('Break', 'SINGLE', tc('9:59:0.000'), null, { startMs: 36_000_000 }))).toMatchObject({
      name: 'timecodeIn',
    });
  });
});
