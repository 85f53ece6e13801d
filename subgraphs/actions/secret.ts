/**
 * The subgraph's own HMAC key (ACTIONS_SECRET), from which each project's webhook secret is derived, so no
 * per-project secret is ever stored. Unset, it is generated once into
 * DATA_DIR (owner-only), shared by the subgraph and its workers on this machine.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Keyring {
  /** The Standard Webhooks secret of a project: "whsec_" and 32 bytes in base64. */
  webhookSecret(projectId: string): string;
}

export function loadKeyring(configured: string | undefined, dataDir: string): Keyring {
  const key = configured ?? loadOrCreate(join(dataDir, 'actions-secret'));
  return {
    webhookSecret: (projectId) => `whsec_${createHmac('sha256', key).update(`webhook\n${projectId}`).digest('base64')}`,
  };
}

function loadOrCreate(file: string): string {
  mkdirSync(join(file, '..'), { recursive: true });
  // Written aside, then linked into place: the subgraph and its workers starting together agree on one.
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, randomBytes(32).toString('base64url'), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  return readFileSync(file, 'utf8').trim();
}
