/**
 * File inputs of actions: a `data:` URL (decoded here) or an http(s) URL fetched through the kit's
 * outbound guard, both limited to `maxBytes`. Failures worth retrying (a 5xx, 429, a timeout) are
 * transient; anything else (a refused address, a 404, a file too large) fails the job at once.
 */
import { TransientError } from '../kit/queue/index.ts';
import { OutboundRefused, type OutboundGuard } from '../kit/outbound/index.ts';

export interface FileReaderOptions {
  guard: OutboundGuard;
  maxBytes: number;
  /** Per download; default 30000 ms. */
  timeoutMs?: number;
}

const DATA_URL = /^data:([^,]*?),(.*)$/s;

export function decodeDataUrl(input: string, maxBytes: number): Buffer {
  const match = DATA_URL.exec(input);
  if (!match) throw new Error('not a valid data: URL');
  const [, meta = '', data = ''] = match;
  const bytes = meta.split(';').includes('base64') ? Buffer.from(data, 'base64') : Buffer.from(decodeURIComponent(data), 'utf8');
  if (bytes.length > maxBytes) throw new Error(`the file is larger than ${maxBytes} bytes`);
  return bytes;
}

export function createFileReader({ guard, maxBytes, timeoutMs = 30_000 }: FileReaderOptions): (input: string) => Promise<Buffer> {
  return async (input) => {
    if (input.startsWith('data:')) return decodeDataUrl(input, maxBytes);
    let response: Awaited<ReturnType<OutboundGuard['fetch']>>;
    try {
      response = await guard.fetch(input, { maxBytes, timeoutMs });
    } catch (error) {
      if (!(error instanceof OutboundRefused))
        throw new TransientError(`fetching the file failed: ${error instanceof Error ? error.message : String(error)}`);
      if (error.reason === 'timeout') throw new TransientError('fetching the file timed out');
      throw new Error(`the file URL was refused (${error.reason}): ${error.message}`);
    }
    if (response.status >= 500 || response.status === 429) throw new TransientError(`fetching the file answered HTTP ${response.status}`);
    if (response.status !== 200) throw new Error(`fetching the file answered HTTP ${response.status}`);
    return response.body;
  };
}
