/**
 * Descriptive tags of an image from its pixels alone (sharp): orientation, whether it has transparency,
 * its dominant colour's name, and whether it is nearly grey. Cheap and deterministic, for search and
 * filtering; moderation.ts says whether it is safe.
 */
import sharp from 'sharp';

const NAMED_COLORS: [name: string, r: number, g: number, b: number][] = [
  ['black', 0, 0, 0],
  ['white', 255, 255, 255],
  ['grey', 128, 128, 128],
  ['red', 220, 30, 30],
  ['orange', 245, 140, 20],
  ['yellow', 240, 220, 40],
  ['green', 40, 170, 60],
  ['blue', 30, 80, 220],
  ['purple', 130, 50, 170],
  ['pink', 240, 130, 180],
  ['brown', 130, 80, 40],
];

function nearestColor(r: number, g: number, b: number): string {
  let best = NAMED_COLORS[0]!;
  let bestDistance = Infinity;
  for (const color of NAMED_COLORS) {
    const distance = (color[1] - r) ** 2 + (color[2] - g) ** 2 + (color[3] - b) ** 2;
    if (distance < bestDistance) [best, bestDistance] = [color, distance];
  }
  return best[0];
}

export interface ImageTags {
  tags: string[];
  dominant_color: { r: number; g: number; b: number; name: string };
}

export async function tagImage(image: Buffer): Promise<ImageTags> {
  const picture = sharp(image);
  const [metadata, stats] = await Promise.all([picture.metadata(), picture.stats()]);
  const { r, g, b } = stats.dominant;
  const name = nearestColor(r, g, b);
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  const tags = [width > height ? 'landscape' : width < height ? 'portrait' : 'square', name];
  if (metadata.hasAlpha && !stats.isOpaque) tags.push('transparent');
  const spread =
    Math.max(...stats.channels.slice(0, 3).map((channel) => channel.mean)) -
    Math.min(...stats.channels.slice(0, 3).map((channel) => channel.mean));
  if (spread < 8) tags.push('greyscale');
  return { tags, dominant_color: { r, g, b, name } };
}
