/**
 * Text recognition with tesseract.js, its English model read from the @tesseract.js-data/eng package on
 * disk (nothing is downloaded: langPath is that folder, the cache is off). One recognizer per process,
 * created on first use; tesseract.js queues calls on it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Worker } from 'tesseract.js';

let starting: Promise<Worker> | undefined;

async function startRecognizer(): Promise<Worker> {
  const { createWorker, OEM } = await import('tesseract.js');
  const dataPackage = dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/eng/package.json'));
  return createWorker('eng', OEM.LSTM_ONLY, { langPath: join(dataPackage, '4.0.0_best_int'), gzip: true, cacheMethod: 'none' });
}

export interface RecognizedText {
  text: string;
  /** 0 to 100, tesseract's mean word confidence. */
  confidence: number;
}

export async function recognizeText(image: Buffer): Promise<RecognizedText> {
  starting ??= startRecognizer().catch((error: unknown) => {
    starting = undefined;
    throw error;
  });
  const { data } = await (await starting).recognize(image);
  return { text: data.text.trim(), confidence: data.confidence };
}

/** Ends the recognizer's worker thread, so a process can exit. */
export async function stopRecognizer(): Promise<void> {
  const worker = starting;
  starting = undefined;
  await (await worker)?.terminate();
}
