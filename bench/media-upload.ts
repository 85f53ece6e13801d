/**
 * `npm run bench:media`: upload throughput in MB/s through a signed URL of the filesystem storage (the
 * kit's PUT route on fastify, over loopback HTTP: signature check, size limit, MD5, spool, rename) against
 * a plain file copy (a read stream piped to a write stream) on the same disk. Writes
 * bench/results/media-upload.json.
 *
 * BENCH_MEDIA_MB (default 64): the file's size; BENCH_MEDIA_RUNS (default 5): runs of each, median shown.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import Fastify from 'fastify';
import { createFilesystemStorage } from '../subgraphs/kit/storage/index.ts';

const megabytes = Number(process.env.BENCH_MEDIA_MB ?? 64);
const runs = Number(process.env.BENCH_MEDIA_RUNS ?? 5);
const folder = mkdtempSync(join(tmpdir(), 'bench-media-'));
const source = join(folder, 'source.bin');
writeFileSync(source, randomBytes(megabytes * 1024 * 1024));
const bytes = statSync(source).size;

const app = Fastify({ logger: false });
let origin = '';
const storage = createFilesystemStorage({ root: join(folder, 'storage'), publicUrl: () => origin, signingSecret: 'bench-secret' });
storage.registerRoutes(app);
origin = await app.listen({ host: '127.0.0.1', port: 0 });

async function plainCopy(run: number): Promise<void> {
  await pipeline(createReadStream(source), createWriteStream(join(folder, `copy-${run}.bin`)));
}

async function signedPut(run: number): Promise<void> {
  const url = new URL(
    await storage.signPut(`bench/${run}`, { contentType: 'application/octet-stream', maxBytes: bytes, expiresInSeconds: 60 }),
  );
  await new Promise<void>((resolve, reject) => {
    const put = request(
      url,
      { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-length': bytes } },
      (response) => {
        response.resume();
        response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`PUT answered ${response.statusCode}`))));
      },
    );
    put.on('error', reject);
    createReadStream(source).pipe(put);
  });
}

async function measure(name: string, once: (run: number) => Promise<void>) {
  const seconds: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = process.hrtime.bigint();
    await once(run);
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  seconds.sort((a, b) => a - b);
  const median = seconds[Math.floor(seconds.length / 2)]!;
  return { name, median_seconds: Number(median.toFixed(4)), mb_per_second: Number((bytes / 1e6 / median).toFixed(1)) };
}

try {
  const copy = await measure('plain file copy', plainCopy);
  const put = await measure('PUT to a signed URL', signedPut);
  const result = {
    bytes,
    runs,
    node: process.version,
    copy,
    put,
    put_to_copy: Number((put.mb_per_second / copy.mb_per_second).toFixed(2)),
    at: new Date().toISOString(),
  };
  console.log(`${megabytes} MiB, median of ${runs}:`);
  for (const row of [copy, put]) console.log(`  ${row.name.padEnd(22)} ${String(row.mb_per_second).padStart(8)} MB/s`);
  console.log(`  signed PUT / copy: ${result.put_to_copy}`);
  writeFileSync(new URL('./results/media-upload.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await app.close();
  await storage.close();
  rmSync(folder, { recursive: true, force: true });
}
