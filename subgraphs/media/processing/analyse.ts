/**
 * What processing learns from a file of each asset type: metadata, thumbnails and, for images, tags and
 * moderation labels. Each enhancement that cannot run says why in its status; only an unreadable file
 * fails the asset.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { AssetType } from '../validation.ts';
import type { EnhancementResult } from './enhancements.ts';
import type { Ffmpeg } from '../../kit/ffmpeg.ts';

export const THUMBNAIL_WIDTH = 320;

export interface Label {
  id: string;
  name: string;
  confidence: number;
}

/** Image tags and moderation labels (vision.ts, over kit/vision). */
export interface ImageVision {
  tags(image: Buffer): Promise<Label[]>;
  moderationLabels(image: Buffer): Promise<Label[]>;
}

export interface Analysis {
  width: number | null;
  height: number | null;
  duration: number | null;
  thumbnails: Buffer[];
  enhancements: EnhancementResult[];
}

export interface AnalyseDeps {
  ffmpeg: Ffmpeg;
  vision: ImageVision;
}

export function analyse(deps: AnalyseDeps, assetType: AssetType, file: string): Promise<Analysis> {
  if (assetType === 'IMAGE') return analyseImage(deps, file);
  return analyseTimed(deps, assetType, file);
}

async function analyseImage({ vision }: AnalyseDeps, file: string): Promise<Analysis> {
  // autoOrient: width and height as the image is shown, after its EXIF rotation.
  const metadata = await sharp(file, { autoOrient: true }).metadata();
  const thumbnail = await sharp(file, { autoOrient: true })
    .resize({ width: THUMBNAIL_WIDTH, height: THUMBNAIL_WIDTH, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 80 })
    .toBuffer();
  const enhancements: EnhancementResult[] = [
    { enhancement_id: 'image-metadata', status: 'COMPLETED' },
    { enhancement_id: 'image-thumbnails', status: 'COMPLETED', thumbnail_count: 1, file_size: thumbnail.length },
  ];
  const image = await readFile(file);
  enhancements.push(await labelled('image-tags', () => vision.tags(image), 'image_tags'));
  enhancements.push(await labelled('image-moderation', () => vision.moderationLabels(image), 'image_moderation_labels'));
  return { width: metadata.width ?? null, height: metadata.height ?? null, duration: null, thumbnails: [thumbnail], enhancements };
}

async function labelled(
  enhancementId: string,
  run: () => Promise<Label[]>,
  field: 'image_tags' | 'image_moderation_labels',
): Promise<EnhancementResult> {
  try {
    return { enhancement_id: enhancementId, status: 'COMPLETED', [field]: await run() };
  } catch (error) {
    return { enhancement_id: enhancementId, status: `FAILED: ${(error as Error).message}` };
  }
}

async function analyseTimed({ ffmpeg }: AnalyseDeps, assetType: 'AUDIO' | 'VIDEO', file: string): Promise<Analysis> {
  const metadataId = assetType === 'VIDEO' ? 'video-metadata' : 'audio-metadata';
  const unavailable = await ffmpeg.unavailable();
  if (unavailable) {
    const status = `UNAVAILABLE: ${unavailable}`;
    const enhancements: EnhancementResult[] = [{ enhancement_id: metadataId, status }];
    if (assetType === 'VIDEO') enhancements.push({ enhancement_id: 'video-thumbnail', status });
    return { width: null, height: null, duration: null, thumbnails: [], enhancements };
  }
  const probe = await ffmpeg.probe(file);
  const enhancements: EnhancementResult[] = [{ enhancement_id: metadataId, status: 'COMPLETED' }];
  const thumbnails: Buffer[] = [];
  if (assetType === 'VIDEO') {
    try {
      // A frame a little way in: the very first is often black.
      const at = probe.duration ? Math.min(1, probe.duration / 2) : 0;
      thumbnails.push(await ffmpeg.frame(file, at, THUMBNAIL_WIDTH));
      enhancements.push({ enhancement_id: 'video-thumbnail', status: 'COMPLETED', thumbnail_count: 1, file_size: thumbnails[0]!.length });
    } catch (error) {
      enhancements.push({ enhancement_id: 'video-thumbnail', status: `FAILED: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  return { width: probe.width, height: probe.height, duration: probe.duration, thumbnails, enhancements };
}
