/**
 * Dalet time codes: a position at a video standard's frame rate, written `14:14:36.279 PAL`. Read leniently,
 * as the doc's own examples vary: an optional ISO-like `P`...`S` wrapper (`P0:50:0.000S PAL`), unpadded
 * fields, minutes and seconds alone (`00:10`, as the doc's clip example writes), milliseconds or SMPTE frames
 * (`10:00:00:12`, `;` for drop frame), a bare frame count (`0`), the standard defaulting to PAL.
 * Frame arithmetic is smpte-timecode's.
 */
import Timecode from 'smpte-timecode';

/** Frame rates by the standard names Dalet writes after a time code. */
export const STANDARDS: Record<string, number> = { PAL: 25, SECAM: 25, NTSC: 29.97, FILM: 24 };

export interface TimeCodeValue {
  /** From the start of the day, whole milliseconds. */
  milliseconds: number;
  standard: string;
}

const MS_PATTERN = /^P?(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:\.(\d{1,3}))?S?$/;
const FRAMES_PATTERN = /^(\d{1,2}):(\d{1,2}):(\d{1,2})([:;])(\d{1,2})$/;

export function parseTimeCode(text: string): TimeCodeValue {
  const [clock = '', standardText, extra] = text.trim().split(/\s+/);
  const standard = (standardText ?? 'PAL').toUpperCase();
  if (extra !== undefined || !(standard in STANDARDS)) throw new TypeError(`"${text}" is not a time code such as 14:14:36.279 PAL`);
  const withMs = MS_PATTERN.exec(clock);
  if (withMs) {
    const [, hours = '0', minutes, seconds, fraction = '0'] = withMs;
    if (Number(minutes) > 59 || Number(seconds) > 59) throw new TypeError(`"${text}" has minutes or seconds above 59`);
    const milliseconds = ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 + Number(fraction.padEnd(3, '0'));
    return { milliseconds, standard };
  }
  // A bare whole number (the doc's `timecodeIn: "0"`) counts frames at the standard's rate.
  if (/^\d{1,9}$/.test(clock)) return fromFrames(Number(clock), standard);
  if (FRAMES_PATTERN.test(clock)) return fromFrames(Timecode(clock.replace(/\b(\d)\b/g, '0$1'), STANDARDS[standard]).frameCount, standard);
  throw new TypeError(`"${text}" is not a time code such as 14:14:36.279 PAL`);
}

export function fromFrames(frameCount: number, standard: string): TimeCodeValue {
  return { milliseconds: Math.round((frameCount * 1000) / STANDARDS[standard]!), standard };
}

/** The frame a time code falls on at its standard's rate. */
export function toFrames(value: TimeCodeValue): number {
  return Timecode(Math.floor((value.milliseconds * STANDARDS[value.standard]!) / 1000), STANDARDS[value.standard], false).frameCount;
}

/** `a + b` at a's standard, counted in frames as the editing systems count them. */
export function addTimeCodes(a: TimeCodeValue, b: TimeCodeValue): TimeCodeValue {
  const sum = Timecode(toFrames(a), STANDARDS[a.standard], false).add(toFrames({ ...b, standard: a.standard }));
  return fromFrames(sum.frameCount, a.standard);
}

export function formatTimeCode({ milliseconds, standard }: TimeCodeValue): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const hours = Math.floor(milliseconds / 3_600_000);
  const minutes = Math.floor(milliseconds / 60_000) % 60;
  const seconds = Math.floor(milliseconds / 1000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(milliseconds % 1000, 3)} ${standard}`;
}
