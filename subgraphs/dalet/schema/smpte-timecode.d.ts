/** The part of smpte-timecode (which ships no types) that schema/timecode.ts uses. */
declare module 'smpte-timecode' {
  interface SmpteTimecode {
    frameCount: number;
    frameRate: number;
    add(other: number | string | SmpteTimecode): SmpteTimecode;
    subtract(other: number | string | SmpteTimecode): SmpteTimecode;
    toString(): string;
  }
  function Timecode(timeCode: number | string | Date, frameRate?: number | [number, number], dropFrame?: boolean): SmpteTimecode;
  export default Timecode;
}
