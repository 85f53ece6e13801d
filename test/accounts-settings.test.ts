/** Accounts settings (validated, documented) and the rule of who may grant which role. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../subgraphs/kit/permissions.ts';
import { parseAccountsSettings } from '../subgraphs/accounts/settings.ts';
import { mayGrant } from '../subgraphs/accounts/validation.ts';

describe('accounts settings', () => {
  it('has documented defaults', () => {
    expect(parseAccountsSettings({})).toMatchObject({
      bootstrapOwnerEmail: 'owner@localhost',
      bootstrapAdminKey: undefined,
      accessTokenTtlSeconds: 86_400,
      publicUrl: 'http://127.0.0.1:4001',
      profilePictureMaxBytes: 5 * 1024 * 1024,
      uploadUrlTtlSeconds: 900,
      pictureUrlTtlSeconds: 3600,
      pictureSweepIntervalMs: 5000,
      lastUsedFlushMs: 10_000,
      smtpUrl: undefined,
    });
    expect(Object.isFrozen(parseAccountsSettings({}))).toBe(true);
  });

  it.each([
    ['BOOTSTRAP_OWNER_EMAIL', 'not an email'],
    ['BOOTSTRAP_ADMIN_KEY', 'too-short'],
    ['BOOTSTRAP_ADMIN_KEY', 'a key with spaces in it, long enough'],
    ['ACCESS_TOKEN_TTL_SECONDS', '0'],
    ['ACCESS_TOKEN_TTL_SECONDS', 'a day'],
    ['ACCOUNTS_PUBLIC_URL', 'ftp://example.com'],
    ['SMTP_URL', 'http://mail.example.com'],
    ['PROFILE_PICTURE_MAX_BYTES', '-5'],
    ['UPLOAD_URL_TTL_SECONDS', '1.5'],
    ['PROFILE_PICTURE_URL_TTL_SECONDS', '0'],
    ['PROFILE_PICTURE_SWEEP_INTERVAL_MS', '10'],
    ['API_KEY_LAST_USED_FLUSH_MS', '10'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => parseAccountsSettings({ [name]: value })).toThrow(name);
  });

  it('lists in the README exactly the variables it reads', () => {
    const source = readFileSync(new URL('../subgraphs/accounts/settings.ts', import.meta.url), 'utf8');
    const read = new Set([...source.matchAll(/\(env, '([A-Z_]+)'/g)].map((match) => match[1]));
    const readme = readFileSync(new URL('../subgraphs/accounts/README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Settings'), readme.indexOf('## Internal contract'));
    const documented = new Set([...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]));
    expect(read.size).toBeGreaterThan(5);
    expect([...documented].sort()).toEqual([...read].sort());
  });
});

describe('who may grant which role', () => {
  it('follows the Permissions table: a role grants the roles whose permissions it all holds', () => {
    const grants = Object.fromEntries(ROLES.map((granter) => [granter, ROLES.filter((role) => mayGrant(granter, role))]));
    expect(grants).toEqual({
      ADMIN: ['ADMIN', 'DEVELOPER', 'READONLY', 'FINANCE'],
      DEVELOPER: ['DEVELOPER', 'READONLY'],
      READONLY: ['READONLY'],
      FINANCE: ['READONLY', 'FINANCE'],
    });
  });
});
