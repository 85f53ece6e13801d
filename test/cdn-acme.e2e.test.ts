/**
 * ACME issuance (ACME_DIRECTORY_URL) against Debian's pebble: request_certificate answers the DNS-01 TXT
 * record, the test publishes it in pebble-challtestsrv (the DNS both pebble and the subgraph ask), the
 * certificate poller validates it and pebble issues it; the edge serves it over TLS with SNI.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CREATE, distributionConfig } from './helpers/cdn-platform.ts';
import { edgeHttpsGet, startTlsPlatform, type TlsPlatform } from './helpers/cdn-tls-edge.ts';
import { startPebble, type Pebble } from './helpers/pebble.ts';
import { PEBBLE } from './helpers/servers.ts';

const DETAILS = `query ($id: String!) { get_certificate_details(id: $id) { status issuer not_after
  domain_validation_options { validation_status resource_record { name type value } } } }`;

describe.skipIf(PEBBLE.skip)(PEBBLE.title('cdn certificates issued through ACME'), () => {
  let pebble: Pebble;
  let tls: TlsPlatform;

  beforeAll(async () => {
    pebble = await startPebble();
    tls = await startTlsPlatform(
      {
        ACME_DIRECTORY_URL: pebble.directoryUrl,
        ACME_CA_FILE: pebble.caFile,
        ACME_EMAIL: 'certificates@example.com',
        CDN_DNS_SERVERS: pebble.dnsAddress,
        CDN_CERTIFICATE_POLL_MS: '100',
      },
      'acme tls',
    );
  }, 60_000);
  afterAll(async () => {
    await tls?.stop();
    await pebble?.stop();
  });

  it('answers the DNS-01 TXT record, is issued by pebble once it is published, and is served over TLS with SNI', async () => {
    const { platform, db, origin, edge } = tls;
    const { request_certificate: arn } = await platform.ok(
      platform.keys.DEVELOPER,
      'mutation ($p: String!) { request_certificate(domainName: "shop.example.com", project_id: $p) }',
      { p: platform.projectId },
    );
    const pending = (await platform.ok(platform.keys.READONLY, DETAILS, { id: arn })).get_certificate_details;
    expect(pending.status).toBe('PENDING_VALIDATION');
    const [option] = pending.domain_validation_options;
    expect(option.validation_status).toBe('PENDING_VALIDATION');
    expect(option.resource_record).toMatchObject({ name: '_acme-challenge.shop.example.com.', type: 'TXT' });
    // The key authorization's digest: SHA-256, base64url without padding (RFC 8555 section 8.4).
    expect(option.resource_record.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The account key is kept encrypted, never as PEM.
    const account = await db.selectFrom('acme_accounts').selectAll().executeTakeFirstOrThrow();
    expect(account.directory_url).toBe(pebble.directoryUrl);
    expect(account.private_key_encrypted).not.toContain('PRIVATE KEY');

    await pebble.setTxt(option.resource_record.name, option.resource_record.value);
    // No client reads it meanwhile: the poller validates it through pebble and stores what pebble issued.
    await vi.waitFor(
      async () =>
        expect((await db.selectFrom('certificates').select('status').where('arn', '=', arn).executeTakeFirstOrThrow()).status).toBe(
          'ISSUED',
        ),
      { timeout: 30_000, interval: 100 },
    );
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
});
