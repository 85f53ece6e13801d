/**
 * Video and audio processing with ffprobe and ffmpeg (Debian's package, installed by .ci/run): a short
 * video made here gets its duration, size and a frame thumbnail; without ffmpeg the asset is still READY
 * and its video enhancements say why they did not run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaPlatform, type MediaPlatform } from './helpers/media-platform.ts';

let folder: string;
let video: Buffer;
let audio: Buffer;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'media-video-'));
  const make = (args: string[], file: string) => {
    execFileSync('ffmpeg', ['-v', 'error', ...args, join(folder, file)]);
    return readFileSync(join(folder, file));
  };
  video = make(['-f', 'lavfi', '-i', 'testsrc=duration=2:size=160x120:rate=10', '-c:v', 'mpeg4', '-pix_fmt', 'yuv420p'], 'clip.mp4');
  audio = make(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1.5', '-c:a', 'libmp3lame'], 'tone.mp3');
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('with ffmpeg', () => {
  let platform: MediaPlatform;
  beforeAll(async () => {
    platform = await startMediaPlatform();
  });
  afterAll(async () => platform?.stop());

  it('gives a video its duration, size and a frame thumbnail', async () => {
    const library = await platform.createLibrary('VIDEO');
    const { assetId } = await platform.upload(library, video, 'video/mp4', 'clip.mp4');
    const asset = await platform.settled(assetId);
    expect(asset).toMatchObject({ status: 'READY', content_type: 'video/mp4', width: 160, height: 120, size: video.length });
    expect(asset.duration).toBeCloseTo(2, 1);
    const thumbnail = Buffer.from(await (await fetch(asset.thumbnail_url)).arrayBuffer());
    expect(await sharp(thumbnail).metadata()).toMatchObject({ format: 'jpeg', width: 160, height: 120 });
    const byKind = Object.fromEntries(asset.asset_enhancements.map((row: any) => [row.enhancement_id, row]));
    expect(byKind['video-metadata'].status).toBe('COMPLETED');
    expect(byKind['video-thumbnail']).toMatchObject({ status: 'COMPLETED', thumbnail_count: 1, file_size: String(thumbnail.length) });
  });

  it('gives an audio file its duration', async () => {
    const library = await platform.createLibrary('AUDIO');
    const { assetId } = await platform.upload(library, audio, 'audio/mpeg', 'tone.mp3');
    const asset = await platform.settled(assetId);
    expect(asset).toMatchObject({ status: 'READY', content_type: 'audio/mpeg', thumbnail_url: null });
    expect(asset.duration).toBeGreaterThan(1.4);
    expect(asset.duration).toBeLessThan(1.7);
    expect(asset.asset_enhancements.map((row: any) => [row.enhancement_id, row.status])).toEqual([['audio-metadata', 'COMPLETED']]);
  });
});

describe('without ffmpeg', () => {
  it('makes the video READY and says in the enhancements why they did not run', async () => {
    const platform = await startMediaPlatform({ FFMPEG_PATH: join(folder, 'no-such-dir', 'ffmpeg') });
    try {
      const library = await platform.createLibrary('VIDEO');
      const { assetId } = await platform.upload(library, video, 'video/mp4');
      const asset = await platform.settled(assetId);
      expect(asset).toMatchObject({ status: 'READY', content_type: 'video/mp4', duration: null, thumbnail_url: null });
      for (const row of asset.asset_enhancements) expect(row.status).toMatch(/^UNAVAILABLE: ffprobe\/ffmpeg not found \(FFMPEG_PATH=/);
      expect(asset.asset_enhancements.map((row: any) => row.enhancement_id).sort()).toEqual(['video-metadata', 'video-thumbnail']);
    } finally {
      await platform.stop();
    }
  });
});
