import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopRecognizer } from '../subgraphs/kit/vision/index.ts';
import { ADMIN_KEY, startActionsPlatform, type ActionsPlatform } from './helpers/actions-platform.ts';

const dataUrl = (bytes: Buffer, type: string) => `data:${type};base64,${bytes.toString('base64')}`;
const solid = (width: number, height: number, color: { r: number; g: number; b: number }) =>
  sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer();

async function download(url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('every action, run end to end through the gateway on real input', () => {
  let platform: ActionsPlatform;
  let files: Server;
  let filesOrigin: string;
  let red: Buffer;

  beforeAll(async () => {
    red = await solid(64, 48, { r: 220, g: 20, b: 20 });
    files = createServer((request, response) => {
      if (request.url === '/red.png') return response.writeHead(200, { 'content-type': 'image/png' }).end(red);
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    filesOrigin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    platform = await startActionsPlatform({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
    await stopRecognizer();
    files?.close();
  });

  const run = async (actionId: string, payload: unknown) => {
    const job = await platform.runJob(ADMIN_KEY, actionId, payload);
    expect(job.error_message).toBeNull();
    expect(job.status).toBe('COMPLETED');
    return job.response;
  };

  it('image-resize keeps the aspect ratio, stores the file and serves it under a signed URL only', async () => {
    const result = await run('image-resize', { image: dataUrl(red, 'image/png'), width: 32 });
    expect(result).toMatchObject({ width: 32, height: 24, format: 'png' });
    const file = await download(result.artifact_url);
    expect(file).toMatchObject({ status: 200, type: 'image/png' });
    expect(file.bytes.length).toBe(result.bytes);
    expect(await sharp(file.bytes).metadata()).toMatchObject({ width: 32, height: 24, format: 'png' });

    const tampered = new URL(result.artifact_url);
    tampered.searchParams.set('x-expires', String(Number(tampered.searchParams.get('x-expires')) + 3600));
    expect((await download(tampered.href)).status).toBe(403);
  });

  it('image-resize reads an http URL through the outbound guard and converts', async () => {
    const result = await run('image-resize', { image: `${filesOrigin}/red.png`, width: 10, height: 10, fit: 'cover', format: 'webp' });
    expect(result).toMatchObject({ width: 10, height: 10, format: 'webp' });
    expect(await sharp((await download(result.artifact_url)).bytes).metadata()).toMatchObject({ format: 'webp', width: 10 });
    const missing = await platform.runJob(ADMIN_KEY, 'image-resize', { image: `${filesOrigin}/missing.png`, width: 10 });
    expect(missing).toMatchObject({ status: 'FAILED', error_message: 'fetching the file answered HTTP 404' });
  });

  it('image-thumbnail, image-convert and image-blur write the images they say', async () => {
    const thumbnail = await run('image-thumbnail', { image: dataUrl(red, 'image/png'), size: 16 });
    expect(thumbnail).toMatchObject({ width: 16, height: 16, format: 'webp' });
    const converted = await run('image-convert', { image: dataUrl(red, 'image/png'), format: 'jpeg', quality: 80 });
    const jpeg = (await download(converted.artifact_url)).bytes;
    expect(jpeg.subarray(0, 2).toString('hex')).toBe('ffd8');
    const blurred = await run('image-blur', { image: dataUrl(red, 'image/png'), sigma: 2 });
    expect(blurred).toMatchObject({ width: 64, height: 48, format: 'png' });
  });

  it('image-metadata reads size, format and EXIF tags', async () => {
    const photo = await sharp(red)
      .jpeg()
      .withExif({ IFD0: { Make: 'TestCam', Model: 'X1' } })
      .toBuffer();
    const result = await run('image-metadata', { image: dataUrl(photo, 'image/jpeg') });
    expect(result).toMatchObject({ format: 'jpeg', width: 64, height: 48, channels: 3, has_alpha: false, bytes: photo.length });
    expect(result.exif).toMatchObject({ Make: 'TestCam', Model: 'X1' });
  });

  it('image-ocr reads the text the test rendered', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="420" height="100"><rect width="100%" height="100%" fill="white"/><text x="12" y="66" font-size="46" font-family="sans-serif" fill="black">HELLO WORLD</text></svg>';
    const image = await sharp(Buffer.from(svg)).png().toBuffer();
    const result = await run('image-ocr', { image: dataUrl(image, 'image/png') });
    expect(result.text).toContain('HELLO WORLD');
    expect(result.confidence).toBeGreaterThan(50);
  });

  it('image-moderation returns the five labels with confidences, most likely first', async () => {
    const result = await run('image-moderation', { image: dataUrl(red, 'image/png') });
    expect(result.labels.map((label: { name: string }) => label.name).sort()).toEqual(['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']);
    const confidences = result.labels.map((label: { confidence: number }) => label.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    expect(confidences.reduce((sum: number, value: number) => sum + value, 0)).toBeCloseTo(1, 2);
  });

  it('image-tags names the dominant colour and the orientation', async () => {
    const result = await run('image-tags', { image: dataUrl(red, 'image/png') });
    expect(result.tags).toEqual(expect.arrayContaining(['landscape', 'red']));
    expect(result.dominant_color.name).toBe('red');
  });

  it('text-sentiment, text-language and text-statistics', async () => {
    expect(await run('text-sentiment', { text: 'It is fine.' })).toMatchObject({ label: expect.stringMatching(/positive|neutral/) });
    expect(await run('text-sentiment', { text: 'I hate this, it is horrible.' })).toMatchObject({ label: 'negative' });
    expect(await run('text-language', { text: "Bonjour, je voudrais un café, s'il vous plaît." })).toMatchObject({ language: 'fr' });
    expect(await run('text-language', { text: 'Wo ist der Bahnhof?' })).toMatchObject({ language: 'de' });
    expect(await run('text-statistics', { text: 'Hello there.\n\nSecond paragraph here.' })).toMatchObject({
      words: 5,
      sentences: 2,
      paragraphs: 2,
    });
  });

  it('qr-code makes a PNG or an SVG', async () => {
    const png = await run('qr-code', { text: 'https://example.com' });
    const image = await download(png.artifact_url);
    expect(image.type).toBe('image/png');
    expect(await sharp(image.bytes).metadata()).toMatchObject({ width: 512, height: 512 });
    const svg = await run('qr-code', { text: 'hello', format: 'svg' });
    expect((await download(svg.artifact_url)).bytes.toString()).toContain('<svg');
  });

  it('email-verify checks syntax and disposable domains', async () => {
    expect(await run('email-verify', { email: 'someone@mailinator.com' })).toMatchObject({
      valid: true,
      reason: 'disposable',
      disposable: true,
    });
    expect(await run('email-verify', { email: 'not an address' })).toMatchObject({ valid: false, reason: 'invalid-syntax' });
    expect(await run('email-verify', { email: 'jane.doe@example.com' })).toMatchObject({ valid: true, reason: 'ok', disposable: false });
  });

  it('pdf-from-text, archive-zip and file-hash', async () => {
    const pdf = await run('pdf-from-text', { title: 'Report', text: 'Hello from a test.' });
    expect(pdf.pages).toBe(1);
    const document = await download(pdf.artifact_url);
    expect(document.type).toBe('application/pdf');
    expect(document.bytes.subarray(0, 5).toString()).toBe('%PDF-');

    const zip = await run('archive-zip', {
      files: [
        { name: 'notes/a.txt', text: 'alpha' },
        { name: 'red.png', file: dataUrl(red, 'image/png') },
      ],
    });
    const entries = unzipSync((await download(zip.artifact_url)).bytes);
    expect(Object.keys(entries).sort()).toEqual(['notes/a.txt', 'red.png']);
    expect(Buffer.from(entries['notes/a.txt']!).toString()).toBe('alpha');
    expect(Buffer.from(entries['red.png']!).equals(red)).toBe(true);

    const hash = await run('file-hash', { file: dataUrl(red, 'image/png') });
    expect(hash).toEqual({
      algorithm: 'sha256',
      hex: createHash('sha256').update(red).digest('hex'),
      base64: createHash('sha256').update(red).digest('base64'),
      bytes: red.length,
    });
  });
});
