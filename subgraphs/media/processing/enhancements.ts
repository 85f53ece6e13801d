/**
 * The enhancements processing runs, one `Enhancement` each; every processed asset gets one
 * `AssetEnhancement` row per enhancement of its library's type.
 */
import type { AssetType } from '../validation.ts';

export interface EnhancementDefinition {
  id: string;
  display_name: string;
  asset_type: AssetType;
  response_type: string | null;
}

// Fixed with the catalog, which changes only with the code.
const CATALOG_DATE = '2026-01-01T00:00:00.000Z';

export const ENHANCEMENTS: readonly EnhancementDefinition[] = [
  { id: 'image-metadata', display_name: 'Image metadata', asset_type: 'IMAGE', response_type: null },
  { id: 'image-thumbnails', display_name: 'Image thumbnails', asset_type: 'IMAGE', response_type: 'image/jpeg' },
  { id: 'image-tags', display_name: 'Image tags', asset_type: 'IMAGE', response_type: null },
  { id: 'image-moderation', display_name: 'Image moderation labels', asset_type: 'IMAGE', response_type: null },
  { id: 'video-metadata', display_name: 'Video metadata', asset_type: 'VIDEO', response_type: null },
  { id: 'video-thumbnail', display_name: 'Video frame thumbnail', asset_type: 'VIDEO', response_type: 'image/jpeg' },
  { id: 'audio-metadata', display_name: 'Audio metadata', asset_type: 'AUDIO', response_type: null },
];

export function enhancementById(id: string) {
  const found = ENHANCEMENTS.find((enhancement) => enhancement.id === id);
  return found && { ...found, name: found.id, created_at: CATALOG_DATE, updated_at: CATALOG_DATE };
}

/** What one enhancement produced; `status` is COMPLETED, FAILED: <why> or UNAVAILABLE: <why>. */
export interface EnhancementResult {
  enhancement_id: string;
  status: string;
  thumbnail_count?: number;
  file_size?: number;
  image_tags?: Array<{ id: string; name: string; confidence: number }>;
  image_moderation_labels?: Array<{ id: string; name: string; confidence: number }>;
}
