/**
 * The segment of an asset a group item plays (AssetSegmentInput): where it starts and ends in the media.
 * `tcIn` counts from the start of the media, or back from its end with `tcInRelativeToEnd`; `tcOut` counts
 * from `tcIn`, or from the start of the media with `tcOutRelativeToStart`; no `tcOut` is the end of the media.
 * With the media's duration known, the doc's bounds hold: a `tcIn` past the end is the end, and `tcOut` may
 * reach no further than the end. Without it (no media yet), the segment is kept as given.
 */
import { invalidInput } from '../../common/errors.ts';
import type { TimeCodeValue } from '../../schema/timecode.ts';

export interface SegmentInput {
  tcIn?: TimeCodeValue | null;
  tcInRelativeToEnd?: boolean | null;
  tcOut?: TimeCodeValue | null;
  tcOutRelativeToStart?: boolean | null;
}

/** A segment as stored (group_items' tc_* columns), in milliseconds. */
export interface Segment {
  tcInMs: number;
  tcInRelativeToEnd: boolean;
  /** null: to the end of the media. */
  tcOutMs: number | null;
  tcOutRelativeToStart: boolean;
  standard: string;
}

const DEFAULT_STANDARD = 'PAL';

/** The input checked and put in stored form; `durationMs` null when the media's duration is not known. */
export function toSegment(input: SegmentInput, durationMs: number | null): Segment {
  const segment: Segment = {
    tcInMs: input.tcIn?.milliseconds ?? 0,
    tcInRelativeToEnd: input.tcInRelativeToEnd === true,
    tcOutMs: input.tcOut?.milliseconds ?? null,
    tcOutRelativeToStart: input.tcOutRelativeToStart === true,
    standard: input.tcIn?.standard ?? input.tcOut?.standard ?? DEFAULT_STANDARD,
  };
  if (durationMs === null) {
    // Both counted from the start: the end cannot come before the beginning, whatever the duration.
    if (!segment.tcInRelativeToEnd && segment.tcOutRelativeToStart && segment.tcOutMs !== null && segment.tcOutMs < segment.tcInMs)
      throw invalidInput('tcOut', input.tcOut?.milliseconds, 'INVALID_VALUE', 'Must not be before tcIn');
    return segment;
  }
  const inMs = startOf(segment, durationMs);
  if (segment.tcOutMs !== null) {
    const outMs = segment.tcOutRelativeToStart ? segment.tcOutMs : inMs + segment.tcOutMs;
    if (outMs > durationMs)
      throw invalidInput('tcOut', segment.tcOutMs, 'INVALID_VALUE', `Must end within the media's duration (${durationMs} ms)`);
    if (outMs < inMs) throw invalidInput('tcOut', segment.tcOutMs, 'INVALID_VALUE', 'Must not be before tcIn');
  }
  return segment;
}

function startOf(segment: Segment, durationMs: number): number {
  const inMs = Math.min(segment.tcInMs, durationMs);
  return segment.tcInRelativeToEnd ? durationMs - inMs : inMs;
}
