/**
 * ACME issuance (ACME_DIRECTORY_URL) against Debian's pebble: request_certificate answers the DNS-01 TXT
 * record; the test publishes it in pebble-challtestsrv (the DNS pebble asks) and in the test's DNS server
 * (CDN_DNS_SERVERS, what the subgraph asks); the certificate poller validates it and pebble issues it; the
 * edge serves it over TLS with SNI. Published in the subgraph's DNS alone, pebble's validation fails.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CREATE, distributionConfig } from './helpers/cdn-platform.ts';
import { edgeHttpsGet, startTlsPlatform, type TlsPlatform } from './helpers/cdn-tls-edge.ts';
import { startDnsServer, type TestDnsServer } from './helpers/dns-server.ts';
import { startPebble, type Pebble } from './helpers/pebble.ts';
import { PEBBLE } from './helpers/servers.ts';

const DETAILS = `query ($id: String!) { get_certificate_details(id: $id) { status issuer not_after
  domain_validation_options { validation_status resource_record { name type value } } } }`;

describe.skipIf(PEBBLE.skip)(PEBBLE.title('cdn certificates issued through ACME'), () => {
  let pebble: Pebble;
  let dns: TestDnsServer;
  let tls: TlsPlatform;

  beforeAll(async () => {
    pebble = await startPebble();
    dns = await startDnsServer();
    tls = await startTlsPlatform(
      {
        ACME_DIRECTORY_URL: pebble.directoryUrl,
        ACME_CA_FILE: pebble.caFile,
        ACME_EMAIL: 'certificates@example.com',
        CDN_DNS_SERVERS: dns.address,
        CDN_CERTIFICATE_POLL_MS: '100',
      },
      'acme tls',
    );
  }, 60_000);
  afterAll(async () => {
    await tls?.stop();
    await pebble?.stop();
    await dns?.stop();
  });

  const statusOf = async (arn: string) =>
    (await tls.db.selectFrom('certificates').select('status').where('arn', '=', arn).executeTakeFirstOrThrow()).status;

  async function requestCertificate(domain: string): Promise<{ arn: string; record: { name: string; type: string; value: string } }> {
    const { platform } = tls;
    const { request_certificate: arn } = await platform.ok(
      platform.keys.DEVELOPER,
      'mutation ($d: String!, $p: String!) { request_certificate(domainName: $d, project_id: $p) }',
      { d: domain, p: platform.projectId },
    );
    const pending = (await platform.ok(platform.keys.READONLY, DETAILS, { id: arn })).get_certificate_details;
    expect(pending.status).toBe('PENDING_VALIDATION');
    expect(pending.domain_validation_options[0].validation_status).toBe('PENDING_VALIDATION');
    return { arn, record: pending.domain_validation_options[0].resource_record };
  }

  it('answers the DNS-01 TXT record, is issued by pebble once it is published, and is served over TLS with SNI', async () => {
    const { platform, db, origin, edge } = tls;
    const { arn, record } = await requestCertificate('shop.example.com');
    expect(record).toMatchObject({ name: '_acme-challenge.shop.example.com.', type: 'TXT' });
    // The key authorization's digest: SHA-256, base64url without padding (RFC 8555 section 8.4).
    expect(record.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The account key is kept encrypted, never as PEM.
    const account = await db.selectFrom('acme_accounts').selectAll().executeTakeFirstOrThrow();
    expect(account.directory_url).toBe(pebble.directoryUrl);
    expect(account.private_key_encrypted).not.toContain('PRIVATE KEY');

    await pebble.setTxt(record.name, record.value);
    dns.txt.set(record.name.replace(/\.$/, ''), record.value);
    // No client reads it meanwhile: the poller validates it through pebble and stores what pebble issued.
    await vi.waitFor(async () => expect(await statusOf(arn)).toBe('ISSUED'), { timeout: 30_000, interval: 100 });
    const issued = (await platform.ok(platform.keys.READONLY, DETAILS, { id: arn })).get_certificate_details;
    expect(issued.status).toBe('ISSUED');
    expect(issued.domain_validation_options[0].validation_status).toBe('SUCCESS');
    expect(issued.issuer).toMatch(/^Pebble Intermediate CA/);
    expect(issued.issuer).not.toBe('Cognitive Cloud CDN Local CA');
    const { get_certificate: pem } = await platform.ok(
      platform.keys.READONLY,
      'query ($id: String!) { get_certificate(id: $id) { certificate certificateChain } }',
      { id: arn },
    );
    expect(pem.certificate).toContain('BEGIN CERTIFICATE');
    expect(pem.certificateChain).toContain('BEGIN CERTIFICATE');

    const config = distributionConfig(origin.port, { distribution_aliases: ['shop.example.com'], certificate_arn: arn });
    await platform.ok(platform.keys.ADMIN, CREATE, { config, project: platform.projectId });
    await edge.state.refresh();
    // Verified against pebble's root alone: the edge presents pebble's leaf and intermediate.
    const answer = await edgeHttpsGet(edge, 'shop.example.com', await pebble.rootPem());
    expect(answer).toEqual({ status: 200, body: 'acme tls', issuer: issued.issuer });
  });

  it('is FAILED when pebble finds the challenge unanswered, though the subgraph saw the record', async () => {
    const { arn, record } = await requestCertificate('gone.example.com');
    dns.txt.set(record.name.replace(/\.$/, ''), record.value);
    await vi.waitFor(async () => expect(await statusOf(arn)).toBe('FAILED'), { timeout: 30_000, interval: 100 });
    const details = await tls.platform.ok(
      tls.platform.keys.READONLY,
      'query ($id: String!) { get_certificate_details(id: $id) { status failure_reason domain_validation_options { validation_status } } }',
      { id: arn },
    );
    expect(details.get_certificate_details).toEqual({
      status: 'FAILED',
      failure_reason: 'OTHER',
      domain_validation_options: [{ validation_status: 'FAILED' }],
    });
  });
});
