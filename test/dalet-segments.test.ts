import { describe, expect, it } from 'vitest';
import { segmentBounds, toSegment } from '../subgraphs/dalet/modules/asset-structures/segments.ts';
import { parseTimeCode } from '../subgraphs/dalet/schema/timecode.ts';

const tc = (text: string) => parseTimeCode(text);
const MINUTES_30 = 30 * 60_000;

describe('group item segments', () => {
  it('the doc example: from the start for 10:15, and the last 05:00', () => {
    const first = toSegment({ tcOut: tc('00:10:15'), tcOutRelativeToStart: true }, MINUTES_30);
    expect(segmentBounds(first, MINUTES_30)).toEqual({ inMs: 0, outMs: 615_000 });
    const last = toSegment({ tcIn: tc('00:05:00'), tcInRelativeToEnd: true }, MINUTES_30);
    expect(segmentBounds(last, MINUTES_30)).toEqual({ inMs: MINUTES_30 - 300_000, outMs: MINUTES_30 });
  });

  it('tcOut counts from tcIn unless relative to the start', () => {
    const segment = toSegment({ tcIn: tc('00:01:00'), tcOut: tc('00:02:00') }, MINUTES_30);
    expect(segmentBounds(segment, MINUTES_30)).toEqual({ inMs: 60_000, outMs: 180_000 });
    const fromStart = toSegment({ tcIn: tc('00:01:00'), tcOut: tc('00:02:00'), tcOutRelativeToStart: true }, MINUTES_30);
    expect(segmentBounds(fromStart, MINUTES_30)).toEqual({ inMs: 60_000, outMs: 120_000 });
  });

  it('a tcIn past the end of the media is its end', () => {
    const segment = toSegment({ tcIn: tc('01:00:00') }, MINUTES_30);
    expect(segmentBounds(segment, MINUTES_30)).toEqual({ inMs: MINUTES_30, outMs: MINUTES_30 });
  });

  it('a tcOut past the end of the media, or before tcIn, is InvalidInput', () => {
    expect(() => toSegment({ tcIn: tc('00:20:00'), tcOut: tc('00:15:00') }, MINUTES_30)).toThrow(/tcOut.*Invalid Value/);
    expect(() => toSegment({ tcIn: tc('00:20:00'), tcOut: tc('00:10:00'), tcOutRelativeToStart: true }, MINUTES_30)).toThrow(/before tcIn/);
    expect(() => toSegment({ tcIn: tc('00:20:00'), tcOut: tc('00:10:00'), tcOutRelativeToStart: true }, null)).toThrow(/before tcIn/);
  });

  it('without a known duration the segment is kept as given and placed later', () => {
    const segment = toSegment({ tcIn: tc('00:05:00'), tcInRelativeToEnd: true }, null);
    expect(segment).toEqual({ tcInMs: 300_000, tcInRelativeToEnd: true, tcOutMs: null, tcOutRelativeToStart: false, standard: 'PAL' });
    expect(segmentBounds(segment, 600_000)).toEqual({ inMs: 300_000, outMs: 600_000 });
  });

  it('keeps the standard the time codes were given in', () => {
    expect(toSegment({ tcIn: tc('00:00:10.000 NTSC') }, null).standard).toBe('NTSC');
  });
});
