/**
 * Media uploads through the gateway: a signed PUT processed to READY, a three-part multipart upload, a
 * file whose bytes disagree with its library, signed URLs tampered with or too large, and the sweep of
 * uploads that never came.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from './helpers/accounts-platform.ts';
import { startMediaPlatform, type MediaPlatform } from './helpers/media-platform.ts';

const MAX_UPLOAD_BYTES = 400_000;
let platform: MediaPlatform;

beforeAll(async () => {
  platform = await startMediaPlatform({ MEDIA_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), MEDIA_MIN_PART_BYTES: '1024' });
});
afterAll(async () => platform?.stop());

/** A PNG of random pixels: big enough to split into parts, and no two alike. */
function noisePng(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = Math.floor(Math.random() * 256);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

async function download(url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('create_asset_upload', () => {
  it('takes an image PUT to its signed URL and processes it to READY with size, dimensions and a thumbnail', async () => {
    const library = await platform.createLibrary('IMAGE');
    const png = await noisePng(64, 48);
    const { assetId, status } = await platform.upload(library, png, 'image/png', 'noise.png');
    expect(status).toBe(200);
    const asset = await platform.settled(assetId);
    expect(asset).toMatchObject({
      status: 'READY',
      name: 'noise.png',
      content_type: 'image/png',
      size: png.length,
      width: 64,
      height: 48,
      library_id: library,
      status_reason: null,
    });

    const original = await download(asset.download_url);
    expect(original.bytes.equals(png)).toBe(true);
    const thumbnail = await download(asset.thumbnail_url);
    expect(thumbnail.type).toBe('image/jpeg');
    expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({ format: 'jpeg', width: 64, height: 48 });

    const byKind = Object.fromEntries(asset.asset_enhancements.map((row: any) => [row.enhancement_id, row]));
    expect(Object.keys(byKind).sort()).toEqual(['image-metadata', 'image-moderation', 'image-tags', 'image-thumbnails']);
    expect(byKind['image-metadata'].status).toBe('COMPLETED');
    expect(byKind['image-thumbnails']).toMatchObject({
      status: 'COMPLETED',
      thumbnail_count: 1,
      file_size: String(thumbnail.bytes.length),
    });
    expect(byKind['image-thumbnails'].enhancement).toEqual({
      id: 'image-thumbnails',
      display_name: 'Image thumbnails',
      asset_type: 'IMAGE',
    });
    expect(byKind['image-tags'].status).toBe('COMPLETED');
    expect(byKind['image-tags'].image_tags.map((tag: { name: string }) => tag.name)).toContain('landscape');
    expect(byKind['image-moderation'].status).toBe('COMPLETED');
    const labels = byKind['image-moderation'].image_moderation_labels;
    expect(labels.map((label: { name: string }) => label.name).sort()).toEqual(['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']);
    expect(labels.reduce((sum: number, label: { confidence: number }) => sum + label.confidence, 0)).toBeCloseTo(1, 2);
  });

  it('rejects a PNG disguised as an MP3, with the reason, and keeps none of its bytes', async () => {
    const library = await platform.createLibrary('AUDIO');
    const { assetId, status } = await platform.upload(library, await noisePng(8, 8), 'audio/mpeg', 'song.mp3');
    expect(status).toBe(200);
    const asset = await platform.settled(assetId);
    expect(asset.status).toBe('REJECTED');
    expect(asset.status_reason).toBe('The file is image/png (from its bytes), but this library holds AUDIO assets');
    expect(asset.download_url).toBeNull();
    expect(platform.storedFiles().filter((file) => file.includes(assetId))).toEqual([]);
  });

  it('refuses a content type of another kind than the library before handing out a URL', async () => {
    const library = await platform.createLibrary('AUDIO');
    const { body } = await platform.as(
      ADMIN_KEY,
      'mutation ($lib: String!) { create_asset_upload(library_id: $lib, content_type: "image/png", name: "x") { asset_id } }',
      { lib: library },
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'content_type' });
  });

  it('refuses a PUT over MEDIA_MAX_UPLOAD_BYTES, and a tampered URL, storing nothing', async () => {
    const library = await platform.createLibrary('IMAGE');
    const { assetId, status } = await platform.upload(library, Buffer.alloc(MAX_UPLOAD_BYTES + 1), 'image/png');
    expect(status).toBe(413);
    expect(platform.storedFiles().filter((file) => file.includes(assetId))).toEqual([]);

    const data = await platform.ok(
      ADMIN_KEY,
      'mutation ($lib: String!) { create_asset_upload(library_id: $lib, content_type: "image/png", name: "x") { asset_id upload_url } }',
      { lib: library },
    );
    const tampered = new URL(data.create_asset_upload.upload_url);
    tampered.searchParams.set('x-max-bytes', String(MAX_UPLOAD_BYTES * 10));
    const answer = await fetch(tampered, {
      method: 'PUT',
      body: new Uint8Array(await noisePng(4, 4)),
      headers: { 'content-type': 'image/png' },
    });
    expect(answer.status).toBe(403);
    const asset = await platform.ok(ADMIN_KEY, 'query ($id: String!) { get_asset(id: $id) { status } }', {
      id: data.create_asset_upload.asset_id,
    });
    expect(asset.get_asset.status).toBe('UPLOAD_PENDING');
  });
});

describe('an upload_url', () => {
  it('takes one PUT: a second is refused and leaves the stored original as it was', async () => {
    const library = await platform.createLibrary('IMAGE');
    const png = await noisePng(8, 8);
    const data = await platform.ok(
      ADMIN_KEY,
      'mutation ($lib: String!) { create_asset_upload(library_id: $lib, content_type: "image/png", name: "once.png") { asset_id upload_url } }',
      { lib: library },
    );
    const put = (bytes: Buffer) =>
      fetch(data.create_asset_upload.upload_url, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'content-type': 'image/png' } });
    expect((await put(png)).status).toBe(200);
    const again = await put(await noisePng(8, 8));
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'This upload URL was already used' });
    const asset = await platform.settled(data.create_asset_upload.asset_id);
    expect(asset.status).toBe('READY');
    expect((await download(asset.download_url)).bytes.equals(png)).toBe(true);
  });
});

