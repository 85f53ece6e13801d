/**
 * ffprobe and ffmpeg, from FFMPEG_PATH (ffprobe beside it) or the PATH (Debian's ffmpeg package). Where
 * neither exists, `unavailable` says why, so that a subgraph reports it instead of failing. Files are named
 * `file:<path>`, so that ffmpeg reads a path as a file whatever its name, never as another protocol.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PROBE_TIMEOUT_MS = 60_000;

export interface Probe {
  /** In seconds: the container's, else the first stream's that has one. */
  duration: number | null;
  width: number | null;
  height: number | null;
  hasVideo: boolean;
  /** The container's or a stream's `timecode` tag (`10:00:00:00`, `;` before the frames when drop frame). */
  timecode: string | undefined;
}

export interface Ffmpeg {
  /** Undefined when ffprobe and ffmpeg run; otherwise why not. */
  unavailable(): Promise<string | undefined>;
  probe(file: string): Promise<Probe>;
  /** One JPEG frame at most `width` pixels wide (never enlarged), from `atSeconds` in. */
  frame(file: string, atSeconds: number, width: number): Promise<Buffer>;
}

export function createFfmpeg(ffmpegPath: string | undefined): Ffmpeg {
  const ffmpeg = ffmpegPath ?? 'ffmpeg';
  const ffprobe = ffmpegPath ? join(dirname(ffmpegPath), 'ffprobe') : 'ffprobe';
  let checked: Promise<string | undefined> | undefined;
  return {
    unavailable: () =>
      (checked ??= Promise.all([run(ffprobe, ['-version']), run(ffmpeg, ['-version'])]).then(
        () => undefined,
        () =>
          `ffprobe/ffmpeg not found (${ffmpegPath ? `FFMPEG_PATH=${ffmpegPath}` : 'not on the PATH'}); install ffmpeg or set FFMPEG_PATH`,
      )),
    async probe(file) {
      const { stdout } = await run(ffprobe, ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', `file:${file}`], {
        timeout: PROBE_TIMEOUT_MS,
        maxBuffer: 8 * 1024 * 1024,
      });
      const info = JSON.parse(stdout) as {
        format?: { duration?: string; tags?: Record<string, string> };
        streams?: Array<{ codec_type?: string; width?: number; height?: number; duration?: string; tags?: Record<string, string> }>;
      };
      const video = info.streams?.find((stream) => stream.codec_type === 'video');
      const duration = Number(info.format?.duration ?? info.streams?.find((stream) => stream.duration)?.duration);
      return {
        duration: Number.isFinite(duration) ? duration : null,
        width: video?.width ?? null,
        height: video?.height ?? null,
        hasVideo: video !== undefined,
        timecode: info.format?.tags?.timecode ?? info.streams?.find((stream) => stream.tags?.timecode)?.tags?.timecode,
      };
    },
    async frame(file, atSeconds, width) {
      const args = [
        '-v',
        'error',
        '-ss',
        String(atSeconds),
        '-i',
        `file:${file}`,
        '-frames:v',
        '1',
        '-vf',
        `scale=w='min(${width},iw)':h=-2`,
        '-f',
        'image2',
        '-c:v',
        'mjpeg',
        'pipe:1',
      ];
      const { stdout } = await run(ffmpeg, args, { timeout: PROBE_TIMEOUT_MS, encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 });
      if (stdout.length === 0) throw new Error('ffmpeg gave no frame');
      return stdout;
    },
  };
}
