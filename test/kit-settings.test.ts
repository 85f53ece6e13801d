import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInteger, readUrl, SettingsError } from '../core/settings.ts';
import { buildSubgraph, type SubgraphDefinition } from '../subgraphs/kit/build-subgraph.ts';
import { parseSubgraphSettings } from '../subgraphs/kit/settings.ts';
import { definition as billing } from '../subgraphs/billing/index.ts';
import { definition as accounts } from '../subgraphs/accounts/index.ts';
import { IDENTITY_SECRET, silentLogger } from './helpers/platform.ts';

describe('settings shared by every subgraph', () => {
  it('have documented defaults', () => {
    expect(parseSubgraphSettings({})).toEqual({
      host: '127.0.0.1',
      port: undefined,
      dataDir: './data',
      identitySecret: undefined,
      logLevel: 'info',
      databaseUrl: undefined,
      metricsToken: undefined,
      supergraphConfigPath: './supergraph.yaml',
      logFormat: 'json',
      identityWindowMs: 5000,
      redisUrl: undefined,
      serverLimits: { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxConnections: 10_000 },
    });
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be a whole number from 0 to 65535, got "abc"$/],
    [{ PORT: '70000' }, /^PORT must be a whole number/],
    [{ PORT: '12.5' }, /^PORT must be a whole number/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of fatal, error/],
    [{ METRICS_TOKEN: '12345' }, /^METRICS_TOKEN must be at least 16 characters long$/],
    [{ DATABASE_URL: 'http://db' }, /^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL$/],
  ])('refuse %o with a line naming the variable', (env, message) => {
    expect(() => parseSubgraphSettings(env)).toThrow(SettingsError);
    expect(() => parseSubgraphSettings(env)).toThrow(message);
  });

  it('never repeat a URL that may hold a password', () => {
    expect(() => readUrl({ DATABASE_URL: 'mysql://admin:hunter2@db' }, 'DATABASE_URL', ['postgres'])).toThrow(/^(?!.*hunter2)/);
  });

  it('read whole numbers only', () => {
    expect(readInteger({ N: '42' }, 'N', 1)).toBe(42);
    expect(() => readInteger({ N: '0x10' }, 'N', 1)).toThrow(SettingsError);
    expect(() => readInteger({ N: '1e3' }, 'N', 1)).toThrow(SettingsError);
  });
});

describe('buildSubgraph', () => {
  it.each<[string, SubgraphDefinition<any>, Record<string, string>]>([
    ['billing', billing, { METRICS_TOKEN: 'short' }],
    ['accounts', accounts, { UPLOAD_URL_TTL_SECONDS: 'soon' }],
  ])('refuses bad %s settings before it opens the store', async (name, definition, env) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kit-settings-'));
    try {
      await expect(buildSubgraph(definition, { dataDir, identitySecret: IDENTITY_SECRET, logger: silentLogger, env })).rejects.toThrow(
        SettingsError,
      );
      expect(existsSync(join(dataDir, `${name}.sqlite`))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
