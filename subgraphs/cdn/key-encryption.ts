/**
 * How the CDN keeps private keys at rest (issued certificates' keys, the ACME account key): AES-256-GCM with
 * a key-encryption key generated once into DATA_DIR (`cdn-key-encryption-key`, owner-only), which the
 * subgraph and every edge sharing that folder read. A stored value is `iv.tag.ciphertext`, each base64.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { loadOrCreateFile } from '../../core/data-files.ts';

export interface KeyEncryption {
  encrypt(text: string): string;
  decrypt(encrypted: string): string;
}

export function openKeyEncryption(dataDir: string): KeyEncryption {
  const key = Buffer.from(
    loadOrCreateFile(dataDir, 'cdn-key-encryption-key', () => randomBytes(32).toString('base64')),
    'base64',
  );
  return {
    encrypt(text) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64')).join('.');
    },
    decrypt(encrypted) {
      const [iv, tag, body] = encrypted.split('.').map((part) => Buffer.from(part, 'base64'));
      const decipher = createDecipheriv('aes-256-gcm', key, iv!);
      decipher.setAuthTag(tag!);
      return Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
    },
  };
}
