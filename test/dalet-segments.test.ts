import { describe, expect, it } from 'vitest';
import { toSegment } from '../subgraphs/dalet/modules/asset-structures/segments.ts';
import { parseTimeCode } from '../subgraphs/dalet/schema/timecode.ts';

const tc = (text: string) => parseTimeCode(text);
const MINUTES_30 = 30 * 60_000;

describe('group item segments', () => {
  it('the doc example: from the start for 10:15, and the last 05:00', () => {
    expect(toSegment({ tcOut: tc('00:10:15'), tcOutRelativeToStart: true }, MINUTES_30)).toEqual({
      tcInMs: 0,
      tcInRelativeToEnd: false,
      tcOutMs: 615_000,
      tcOutRelativeToStart: true,
      standard: 'PAL',
    });
    expect(toSegment({ tcIn: tc('00:05:00'), tcInRelativeToEnd: true }, MINUTES_30)).toEqual({
      tcInMs: 300_000,
      tcInRelativeToEnd: true,
      tcOutMs: null,
      tcOutRelativeToStart: false,
      standard: 'PAL',
    });
  });

  it('tcOut counts from tcIn unless relative to the start: its bound moves with it', () => {
    expect(() => toSegment({ tcIn: tc('00:20:00'), tcOut: tc('00:10:00') }, MINUTES_30)).not.toThrow();
    expect(() => toSegment({ tcIn: tc('00:25:00'), tcOut: tc('00:10:00') }, MINUTES_30)).toThrow(/tcOut.*Invalid Value.*duration/);
    expect(() => toSegment({ tcIn: tc('00:25:00'), tcOut: tc('00:10:00'), tcOutRelativeToStart: true }, MINUTES_30)).toThrow(/before tcIn/);
    expect(() =>
      toSegment({ tcIn: tc('00:25:00'), tcInRelativeToEnd: true, tcOut: tc('00:10:00'), tcOutRelativeToStart: true }, MINUTES_30),
    ).not.toThrow();
  });

  it('a tcIn past the end of the media is its end, so any tcOut past it is refused', () => {
    expect(() => toSegment({ tcIn: tc('01:00:00') }, MINUTES_30)).not.toThrow();
    expect(() => toSegment({ tcIn: tc('01:00:00'), tcOut: tc('00:00:01') }, MINUTES_30)).toThrow(/duration/);
  });

  it('without a known duration only an end before the beginning is refused', () => {
    expect(() => toSegment({ tcIn: tc('00:20:00'), tcOut: tc('00:10:00'), tcOutRelativeToStart: true }, null)).toThrow(/before tcIn/);
    expect(toSegment({ tcIn: tc('05:00:00'), tcOut: tc('09:00:00') }, null)).toMatchObject({ tcInMs: 18_000_000, tcOutMs: 32_400_000 });
  });

  it('keeps the standard the time codes were given in', () => {
    expect(toSegment({ tcIn: tc('00:00:10.000 NTSC') }, null).standard).toBe('NTSC');
    expect(toSegment({ tcOut: tc('00:00:10.000 FILM') }, null).standard).toBe('FILM');
  });
});
