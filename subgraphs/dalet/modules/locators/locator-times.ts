/**
 * A locator's time codes, checked against its type and its asset: a SINGLE locator is a point (time code in
 * only), a RANGE one has a time code out not before its time code in, and both lie within the asset's media
 * (from its time code in to its out for a clip, from zero to its duration otherwise) when the asset has one.
 */
import { invalidInput } from '../../common/errors.ts';
import { formatTimeCode, type TimeCodeValue } from '../../schema/timecode.ts';

export type LocatorSubtype = 'RANGE' | 'SINGLE' | 'TABLE';

/** Where an asset's media starts and ends, in milliseconds; unknown ends are not checked. */
export interface AssetTimeBounds {
  startMs?: number;
  endMs?: number;
}

export interface LocatorTimes {
  timecode_in: string;
  timecode_out: string | null;
  in_ms: number;
  out_ms: number | null;
}

const written = (milliseconds: number) => formatTimeCode({ milliseconds, standard: 'PAL' });

export function checkLocatorTimes(
  typeName: string,
  subtype: LocatorSubtype,
  timecodeIn: TimeCodeValue,
  timecodeOut: TimeCodeValue | null | undefined,
  bounds: AssetTimeBounds,
): LocatorTimes {
  const out = timecodeOut ?? null;
  if (subtype === 'SINGLE' && out)
    throw invalidInput(
      'timecodeOut',
      formatTimeCode(out),
      'INVALID_VALUE',
      `Locator type [${typeName}] marks a single point: no time code out`,
    );
  if (subtype === 'RANGE' && !out) throw invalidInput('timecodeOut', null, 'MISSING_VALUE', `Locator type [${typeName}] marks a range`);
  if (out && out.milliseconds < timecodeIn.milliseconds)
    throw invalidInput('timecodeOut', formatTimeCode(out), 'INVALID_VALUE', 'Must not be before the time code in');
  const { startMs, endMs } = bounds;
  const within = (name: string, value: TimeCodeValue) => {
    if ((startMs !== undefined && value.milliseconds < startMs) || (endMs !== undefined && value.milliseconds > endMs))
      throw invalidInput(
        name,
        formatTimeCode(value),
        'INVALID_VALUE',
        `Must lie within the asset, from ${written(startMs ?? 0)} to ${endMs === undefined ? 'its end' : written(endMs)}`,
      );
  };
  within('timecodeIn', timecodeIn);
  if (out) within('timecodeOut', out);
  return {
    timecode_in: formatTimeCode(timecodeIn),
    timecode_out: out ? formatTimeCode(out) : null,
    in_ms: timecodeIn.milliseconds,
    out_ms: out?.milliseconds ?? null,
  };
}
