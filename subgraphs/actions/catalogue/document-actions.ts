/** Documents: a PDF from text (pdfkit), a zip of several files (fflate). */
import { zipSync } from 'fflate';
import PDFDocument from 'pdfkit';
import { FILE_INPUT, type ActionDefinition } from './types.ts';

function pdfFromText(text: string, title: string | undefined): Promise<{ bytes: Buffer; pages: number }> {
  return new Promise((resolve, reject) => {
    const document = new PDFDocument({
      size: 'A4',
      margin: 56,
      bufferPages: true,
      info: { Title: title ?? 'Document', Producer: 'Cognitive Cloud' },
    });
    const chunks: Buffer[] = [];
    document.on('data', (chunk: Buffer) => chunks.push(chunk));
    document.on('error', reject);
    document.on('end', () => resolve({ bytes: Buffer.concat(chunks), pages }));
    if (title) document.fontSize(18).text(title).moveDown();
    document.fontSize(11).text(text);
    const pages = document.bufferedPageRange().count;
    document.end();
  });
}

const MAX_ZIP_FILES = 100;

export const documentActions: ActionDefinition[] = [
  {
    id: 'pdf-from-text',
    name: 'PDF from text',
    description: 'Typesets a text (and an optional title) as an A4 PDF. Returns artifact_url, pages, bytes.',
    category: 'document',
    model: 'pdfkit',
    trigger_word: 'pdf',
    cost_unit: 'document',
    unit_price_minor: 2,
    featured: true,
    added_at: '2026-09-01',
    json_schema: {
      type: 'object',
      required: ['text'],
      additionalProperties: false,
      properties: { text: { type: 'string', minLength: 1, maxLength: 500_000 }, title: { type: 'string', maxLength: 200 } },
    },
    async run({ text, title }: { text: string; title?: string }, tools) {
      const { bytes, pages } = await pdfFromText(text, title);
      return { artifact_url: await tools.saveArtifact(bytes, 'application/pdf'), pages, bytes: bytes.length };
    },
  },
  {
    id: 'archive-zip',
    name: 'Zip archive',
    description: 'Packs files, each given as text or as a file input (URL or data: URL), into one zip. Returns artifact_url, files, bytes.',
    category: 'document',
    model: 'fflate',
    trigger_word: 'zip',
    cost_unit: 'archive',
    unit_price_minor: 2,
    added_at: '2026-09-01',
    json_schema: {
      type: 'object',
      required: ['files'],
      additionalProperties: false,
      properties: {
        files: {
          type: 'array',
          minItems: 1,
          maxItems: MAX_ZIP_FILES,
          items: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            oneOf: [{ required: ['text'] }, { required: ['file'] }],
            // A relative path without "..": a zip entry that climbs out of the folder it is unpacked in is refused.
            properties: {
              name: { type: 'string', minLength: 1, maxLength: 255, pattern: '^(?!/)(?!.*(^|/)\\.\\.(/|$))[^\\\\]+$' },
              text: { type: 'string', maxLength: 1_000_000 },
              file: FILE_INPUT,
            },
          },
        },
      },
    },
    async run({ files }: { files: { name: string; text?: string; file?: string }[] }, tools) {
      const entries: Record<string, Uint8Array> = {};
      for (const entry of files)
        entries[entry.name] = entry.file === undefined ? Buffer.from(entry.text ?? '', 'utf8') : await tools.readFile(entry.file);
      const bytes = Buffer.from(zipSync(entries, { level: 6 }));
      return { artifact_url: await tools.saveArtifact(bytes, 'application/zip'), files: Object.keys(entries).length, bytes: bytes.length };
    },
  },
];
