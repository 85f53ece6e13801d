import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadHmac } from '../subgraphs/accounts/secrets.ts';
import { loadOrCreateIdentitySecret } from '../core/identity.ts';
import { loadOrCreateFile } from '../core/data-files.ts';

let dataDir: string;
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('secrets generated into DATA_DIR', () => {
  it('are written once, owner-only, and read back the same by every later caller', () => {
    dataDir = mkdtempSync(join(tmpdir(), 'data-files-'));
    const first = loadOrCreateFile(dataDir, 'a-secret');
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(loadOrCreateFile(dataDir, 'a-secret', () => 'another value')).toBe(first);
    expect(statSync(join(dataDir, 'a-secret')).mode & 0o777).toBe(0o600);
  });

  it('back both the identity secret and accounts’ HMAC key', () => {
    dataDir = mkdtempSync(join(tmpdir(), 'data-files-'));
    expect(loadOrCreateIdentitySecret(dataDir)).toBe(readFileSync(join(dataDir, 'identity-secret'), 'utf8'));
    const hmac = loadHmac(undefined, dataDir);
    expect(loadHmac(undefined, dataDir)('message')).toBe(hmac('message'));
    expect(statSync(join(dataDir, 'accounts-secret')).mode & 0o777).toBe(0o600);
  });
});
