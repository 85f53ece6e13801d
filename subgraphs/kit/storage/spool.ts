/** Writes a stream to a file while counting and hashing it, stopping at a size limit. */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

// Large writes: uploads arrive in small socket chunks, and 16 KiB writes made the disk the bottleneck.
const WRITE_CHUNK_BYTES = 1024 * 1024;

export class TooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
  }
}

export interface Spooled {
  file: string;
  size: number;
  md5: string;
}

/** Spools `body` to a new file in `folder`; the file is removed when writing fails. */
export async function spool(body: Buffer | Readable, folder: string, maxBytes = Number.POSITIVE_INFINITY): Promise<Spooled> {
  const file = join(folder, randomUUID());
  const hash = createHash('md5');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new TooLarge(maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      Buffer.isBuffer(body) ? Readable.from([body]) : body,
      measure,
      createWriteStream(file, { flags: 'wx', mode: 0o600, highWaterMark: WRITE_CHUNK_BYTES }),
    );
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  return { file, size, md5: hash.digest('hex') };
}
