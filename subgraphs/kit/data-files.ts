/** Files a service generates once into DATA_DIR (keys, secrets) and then reads on every start. */
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads `dataDir/name`, creating it first with `create()` (owner-only permissions) if it does not exist yet. */
export function loadOrCreateFile(dataDir: string, name: string, create: () => string): string {
  const file = join(dataDir, name);
  // Made only when missing: making can be costly (an RSA key).
  if (existsSync(file)) return readFileSync(file, 'utf8');
  mkdirSync(dataDir, { recursive: true });
  // Written aside, then linked into place: processes starting together never read a half-written file.
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, create(), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  return readFileSync(file, 'utf8');
}