describe('create_asset_multipart_upload', () => {
  const start = (library: string, parts: number) =>
    platform.ok(
      ADMIN_KEY,
      'mutation ($lib: String!, $parts: Float!) { create_asset_multipart_upload(library_id: $lib, parts: $parts, content_type: "image/png", name: "big.png") { asset_id key bucket uploadId signedUrls } }',
      { lib: library, parts },
    );
  const finish = (etags: string[], uploadId: string, key: string) =>
    platform.as(
      ADMIN_KEY,
      'mutation ($etags: [String!]!, $id: String!, $key: String!) { finish_asset_multipart_upload(etags: $etags, upload_id: $id, key: $key) }',
      { etags, id: uploadId, key },
    );

  it('assembles three parts into a byte-identical file, then processes it', async () => {
    const library = await platform.createLibrary('IMAGE');
    const png = await noisePng(100, 100);
    const cut = [0, 10_000, 20_000, png.length];
    const { create_asset_multipart_upload: upload } = await start(library, 3);
    expect(upload).toMatchObject({ bucket: 'local', key: expect.stringContaining(upload.asset_id) });
    expect(upload.signedUrls).toHaveLength(3);
    const etags: string[] = [];
    for (const [index, url] of upload.signedUrls.entries()) {
      const answer = await fetch(url, { method: 'PUT', body: new Uint8Array(png.subarray(cut[index], cut[index + 1])) });
      expect(answer.status).toBe(200);
      etags.push(answer.headers.get('etag')!);
    }
    const { body } = await finish(etags, upload.uploadId, upload.key);
    expect(body).toEqual({ data: { finish_asset_multipart_upload: upload.asset_id } });
    const asset = await platform.settled(upload.asset_id);
    expect(asset).toMatchObject({ status: 'READY', size: png.length, width: 100, height: 100 });
    expect((await download(asset.download_url)).bytes.equals(png)).toBe(true);
  });

  it("answers S3's rules as BAD_USER_INPUT on etags: wrong ETag, part too small but not last", async () => {
    const library = await platform.createLibrary('IMAGE');
    const { create_asset_multipart_upload: upload } = await start(library, 2);
    const etags: string[] = [];
    for (const [index, url] of upload.signedUrls.entries()) {
      const answer = await fetch(url, { method: 'PUT', body: new Uint8Array(index === 0 ? 10 : 2000) });
      etags.push(answer.headers.get('etag')!);
    }
    const wrong = (await finish([etags[1]!, etags[1]!], upload.uploadId, upload.key)).body.errors?.[0];
    expect(wrong?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'etags' });
    expect(wrong?.message).toContain('InvalidPart');
    const small = (await finish(etags, upload.uploadId, upload.key)).body.errors?.[0];
    expect(small?.message).toContain('EntityTooSmall');
  });
});

describe('abandoned uploads', () => {
  it('are swept when their URL expires: the asset FAILED with the reason, the URL refused, no parts left', async () => {
    const shortLived = await startMediaPlatform({ MEDIA_UPLOAD_URL_TTL_SECONDS: '1' });
    try {
      const library = await shortLived.createLibrary('IMAGE');
      const single = await shortLived.ok(
        ADMIN_KEY,
        'mutation ($lib: String!) { create_asset_upload(library_id: $lib, content_type: "image/png", name: "x") { asset_id upload_url } }',
        { lib: library },
      );
      const multi = await shortLived.ok(
        ADMIN_KEY,
        'mutation ($lib: String!) { create_asset_multipart_upload(library_id: $lib, parts: 2, content_type: "image/png", name: "y") { asset_id signedUrls } }',
        { lib: library },
      );
      await fetch(multi.create_asset_multipart_upload.signedUrls[0], { method: 'PUT', body: new Uint8Array(2000) });
      for (const id of [single.create_asset_upload.asset_id, multi.create_asset_multipart_upload.asset_id]) {
        const asset = await shortLived.settled(id);
        expect(asset).toMatchObject({ status: 'FAILED', status_reason: 'The upload was not finished before its URL expired' });
      }
      const late = await fetch(single.create_asset_upload.upload_url, {
        method: 'PUT',
        body: new Uint8Array(await noisePng(4, 4)),
        headers: { 'content-type': 'image/png' },
      });
      expect(late.status).toBe(403);
      expect(readdirSync(join(shortLived.dataDir, 'storage', 'multipart'))).toEqual([]);
      expect(shortLived.storedFiles()).toEqual([]);
    } finally {
      await shortLived.stop();
    }
  });
});
