/**
 * Image moderation with NSFWJS (MobileNetV2, the model inside the npm package: nothing is downloaded) on
 * TensorFlow.js's WebAssembly backend, whose .wasm files come inside @tensorflow/tfjs-backend-wasm.
 * The model is loaded once per process, on first use (about 0.3 s).
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import sharp from 'sharp';

export interface ModerationLabel {
  /** One of NSFWJS's classes: Drawing, Hentai, Neutral, Porn, Sexy. */
  name: string;
  /** 0 to 1. */
  confidence: number;
}

type Model = { classify(image: unknown, topk?: number): Promise<{ className: string; probability: number }[]> };
let loading: Promise<{ model: Model; tf: typeof import('@tensorflow/tfjs') }> | undefined;

async function loadModel() {
  const tf = await import('@tensorflow/tfjs');
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  const wasmFile = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
  setWasmPaths(`${dirname(wasmFile)}/`);
  await tf.setBackend('wasm');
  await tf.ready();
  const nsfwjs = await import('nsfwjs');
  return { model: (await nsfwjs.load('MobileNetV2')) as Model, tf };
}

/** MobileNetV2's input size. */
const INPUT_SIZE = 224;

/** Every class with its probability, most likely first. */
export async function moderateImage(image: Buffer): Promise<ModerationLabel[]> {
  loading ??= loadModel().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  const { model, tf } = await loading;
  const { data, info } = await sharp(image)
    .removeAlpha()
    .resize(INPUT_SIZE, INPUT_SIZE, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const tensor = tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32');
  try {
    const predictions = await model.classify(tensor, 5);
    return predictions.map(({ className, probability }) => ({ name: className, confidence: Math.round(probability * 10_000) / 10_000 }));
  } finally {
    tensor.dispose();
  }
}

/** Classes that make an image unsafe to show without a warning. */
export const UNSAFE_LABELS: ReadonlySet<string> = new Set(['Hentai', 'Porn', 'Sexy']);
