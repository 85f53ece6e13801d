/** Text analysis: AFINN sentiment (`sentiment`), fastText language identification, plain statistics. */
import Sentiment from 'sentiment';
import { TEXT_INPUT, type ActionDefinition } from './types.ts';

const sentiment = new Sentiment();

type LanguageModel = { identify(text: string): Promise<{ alpha2: string | null; alpha3: string; refName: string; possibility: number }> };
let languageModel: Promise<LanguageModel> | undefined;

/** fastText's lid.176 model, inside the fasttext.wasm.js package; loaded once per process (about 0.1 s). */
function loadLanguageModel(): Promise<LanguageModel> {
  languageModel ??= (async () => {
    const { getLIDModel } = await import('fasttext.wasm.js');
    const model = await getLIDModel();
    await model.load();
    return model as unknown as LanguageModel;
  })().catch((error: unknown) => {
    languageModel = undefined;
    throw error;
  });
  return languageModel;
}

const perThousandCharacters = (payload: { text: string }) => Math.max(1, Math.ceil(payload.text.length / 1000));

export const textActions: ActionDefinition[] = [
  {
    id: 'text-sentiment',
    name: 'Text sentiment',
    description:
      'Scores how positive or negative an English text is (AFINN-165 word list): score, comparative (score per word) and a positive, neutral or negative label.',
    category: 'text',
    model: 'sentiment (AFINN-165)',
    trigger_word: 'sentiment',
    cost_unit: '1k characters',
    unit_price_minor: 1,
    featured: true,
    added_at: '2026-09-01',
    json_schema: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: TEXT_INPUT } },
    quantity: perThousandCharacters,
    async run({ text }: { text: string }) {
      const { score, comparative } = sentiment.analyze(text);
      return { score, comparative, label: score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral' };
    },
  },
  {
    id: 'text-language',
    name: 'Detect language',
    description: 'Identifies the language of a text among 176, as an ISO 639-1 code with a confidence from 0 to 1.',
    category: 'text',
    model: 'fastText lid.176 (fasttext.wasm.js)',
    trigger_word: 'language',
    cost_unit: '1k characters',
    unit_price_minor: 1,
    added_at: '2026-09-01',
    json_schema: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: TEXT_INPUT } },
    quantity: perThousandCharacters,
    async run({ text }: { text: string }) {
      const model = await loadLanguageModel();
      // fastText reads one line: newlines would cut the text short.
      const result = await model.identify(text.replace(/\s+/g, ' '));
      return {
        language: result.alpha2 ?? result.alpha3,
        confidence: Math.round(result.possibility * 10_000) / 10_000,
        name: result.refName,
      };
    },
  },
  {
    id: 'text-statistics',
    name: 'Text statistics',
    description: 'Counts characters, words, sentences and paragraphs, and estimates the reading time at 230 words a minute.',
    category: 'text',
    model: 'Intl.Segmenter',
    trigger_word: 'count words',
    cost_unit: 'request',
    unit_price_minor: 1,
    added_at: '2026-11-20',
    json_schema: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: TEXT_INPUT } },
    async run({ text }: { text: string }) {
      const words = [...new Intl.Segmenter('en', { granularity: 'word' }).segment(text)].filter((segment) => segment.isWordLike).length;
      const sentences = [...new Intl.Segmenter('en', { granularity: 'sentence' }).segment(text)].filter((segment) =>
        segment.segment.trim(),
      ).length;
      const paragraphs = text.split(/\n\s*\n/).filter((paragraph) => paragraph.trim()).length;
      return { characters: [...text].length, words, sentences, paragraphs, reading_time_seconds: Math.ceil((words / 230) * 60) };
    },
  },
];
