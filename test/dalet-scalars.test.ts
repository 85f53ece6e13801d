/** The Dalet scalars read what the doc's examples write, in its several forms, and answer one form. */
import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Color, PageLength, Period, TimeCode, TimeCodeDate, TimeDate } from '../subgraphs/dalet/schema/scalars.ts';
import { addTimeCodes, parseTimeCode, toFrames } from '../subgraphs/dalet/schema/timecode.ts';

const roundTrip = (scalar: typeof TimeCode, value: string | number) => scalar.serialize(scalar.parseValue(value));

describe('TimeCode', () => {
  it.each([
    ['14:14:36.279 PAL', '14:14:36.279 PAL'],
    ['P0:50:0.000S PAL', '00:50:00.000 PAL'],
    ['P10:0:0.000S', '10:00:00.000 PAL'],
    ['1:2:3.4 ntsc', '01:02:03.400 NTSC'],
    ['10:00:00:12 PAL', '10:00:00.480 PAL'],
    ['00:10', '00:00:10.000 PAL'],
  ])('reads %s as %s', (input, written) => expect(roundTrip(TimeCode, input)).toBe(written));

  it('reads literals too, and refuses what is not a time code', () => {
    expect(TimeCode.serialize(TimeCode.parseLiteral({ kind: Kind.STRING, value: '00:00:10.000 PAL' }))).toBe('00:00:10.000 PAL');
    for (const bad of ['10:61:00.000 PAL', '10:61 PAL', '10:00:00.000 MARS', ''])
      expect(() => TimeCode.parseValue(bad)).toThrow(/Invalid TimeCode/);
  });

  it('counts frames at its standard and adds time codes frame-accurately (smpte-timecode)', () => {
    expect(toFrames(parseTimeCode('00:00:01.000 PAL'))).toBe(25);
    expect(toFrames(parseTimeCode('00:01:00.000 NTSC'))).toBe(1798);
    const sum = addTimeCodes(parseTimeCode('00:00:59.960 PAL'), parseTimeCode('00:00:00.040 PAL'));
    expect(TimeCode.serialize(sum)).toBe('00:01:00.000 PAL');
  });
});

describe('TimeCodeDate, TimeDate and Period', () => {
  it('TimeCodeDate: a date and a time code', () => {
    expect(roundTrip(TimeCodeDate, '2005-01-18T14:14:36.279 PAL')).toBe('2005-01-18T14:14:36.279 PAL');
    expect(roundTrip(TimeCodeDate, '2005-01-18 10:0:0.000')).toBe('2005-01-18T10:00:00.000 PAL');
    expect(() => TimeCodeDate.parseValue('yesterday 10:00:00.000 PAL')).toThrow(/date and time code/);
  });

  it('TimeDate: ISO 8601, UTC when no zone is given, written with Z', () => {
    expect(roundTrip(TimeDate, '2005-01-18T14:14:36.279')).toBe('2005-01-18T14:14:36.279Z');
    expect(roundTrip(TimeDate, '2005-01-18T16:14:36+02:00')).toBe('2005-01-18T14:14:36.000Z');
    expect(roundTrip(TimeDate, '1106057676279')).toBe('2005-01-18T14:14:36.279Z');
    expect(() => TimeDate.parseValue('not a date')).toThrow(/ISO 8601/);
  });

  it('Period: ISO 8601 durations and the clock form, written in ISO 8601', () => {
    expect(roundTrip(Period, 'PT10S')).toBe('PT10S');
    expect(roundTrip(Period, 'P10:0:0.000S')).toBe('PT10H');
    expect(roundTrip(Period, 'p1dt2h30m')).toBe('P1DT2H30M');
    expect(roundTrip(Period, 'PT0S')).toBe('PT0S');
    expect(() => Period.parseValue('P')).toThrow();
  });
});

describe('Color and PageLength', () => {
  it.each([
    ['#FF0000', '#FF0000'],
    ['ff0000', '#FF0000'],
    ['#f00', '#FF0000'],
    ['white', '#FFFFFF'],
  ])('Color reads %s as %s', (input, written) => expect(roundTrip(Color, input)).toBe(written));

  it('Color refuses what is not a colour', () => expect(() => Color.parseValue('#12345')).toThrow(/colour/));

  it('PageLength is 1 to 1000, as a number or a numeric string', () => {
    expect(PageLength.parseValue(1000)).toBe(1000);
    expect(PageLength.parseLiteral({ kind: Kind.STRING, value: '12' })).toBe(12);
    for (const bad of [0, 1001, 2.5, 'ten']) expect(() => PageLength.parseValue(bad)).toThrow(/1 to 1000/);
  });
});
