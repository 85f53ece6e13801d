/** `npm run codegen`: writes every subgraph's generated/ files (see generate.ts). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateAll, ROOT_DIR } from './generate.ts';

for (const file of await generateAll()) {
  const path = join(ROOT_DIR, file.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.content);
  process.stdout.write(`wrote ${file.path}\n`);
}
