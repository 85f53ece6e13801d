/** Image analysis shared by the actions and media subgraphs: see README.md. */
export { moderateImage, UNSAFE_LABELS, type ModerationLabel } from './moderation.ts';
export { recognizeText, stopRecognizer, type RecognizedText } from './ocr.ts';
export { tagImage, type ImageTags } from './tags.ts';
