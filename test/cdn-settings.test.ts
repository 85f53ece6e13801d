/** The cdn subgraph's settings: validated, documented. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SettingsError } from '../core/settings.ts';
import { parseCdnSettings } from '../subgraphs/cdn/settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'cdn-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the cdn settings of certificates', () => {
  it('polls pending certificates every 30 s and issues with the local CA by default', () => {
    expect(parseCdnSettings({})).toMatchObject({ certificatePollMs: 30_000, acme: undefined });
  });

  it('reads the ACME server, its contact and the CA its HTTPS is checked against', () => {
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const settings = parseCdnSettings({ ACME_DIRECTORY_URL: 'https://acme.test/dir', ACME_EMAIL: 'ops@example.com', ACME_CA_FILE: caFile });
    expect(settings.acme).toEqual({
      directoryUrl: 'https://acme.test/dir',
      email: 'ops@example.com',
      caPem: expect.stringContaining('BEGIN CERTIFICATE'),
    });
  });

  it.each([
    [{ CDN_CERTIFICATE_POLL_MS: '5' }, /CDN_CERTIFICATE_POLL_MS must be a whole number from 10/],
    [{ CDN_CERTIFICATE_POLL_MS: 'soon' }, /CDN_CERTIFICATE_POLL_MS/],
    [{ ACME_DIRECTORY_URL: 'ftp://acme.test/dir' }, /ACME_DIRECTORY_URL must be a http:\/\/ or https:\/\/ URL/],
    [{ ACME_EMAIL: 'ops@example.com' }, /need ACME_DIRECTORY_URL/],
    [{ ACME_DIRECTORY_URL: 'https://acme.test/dir', ACME_EMAIL: 'not an address' }, /ACME_EMAIL must be an email address/],
    [{ ACME_DIRECTORY_URL: 'https://acme.test/dir', ACME_CA_FILE: join(dir, 'missing.pem') }, /ACME_CA_FILE must be a readable PEM file/],
  ])('refuses %o', (env, message) => {
    expect(() => parseCdnSettings(env)).toThrow(SettingsError);
    expect(() => parseCdnSettings(env)).toThrow(message);
  });

  it('lists in the README exactly the variables it reads', () => {
    const source = readFileSync(new URL('../subgraphs/cdn/settings.ts', import.meta.url), 'utf8');
    const read = new Set([...source.matchAll(/\(env, '([A-Z_]+)'/g)].map((match) => match[1]));
    const readme = readFileSync(new URL('../subgraphs/cdn/README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Settings'), readme.indexOf('## Permissions'));
    const documented = new Set([...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]));
    expect(read.size).toBeGreaterThan(8);
    expect([...documented].sort()).toEqual([...read].sort());
  });
});
