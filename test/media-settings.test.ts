/** Media settings (validated, documented), asset status transitions and custom domain names, in process. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ASSET_STATUSES, canSetStatus } from '../subgraphs/media/asset-status.ts';
import { requireDomain } from '../subgraphs/media/domains.ts';
import { parseMediaSettings } from '../subgraphs/media/settings.ts';

describe('media settings', () => {
  it('has documented defaults', () => {
    const settings = parseMediaSettings({});
    expect(settings).toMatchObject({
      publicUrl: undefined,
      maxUploadBytes: 1024 * 1024 * 1024,
      uploadUrlTtlSeconds: 3600,
      downloadUrlTtlSeconds: 3600,
      minPartBytes: 5 * 1024 * 1024,
      sweepIntervalMs: 5000,
      importTimeoutMs: 60_000,
      processingConcurrency: 2,
      outboundAllowedHosts: undefined,
      ffmpegPath: undefined,
      dnsServers: undefined,
    });
    expect(Object.isFrozen(settings)).toBe(true);
    expect(parseMediaSettings({ MEDIA_DNS_SERVERS: '1.1.1.1, 127.0.0.1:5353' }).dnsServers).toEqual(['1.1.1.1', '127.0.0.1:5353']);
  });

  it.each([
    ['MEDIA_PUBLIC_URL', 'ftp://example.com'],
    ['MEDIA_MAX_UPLOAD_BYTES', '0'],
    ['MEDIA_UPLOAD_URL_TTL_SECONDS', '1.5'],
    ['MEDIA_DOWNLOAD_URL_TTL_SECONDS', '999999999'],
    ['MEDIA_SWEEP_INTERVAL_MS', '10'],
    ['MEDIA_PROCESSING_CONCURRENCY', 'many'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => parseMediaSettings({ [name]: value })).toThrow(name);
  });

  it('lists in the README exactly the variables it reads', () => {
    const source = readFileSync(new URL('../subgraphs/media/settings.ts', import.meta.url), 'utf8');
    const read = new Set([...source.matchAll(/\(env, '([A-Z_]+)'/g)].map((match) => match[1]));
    const readme = readFileSync(new URL('../subgraphs/media/README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Settings'), readme.indexOf('## Choices'));
    const documented = new Set([...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]));
    expect(read.size).toBeGreaterThan(8);
    expect([...documented].sort()).toEqual([...read].sort());
  });
});

describe('set_asset_status transitions', () => {
  it('allows exactly the documented ones', () => {
    const allowed = ASSET_STATUSES.flatMap((from) =>
      ASSET_STATUSES.filter((to) => to !== from && canSetStatus(from, to)).map((to) => `${from}->${to}`),
    );
    expect(allowed.sort()).toEqual([
      'ARCHIVED->READY',
      'FAILED->UPLOAD_PROCESSING',
      'READY->ARCHIVED',
      'READY->UPLOAD_PROCESSING',
      'UPLOAD_PENDING->FAILED',
    ]);
  });
});

describe('custom domain names', () => {
  it('normalises a host name and accepts internationalised top-level domains', () => {
    expect(requireDomain(' Media.Example.COM. ')).toBe('media.example.com');
    expect(requireDomain('cdn.example.xn--p1ai')).toBe('cdn.example.xn--p1ai');
  });
});
