/**
 * Image tags and moderation labels from kit/vision, the same libraries the actions use: tags from the
 * pixels (orientation, dominant colour, transparency, greyscale; each certain, confidence 1), moderation
 * from NSFWJS (its five classes with their probabilities, most likely first).
 */
import { moderateImage, tagImage } from '../../kit/vision/index.ts';
import type { ImageVision } from './analyse.ts';

export function createImageVision(): ImageVision {
  return {
    async tags(image) {
      const { tags } = await tagImage(image);
      return tags.map((name) => ({ id: name, name, confidence: 1 }));
    },
    async moderationLabels(image) {
      return (await moderateImage(image)).map(({ name, confidence }) => ({ id: name, name, confidence }));
    },
  };
}
