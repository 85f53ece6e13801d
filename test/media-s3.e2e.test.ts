/**
 * Media on the S3 backend (s3rver): presigned PUT and UploadPart URLs straight to the bucket, the
 * arrival found by the sweep, the size limit checked after the upload, deletion that empties the bucket.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage, parseStorageSettings, type Storage } from '../subgraphs/kit/storage/index.ts';
import { ADMIN_KEY } from './helpers/accounts-platform.ts';
import { startMediaPlatform, type MediaPlatform } from './helpers/media-platform.ts';
import { startS3rver, type RunningS3 } from './helpers/s3rver.ts';

const MAX_UPLOAD_BYTES = 12 * 1024 * 1024;
let s3: RunningS3;
let bucket: Storage;
let platform: MediaPlatform;

beforeAll(async () => {
  s3 = await startS3rver();
  const settings = parseStorageSettings(s3.env, { dataDir: '/nonexistent', publicUrl: 'http://unused' });
  bucket = createS3Storage(settings as Extract<typeof settings, { kind: 's3' }>);
  platform = await startMediaPlatform({ ...s3.env, MEDIA_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) });
});
afterAll(async () => {
  await platform?.stop();
  await s3?.stop();
});

function noisePng(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = Math.floor(Math.random() * 256);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

describe('media on S3', () => {
  it('processes an image PUT to its presigned URL to READY', async () => {
    const library = await platform.createLibrary('IMAGE');
    const png = await noisePng(40, 30);
    const data = await platform.ok(
      ADMIN_KEY,
      'mutation ($lib: String!) { create_asset_upload(library_id: $lib, content_type: "image/png", name: "s3.png") { asset_id upload_url } }',
      { lib: library },
    );
    expect(data.create_asset_upload.upload_url.startsWith(`${s3.endpoint}/${s3.bucket}/`)).toBe(true);
    const put = await fetch(data.create_asset_upload.upload_url, {
      method: 'PUT',
      body: new Uint8Array(png),
      headers: { 'content-type': 'image/png' },
    });
    expect(put.status).toBe(200);
    const asset = await platform.settled(data.create_asset_upload.asset_id);
    expect(asset).toMatchObject({ status: 'READY', width: 40, height: 30, size: png.length });
    expect(Buffer.from(await (await fetch(asset.download_url)).arrayBuffer()).equals(png)).toBe(true);
    expect((await fetch(asset.thumbnail_url)).headers.get('content-type')).toBe('image/jpeg');
  });

  it('rejects and deletes an upload over MEDIA_MAX_UPLOAD_BYTES, which S3 cannot refuse', async () => {
    const library = await platform.createLibrary('IMAGE');
    const { assetId, status } = await platform.upload(library, Buffer.alloc(MAX_UPLOAD_BYTES + 1), 'image/png');
    expect(status).toBe(200);
    const asset = await platform.settled(assetId);
    expect(asset).toMatchObject({ status: 'REJECTED', status_reason: `The file is larger than ${MAX_UPLOAD_BYTES} bytes` });
    expect(await bucket.list(`libraries/${library}/`)).toEqual([]);
  });

  it('assembles a three-part upload to presigned UploadPart URLs byte for byte, and deletion empties the bucket', async () => {
    const library = await platform.createLibrary('IMAGE');
    const png = await noisePng(2000, 1900);
    const part = 5 * 1024 * 1024;
    const { create_asset_multipart_upload: upload } = await platform.ok(
      ADMIN_KEY,
      'mutation ($lib: String!) { create_asset_multipart_upload(library_id: $lib, parts: 3, content_type: "image/png", name: "big.png") { asset_id key bucket uploadId signedUrls } }',
      { lib: library },
    );
    expect(upload.bucket).toBe(s3.bucket);
    const etags: string[] = [];
    for (const [index, url] of upload.signedUrls.entries()) {
      const answer = await fetch(url, {
        method: 'PUT',
        body: new Uint8Array(png.subarray(index * part, index === 2 ? png.length : (index + 1) * part)),
      });
      expect(answer.status).toBe(200);
      etags.push(answer.headers.get('etag')!);
    }
    const finished = await platform.ok(
      ADMIN_KEY,
      'mutation ($etags: [String!]!, $id: String!, $key: String!) { finish_asset_multipart_upload(etags: $etags, upload_id: $id, key: $key) }',
      {
        etags,
        id: upload.uploadId,
        key: upload.key,
      },
    );
    expect(finished.finish_asset_multipart_upload).toBe(upload.asset_id);
    const asset = await platform.settled(upload.asset_id);
    expect(asset).toMatchObject({ status: 'READY', width: 2000, height: 1900, size: png.length });
    expect(Buffer.from(await (await fetch(asset.download_url)).arrayBuffer()).equals(png)).toBe(true);

    expect(await bucket.list(`libraries/${library}/`)).toHaveLength(2);
    await platform.ok(ADMIN_KEY, 'mutation ($id: String!) { delete_library(id: $id) }', { id: library });
    expect(await bucket.list(`libraries/${library}/`)).toEqual([]);
  });
});
