/** Vision: text recognition, moderation and tags, from kit/vision (models inside npm packages). */
import { moderateImage, recognizeText, tagImage } from '../../kit/vision/index.ts';
import { FILE_INPUT, type ActionDefinition } from './types.ts';

const imageOnly = { type: 'object', required: ['image'], additionalProperties: false, properties: { image: FILE_INPUT } };

export const visionActions: ActionDefinition[] = [
  {
    id: 'image-ocr',
    name: 'Read text in image (OCR)',
    description: 'Recognizes English text in an image. Returns text and confidence (0-100).',
    category: 'vision',
    model: 'tesseract.js (LSTM, eng)',
    trigger_word: 'ocr',
    cost_unit: 'image',
    unit_price_minor: 3,
    featured: true,
    added_at: '2026-09-01',
    json_schema: imageOnly,
    async run({ image }: { image: string }, tools) {
      return recognizeText(await tools.readFile(image));
    },
  },
  {
    id: 'image-moderation',
    name: 'Image moderation',
    description:
      'Classifies an image as Drawing, Neutral, Sexy, Hentai or Porn, each with a confidence; returns the labels, most likely first.',
    category: 'vision',
    model: 'NSFWJS MobileNetV2 (TensorFlow.js, wasm)',
    trigger_word: 'moderate',
    cost_unit: 'image',
    unit_price_minor: 2,
    added_at: '2026-09-01',
    json_schema: imageOnly,
    async run({ image }: { image: string }, tools) {
      return { labels: await moderateImage(await tools.readFile(image)) };
    },
  },
  {
    id: 'image-tags',
    name: 'Image tags',
    description: 'Tags an image by orientation, dominant colour, transparency and greyscale.',
    category: 'vision',
    model: 'sharp statistics',
    trigger_word: 'tag',
    cost_unit: 'image',
    unit_price_minor: 1,
    added_at: '2026-11-20',
    json_schema: imageOnly,
    async run({ image }: { image: string }, tools) {
      return tagImage(await tools.readFile(image));
    },
  },
];
