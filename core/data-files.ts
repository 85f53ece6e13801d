/**
 * Files a service generates once into DATA_DIR (keys, secrets) and then reads on every start: written with
 * owner-only permissions, read back by every restart and every process sharing DATA_DIR.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** 32 random bytes, base64url: the default secret. */
export const randomSecret = (): string => randomBytes(32).toString('base64url');

/** Reads `dataDir/name`, creating it first with `create()` (owner-only permissions) if it does not exist yet. */
export function loadOrCreateFile(dataDir: string, name: string, create: () => string = randomSecret): string {
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
