/** Image processing with sharp; metadata with sharp and exifr. */
import exifr from 'exifr';
import sharp, { type Sharp } from 'sharp';
import { FILE_INPUT, type ActionDefinition, type ActionTools } from './types.ts';

const FORMATS = ['png', 'jpeg', 'webp', 'avif'] as const;
type Format = (typeof FORMATS)[number];
const CONTENT_TYPES: Record<Format, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', avif: 'image/avif' };
const MAX_SIDE = 10_000;
// Refuses decompression bombs: an image whose pixel count exceeds this is not decoded.
const LIMIT_INPUT_PIXELS = 100_000_000;

function open(bytes: Buffer) {
  return sharp(bytes, { limitInputPixels: LIMIT_INPUT_PIXELS, failOn: 'error' });
}

async function saveImage(pipeline: Sharp, format: Format, tools: ActionTools) {
  const { data, info } = await pipeline.toFormat(format).toBuffer({ resolveWithObject: true });
  return {
    artifact_url: await tools.saveArtifact(data, CONTENT_TYPES[format]),
    width: info.width,
    height: info.height,
    format,
    bytes: data.length,
  };
}

async function sourceFormat(bytes: Buffer): Promise<Format> {
  const { format } = await open(bytes).metadata();
  return (FORMATS as readonly string[]).includes(format ?? '') ? (format as Format) : 'png';
}

const dimension = { type: 'integer', minimum: 1, maximum: MAX_SIDE } as const;
const format = { type: 'string', enum: FORMATS } as const;
const imageResult = 'artifact_url, width, height, format, bytes';

export const imageActions: ActionDefinition[] = [
  {
    id: 'image-resize',
    name: 'Resize image',
    description: `Resizes an image to a width and/or height, keeping its aspect ratio by the chosen fit. Returns ${imageResult}.`,
    category: 'image',
    model: 'sharp (libvips)',
    trigger_word: 'resize',
    cost_unit: 'image',
    unit_price_minor: 1,
    featured: true,
    added_at: '2026-09-01',
    json_schema: {
      type: 'object',
      required: ['image'],
      additionalProperties: false,
      anyOf: [{ required: ['width'] }, { required: ['height'] }],
      properties: {
        image: FILE_INPUT,
        width: dimension,
        height: dimension,
        fit: { type: 'string', enum: ['cover', 'contain', 'inside'] },
        format,
      },
    },
    async run(
      {
        image,
        width,
        height,
        fit = 'inside',
        format,
      }: { image: string; width?: number; height?: number; fit?: 'cover' | 'contain' | 'inside'; format?: Format },
      tools,
    ) {
      const bytes = await tools.readFile(image);
      return saveImage(open(bytes).rotate().resize({ width, height, fit }), format ?? (await sourceFormat(bytes)), tools);
    },
  },
  {
    id: 'image-thumbnail',
    name: 'Image thumbnail',
    description: `Makes a square thumbnail (centre crop), webp by default. Returns ${imageResult}.`,
    category: 'image',
    model: 'sharp (libvips)',
    trigger_word: 'thumbnail',
    cost_unit: 'image',
    unit_price_minor: 1,
    added_at: '2026-09-01',
    json_schema: {
      type: 'object',
      required: ['image'],
      additionalProperties: false,
      properties: { image: FILE_INPUT, size: { type: 'integer', minimum: 16, maximum: 1024, default: 128 }, format },
    },
    async run({ image, size = 128, format = 'webp' }: { image: string; size?: number; format?: Format }, tools) {
      return saveImage(
        open(await tools.readFile(image))
          .rotate()
          .resize(size, size, { fit: 'cover', position: 'attention' }),
        format,
        tools,
      );
    },
  },
  {
    id: 'image-convert',
    name: 'Convert image format',
    description: `Converts an image to png, jpeg, webp or avif. Returns ${imageResult}.`,
    category: 'image',
    model: 'sharp (libvips)',
    trigger_word: 'convert',
    cost_unit: 'image',
    unit_price_minor: 1,
    added_at: '2026-09-01',
    json_schema: {
      type: 'object',
      required: ['image', 'format'],
      additionalProperties: false,
      properties: { image: FILE_INPUT, format, quality: { type: 'integer', minimum: 1, maximum: 100 } },
    },
    async run({ image, format, quality }: { image: string; format: Format; quality?: number }, tools) {
      const pipeline = open(await tools.readFile(image)).rotate();
      return saveImage(quality === undefined || format === 'png' ? pipeline : pipeline.toFormat(format, { quality }), format, tools);
    },
  },
  {
    id: 'image-metadata',
    name: 'Image metadata',
    description: "Reads an image's format, size, colour space, alpha and EXIF tags (camera, date, GPS when present).",
    category: 'image',
    model: 'sharp, exifr',
    trigger_word: 'metadata',
    cost_unit: 'image',
    unit_price_minor: 1,
    added_at: '2026-09-01',
    json_schema: { type: 'object', required: ['image'], additionalProperties: false, properties: { image: FILE_INPUT } },
    async run({ image }: { image: string }, tools) {
      const bytes = await tools.readFile(image);
      const metadata = await open(bytes).metadata();
      const exif = (await exifr.parse(bytes, { translateValues: true, reviveValues: true }).catch(() => undefined)) as
        Record<string, unknown> | undefined;
      return {
        format: metadata.format,
        width: metadata.width,
        height: metadata.height,
        space: metadata.space,
        channels: metadata.channels,
        has_alpha: metadata.hasAlpha,
        density: metadata.density ?? null,
        orientation: metadata.orientation ?? null,
        bytes: bytes.length,
        exif: exif ? JSON.parse(JSON.stringify(exif)) : null,
      };
    },
  },
  {
    id: 'image-blur',
    name: 'Blur image',
    description: `Applies a Gaussian blur of the given sigma. Returns ${imageResult}.`,
    category: 'image',
    model: 'sharp (libvips)',
    trigger_word: 'blur',
    cost_unit: 'image',
    unit_price_minor: 1,
    added_at: '2026-11-20',
    json_schema: {
      type: 'object',
      required: ['image'],
      additionalProperties: false,
      properties: { image: FILE_INPUT, sigma: { type: 'number', minimum: 0.3, maximum: 100, default: 4 }, format },
    },
    async run({ image, sigma = 4, format }: { image: string; sigma?: number; format?: Format }, tools) {
      const bytes = await tools.readFile(image);
      return saveImage(open(bytes).rotate().blur(sigma), format ?? (await sourceFormat(bytes)), tools);
    },
  },
];
