/**
 * Secrets a service generates for itself when none is configured: written once into DATA_DIR with
 * owner-only permissions, then read by every restart and every process sharing DATA_DIR.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads `dataDir/name`, creating it first with `create()` (default: 32 random bytes, base64url) if it does not exist yet. */
export function loadOrCreateSecretFile(dataDir: string, name: string, create: () => string = () => randomBytes(32).toString('base64url')): string {
  const file = join(dataDir, name);
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
