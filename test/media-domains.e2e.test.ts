/**
 * Custom domains: names validated, one primary per library, verification by a DNS TXT record (a DNS
 * server run by the test), and the file server answering by Host header only under verified domains.
 */
import { request } from 'node:http';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from './helpers/accounts-platform.ts';
import { startDnsServer, type TestDnsServer } from './helpers/dns-server.ts';
import { startMediaPlatform, type MediaPlatform } from './helpers/media-platform.ts';

let dns: TestDnsServer;
let platform: MediaPlatform;
let mediaOrigin: URL;

beforeAll(async () => {
  dns = await startDnsServer();
  platform = await startMediaPlatform({ MEDIA_DNS_SERVERS: dns.address });
  mediaOrigin = new URL(platform.subgraphUrls.media!);
});
afterAll(async () => {
  await platform?.stop();
  await dns?.stop();
});

const DOMAIN_FIELDS = 'id domain library_id is_primary verified_at verification_record_name verification_record_value library { id }';
const createDomain = (library: string, domain: string) =>
  platform.as(
    ADMIN_KEY,
    `mutation ($lib: String!, $domain: String!) { create_custom_domain(library_id: $lib, domain: $domain) { ${DOMAIN_FIELDS} } }`,
    { lib: library, domain },
  );
const listDomains = async (library: string) =>
  (await platform.ok(ADMIN_KEY, `query ($lib: String!) { list_custom_domains(library_id: $lib) { ${DOMAIN_FIELDS} } }`, { lib: library }))
    .list_custom_domains;

/** GET on the media service with a chosen Host header, as a CDN or browser on that domain would send. */
function getAs(host: string, path: string): Promise<{ status: number; type?: string; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const call = request({ host: mediaOrigin.hostname, port: mediaOrigin.port, path, headers: { host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, type: response.headers['content-type'], bytes: Buffer.concat(chunks) }),
      );
    });
    call.on('error', reject);
    call.end();
  });
}

describe('create_custom_domain', () => {
  it('refuses names that are not public host names', async () => {
    const library = await platform.createLibrary('IMAGE');
    for (const domain of [
      'localhost',
      'printer.local',
      'x.internal',
      '127.0.0.1',
      'no_underscores.example.com',
      'a..example.com',
      '-a.example.com',
      'example',
      'example.123',
      `${'a'.repeat(64)}.com`,
    ]) {
      const { body } = await createDomain(library, domain);
      expect(body.errors?.[0]?.extensions, domain).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'domain' });
    }
    expect(await listDomains(library)).toEqual([]);
  });

  it('keeps one primary per library, the first one added until it is deleted, and a name in one library only', async () => {
    const library = await platform.createLibrary('IMAGE');
    const first = (await createDomain(library, 'Photos.Example.COM.')).body.data.create_custom_domain;
    expect(first).toMatchObject({
      domain: 'photos.example.com',
      library_id: library,
      is_primary: true,
      verified_at: null,
      verification_record_name: '_media-verification.photos.example.com',
      library: { id: library },
    });
    expect(first.verification_record_value).toMatch(/^media-verification=[\w-]{24}$/);
    const second = (await createDomain(library, 'cdn.example.com')).body.data.create_custom_domain;
    expect(second.is_primary).toBe(false);

    const elsewhere = await platform.createLibrary('IMAGE');
    expect((await createDomain(elsewhere, 'photos.example.com')).body.errors?.[0]?.message).toBe(
      'Invalid argument "domain": is already in use',
    );

    const removed = await platform.ok(
      ADMIN_KEY,
      'mutation ($lib: String!) { delete_custom_domain(library_id: $lib, domain: "photos.example.com") }',
      { lib: library },
    );
    expect(removed.delete_custom_domain).toBe(true);
    expect((await listDomains(library)).map((row: any) => [row.domain, row.is_primary])).toEqual([['cdn.example.com', true]]);
    const again = await platform.ok(
      ADMIN_KEY,
      'mutation ($lib: String!) { delete_custom_domain(library_id: $lib, domain: "photos.example.com") }',
      { lib: library },
    );
    expect(again.delete_custom_domain).toBe(false);
    const readonly = await platform.as(
      platform.keys.READONLY,
      'mutation ($lib: String!) { create_custom_domain(library_id: $lib, domain: "ro.example.com") { id } }',
      { lib: library },
    );
    expect(readonly.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the file server', () => {
  it("serves a library's READY files by Host only once its domain's TXT record is verified", async () => {
    const library = await platform.createLibrary('IMAGE');
    const png = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#cc3333' } })
      .png()
      .toBuffer();
    const { assetId } = await platform.upload(library, png, 'image/png');
    await platform.settled(assetId);
    const other = await platform.createLibrary('IMAGE');
    const { assetId: otherAsset } = await platform.upload(other, png, 'image/png');
    await platform.settled(otherAsset);

    const domain = (await createDomain(library, 'media.example.com')).body.data.create_custom_domain;
    await createDomain(library, 'unverified.example.com');
    expect((await getAs('media.example.com', `/assets/${assetId}`)).status).toBe(404);

    dns.txt.set(domain.verification_record_name, domain.verification_record_value);
    dns.txt.set('_media-verification.unverified.example.com', 'media-verification=not-the-token');
    const deadline = Date.now() + 20_000;
    while (!(await listDomains(library)).find((row: any) => row.domain === 'media.example.com').verified_at) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const original = await getAs('media.example.com', `/assets/${assetId}`);
    expect(original).toMatchObject({ status: 200, type: 'image/png' });
    expect(original.bytes.equals(png)).toBe(true);
    expect(await getAs('MEDIA.example.com:443', `/assets/${assetId}/thumbnail`)).toMatchObject({ status: 200, type: 'image/jpeg' });
    expect((await getAs('unverified.example.com', `/assets/${assetId}`)).status).toBe(404);
    expect((await getAs('media.example.com', `/assets/${otherAsset}`)).status).toBe(404);
    expect((await getAs(mediaOrigin.host, `/assets/${assetId}`)).status).toBe(404);

    await platform.ok(ADMIN_KEY, 'mutation ($id: String!) { set_asset_status(id: $id, status: ARCHIVED) { status } }', { id: assetId });
    expect((await getAs('media.example.com', `/assets/${assetId}`)).status).toBe(404);
  }, 30_000);
});
