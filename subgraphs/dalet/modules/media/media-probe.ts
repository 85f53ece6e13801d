/**
 * Technical metadata of a media file, read with the kit's ffprobe (Debian's ffmpeg; FFMPEG_PATH):
 * its duration and, when it carries one, its first frame's time code. A local file is read in place; an
 * http(s) one is copied through the outbound guard into a temporary file first (ffprobe never fetches a
 * URL itself, so nothing reaches the network around the guard). A file that cannot be reached or read
 * gives nothing: the media info keeps the values it was given.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { createFfmpeg } from '../../../kit/ffmpeg.ts';
import type { OutboundGuard } from '../../../kit/outbound/index.ts';
import { parseTimeCode } from '../../schema/timecode.ts';
import type { FileReach } from './media-files.ts';

/** An http(s) media file is copied whole before it is read: at most this much. */
const MAX_FETCHED_BYTES = 1024 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 120_000;

export interface TechnicalMetadata {
  durationMs: number;
  /** From the file's `timecode` tag; undefined when it has none. */
  tcInMs: number | undefined;
}

export interface MediaProbe {
  /** What the file says, or undefined when it cannot be reached or read (logged). */
  read(reach: FileReach, standard: string): Promise<TechnicalMetadata | undefined>;
  /** Deletes a local file (`deleteFiles`); a missing one is fine. Files behind URLs are not deleted. */
  remove(reach: FileReach): Promise<void>;
}

export function createMediaProbe({ ffmpegPath, guard, log }: { ffmpegPath?: string; guard: OutboundGuard; log: Logger }): MediaProbe {
  const ffmpeg = createFfmpeg(ffmpegPath);

  const probeFile = async (path: string, standard: string): Promise<TechnicalMetadata> => {
    const { duration, timecode } = await ffmpeg.probe(path);
    if (duration === null) throw new Error('ffprobe found no duration');
    return { durationMs: Math.round(duration * 1000), tcInMs: timecode ? tcInOf(timecode, standard) : undefined };
  };

  const probeUrl = async (url: string, standard: string): Promise<TechnicalMetadata> => {
    const answer = await guard.stream(url, { maxBytes: MAX_FETCHED_BYTES, timeoutMs: FETCH_TIMEOUT_MS });
    if (answer.status !== 200) {
      answer.body.destroy();
      throw new Error(`the storage unit answered ${answer.status}`);
    }
    const folder = await mkdtemp(join(tmpdir(), 'dalet-probe-'));
    try {
      const copy = join(folder, 'media');
      await pipeline(answer.body, createWriteStream(copy));
      return await probeFile(copy, standard);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  };

  return {
    async read(reach, standard) {
      try {
        return reach.kind === 'file' ? await probeFile(reach.path, standard) : await probeUrl(reach.url, standard);
      } catch (error) {
        log.info({ err: error, file: reach.kind === 'file' ? reach.path : reach.url }, 'media file not read');
        return undefined;
      }
    },
    async remove(reach) {
      if (reach.kind === 'file')
        await unlink(reach.path).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
    },
  };
}

/** A file's `10:00:00:00` (frames) or `10:00:00;00` (drop frame) tag at the format's standard; undefined if unreadable. */
function tcInOf(timecode: string, standard: string): number | undefined {
  try {
    return parseTimeCode(`${timecode} ${standard}`).milliseconds;
  } catch {
    return undefined;
  }
}
