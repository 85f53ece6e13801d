/**
 * The subgraph's own HMAC key (ACTIONS_SECRET), from which each project's webhook secret is derived, so no
 * per-project secret is ever stored. Unset, it is generated once into
 * DATA_DIR (owner-only), shared by the subgraph and its workers on this machine.
 */
import { createHmac } from 'node:crypto';
import { loadOrCreateFile } from '../../core/data-files.ts';

export interface Keyring {
  /** The Standard Webhooks secret of a project: "whsec_" and 32 bytes in base64. */
  webhookSecret(projectId: string): string;
}

export function loadKeyring(configured: string | undefined, dataDir: string): Keyring {
  // Generated once into DATA_DIR: the subgraph and its workers starting together agree on one.
  const key = configured ?? loadOrCreateFile(dataDir, 'actions-secret');
  return {
    webhookSecret: (projectId) => `whsec_${createHmac('sha256', key).update(`webhook\n${projectId}`).digest('base64')}`,
  };
}
