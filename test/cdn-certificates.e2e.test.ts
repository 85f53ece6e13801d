import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningEdge } from '../subgraphs/cdn/edge/start-edge.ts';
import type { CdnDatabase } from '../subgraphs/cdn/store.ts';
import { startDnsServer, type TestDnsServer } from './helpers/dns-server.ts';
import { CREATE, distributionConfig, type CdnPlatform, type OriginServer } from './helpers/cdn-platform.ts';
import { edgeHttpsGet, startTlsPlatform, type TlsPlatform } from './helpers/cdn-tls-edge.ts';

let dns: TestDnsServer;
let tls: TlsPlatform;
let platform: CdnPlatform;
let originServer: OriginServer;
let edge: RunningEdge;
let db: Kysely<CdnDatabase>;

beforeAll(async () => {
  dns = await startDnsServer();
  tls = await startTlsPlatform({ CDN_DNS_SERVERS: dns.address, CDN_CERTIFICATE_POLL_MS: '50' }, 'over tls');
  ({ platform, origin: originServer, edge, db } = tls);
}, 60_000);
afterAll(async () => {
  await tls?.stop();
  await dns?.stop();
});

const DETAILS = `query ($id: String!) { get_certificate_details(id: $id) { identifier status domain_name issuer in_use_by
  domain_validation_options { validation_status validation_method resource_record { name type value } } } }`;

describe('cdn certificates', () => {
  it('validates a certificate through DNS in the background, issues it, and serves its alias over TLS with SNI', async () => {
    const { request_certificate: arn } = await platform.ok(
      platform.keys.DEVELOPER,
      'mutation ($p: String!) { request_certificate(domainName: "www.example.com", project_id: $p) }',
      { p: platform.projectId },
    );
    expect(arn).toMatch(new RegExp(`^arn:aws:acm:us-east-1:${platform.projectId}:certificate/`));
    const pending = (await platform.ok(platform.keys.READONLY, DETAILS, { id: arn })).get_certificate_details;
    expect(pending.status).toBe('PENDING_VALIDATION');
    const [option] = pending.domain_validation_options;
    expect(option).toMatchObject({ validation_method: 'DNS', validation_status: 'PENDING_VALIDATION', resource_record: { type: 'CNAME' } });
    expect(option.resource_record.name).toMatch(/^_[0-9a-f]{32}\.www\.example\.com\.$/);

    // Without the record an alias on it is refused: the certificate is not issued.
    const config = distributionConfig(originServer.port, { distribution_aliases: ['www.example.com'], certificate_arn: arn });
    const early = await platform.as(platform.keys.ADMIN, CREATE, { config, project: platform.projectId });
    expect(early.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'config' });

    dns.cname.set(option.resource_record.name.replace(/\.$/, ''), option.resource_record.value.replace(/\.$/, ''));
    // No client reads it meanwhile: the certificate poller alone validates and issues it.
    const stored = () => db.selectFrom('certificates').select('status').where('arn', '=', arn).executeTakeFirstOrThrow();
    await vi.waitFor(async () => expect((await stored()).status).toBe('ISSUED'), { timeout: 20_000, interval: 50 });
    const issued = (await platform.ok(platform.keys.READONLY, DETAILS, { id: arn })).get_certificate_details;
    expect(issued).toMatchObject({ status: 'ISSUED', issuer: 'Cognitive Cloud CDN Local CA' });
    const { get_certificate: pem } = await platform.ok(
      platform.keys.READONLY,
      'query ($id: String!) { get_certificate(id: $id) { certificate certificateChain } }',
      { id: arn },
    );
    expect(pem.certificate).toContain('BEGIN CERTIFICATE');

    const created = (await platform.ok(platform.keys.ADMIN, CREATE, { config, project: platform.projectId })).create_distribution;
    const deletion = await platform.as(platform.keys.ADMIN, 'mutation ($id: String!) { delete_certificate(id: $id) }', { id: arn });
    expect(deletion.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'id' });
    expect((await platform.ok(platform.keys.READONLY, DETAILS, { id: arn })).get_certificate_details.in_use_by).toEqual([created.arn]);

    // The alias belongs to that distribution only.
    const second = (
      await platform.ok(platform.keys.ADMIN, CREATE, { config: distributionConfig(originServer.port), project: platform.projectId })
    ).create_distribution;
    const taken = await platform.as(
      platform.keys.ADMIN,
      'mutation ($id: String!, $arn: String!) { set_distribution_aliases(certificate_arn: $arn, aliases: ["www.example.com"], distribution_id: $id) }',
      { id: second.id, arn },
    );
    expect(taken.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'aliases' });
    const uncovered = await platform.as(
      platform.keys.ADMIN,
      'mutation ($id: String!, $arn: String!) { set_distribution_aliases(certificate_arn: $arn, aliases: ["api.example.com"], distribution_id: $id) }',
      { id: second.id, arn },
    );
    expect(uncovered.body.errors?.[0]?.message).toMatch(/does not cover/);

    await edge.state.refresh();
    const answer = await edgeHttpsGet(edge, 'www.example.com', pem.certificateChain);
    expect(answer).toEqual({ status: 200, body: 'over tls', issuer: 'Cognitive Cloud CDN Local CA' });
    await expect(edgeHttpsGet(edge, 'other.example.com', pem.certificateChain)).rejects.toThrow();
  });
});
