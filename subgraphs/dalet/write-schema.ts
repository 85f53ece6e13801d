/** `npm run dalet:schema`: writes schema.graphql from the section files (see schema-files.ts). */
import { writeFileSync } from 'node:fs';
import { joinDaletSchema } from './schema-files.ts';

writeFileSync(new URL('./schema.graphql', import.meta.url), joinDaletSchema());
