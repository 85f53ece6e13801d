/**
 * The dalet SDL is written one file a doc section (schema/_base.graphql, then modules/<section>/*.graphql);
 * composition and the kit read one file, schema.graphql, which is these joined in this order. It is
 * committed; `npm run dalet:schema` writes it again and test/dalet-schema.test.ts checks it is in step.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SECTIONS = ['authentication', 'users', 'user-groups', 'categories', 'configuration'];

export function daletSchemaFiles(): URL[] {
  const base = new URL('./schema/_base.graphql', import.meta.url);
  const modules = SECTIONS.flatMap((section) => {
    const folder = new URL(`./modules/${section}/`, import.meta.url);
    return readdirSync(fileURLToPath(folder))
      .filter((file) => file.endsWith('.graphql'))
      .sort()
      .map((file) => new URL(file, folder));
  });
  return [base, ...modules];
}

export function joinDaletSchema(): string {
  const header = '# Generated from schema/_base.graphql and modules/*/*.graphql by `npm run dalet:schema`: edit those.\n';
  return header + daletSchemaFiles().map((file) => `\n# ${fileURLToPath(file).split('/subgraphs/dalet/')[1]}\n${readFileSync(file, 'utf8').trim()}\n`).join('');
}
