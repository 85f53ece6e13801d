/**
 * The certificate poller as several replicas run it: passes made here beside the subgraph's own (which runs
 * at start, then hourly: CDN_CERTIFICATE_POLL_MS), on the same store, at chosen times; on SQLite and, where
 * PostgreSQL is installed (always under CI), on PostgreSQL through DATABASE_URL.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePendingCertificates, VALIDATION_TIMEOUT_MS } from '../subgraphs/cdn/certificate-poller.ts';
import { openKeyEncryption } from '../subgraphs/cdn/key-encryption.ts';
import { openLocalCa } from '../subgraphs/cdn/local-ca.ts';
import type { CdnServices } from '../subgraphs/cdn/services.ts';
import { parseCdnSettings } from '../subgraphs/cdn/settings.ts';
import type { CdnDatabase } from '../subgraphs/cdn/store.ts';
import { startDnsServer, type TestDnsServer } from './helpers/dns-server.ts';
import { startCdnPlatform, type CdnPlatform } from './helpers/cdn-platform.ts';
import { captureLogs } from './helpers/logs.ts';
import { startPostgres, type PostgresServer } from './helpers/postgres.ts';
import { POSTGRES } from './helpers/servers.ts';

const DETAILS = `query ($id: String!) { get_certificate_details(id: $id) { status domain_validation_options { validation_status } } }`;
const hoursLater = (hours: number) => new Date(Date.now() + hours * 3_600_000);

function describePoller(title: string, skip: boolean, storeEnv: () => Promise<Record<string, string>>) {
  describe.skipIf(skip)(title, () => {
    let platform: CdnPlatform;
    let dns: TestDnsServer;
    let db: Kysely<CdnDatabase>;
    let services: CdnServices;

    beforeAll(async () => {
      dns = await startDnsServer();
      platform = await startCdnPlatform({ ...(await storeEnv()), CDN_DNS_SERVERS: dns.address, CDN_CERTIFICATE_POLL_MS: '3600000' });
      db = platform.subgraphs.cdn!.store.db as unknown as Kysely<CdnDatabase>;
      const keys = openKeyEncryption(platform.dataDir);
      services = {
        settings: parseCdnSettings({ CDN_DNS_SERVERS: dns.address }),
        keys,
        ca: await openLocalCa(platform.dataDir, keys),
        acme: undefined,
      };
    }, 60_000);
    afterAll(async () => {
      await platform?.stop();
      await dns?.stop();
    });

    async function requestCertificate(domain: string, publish: boolean): Promise<string> {
      const { request_certificate: arn } = await platform.ok(
        platform.keys.DEVELOPER,
        'mutation ($d: String!, $p: String!) { request_certificate(domainName: $d, project_id: $p) }',
        { d: domain, p: platform.projectId },
      );
      if (publish) {
        const row = await db.selectFrom('certificates').selectAll().where('arn', '=', arn).executeTakeFirstOrThrow();
        dns.cname.set(row.validation_name.replace(/\.$/, ''), row.validation_value.replace(/\.$/, ''));
      }
      return arn;
    }

    const statusOf = async (arn: string) =>
      (await db.selectFrom('certificates').select('status').where('arn', '=', arn).executeTakeFirstOrThrow()).status;

    it('issues a published certificate once when two replicas validate it at the same time', async () => {
      const arn = await requestCertificate('twice.example.com', true);
      const replicas = [captureLogs(), captureLogs()];
      await Promise.all(replicas.map((replica) => validatePendingCertificates(services, db, replica.logger)));
      const issuances = replicas.flatMap((replica) => replica.messages).filter((line) => line.msg === 'certificate issued');
      expect(issuances).toHaveLength(1);
      expect(await statusOf(arn)).toBe('ISSUED');
    });

    it('leaves a certificate another replica holds the lease of, and takes it once that lease has expired', async () => {
      const arn = await requestCertificate('leased.example.com', true);
      await db
        .updateTable('certificates')
        .set({ lease_until: hoursLater(1).toISOString() })
        .where('arn', '=', arn)
        .execute();
      await validatePendingCertificates(services, db, captureLogs().logger);
      expect(await statusOf(arn)).toBe('PENDING_VALIDATION');
      await validatePendingCertificates(services, db, captureLogs().logger, hoursLater(2));
      expect(await statusOf(arn)).toBe('ISSUED');
    });

    it('times a certificate out 72 hours after its request, as ACM, and issues it no more', async () => {
      const arn = await requestCertificate('late.example.com', false);
      await validatePendingCertificates(services, db, captureLogs().logger, new Date(Date.now() + VALIDATION_TIMEOUT_MS - 60_000));
      expect(await statusOf(arn)).toBe('PENDING_VALIDATION');
      await validatePendingCertificates(services, db, captureLogs().logger, new Date(Date.now() + VALIDATION_TIMEOUT_MS));
      const details = (await platform.ok(platform.keys.READONLY, DETAILS, { id: arn })).get_certificate_details;
      expect(details).toEqual({ status: 'VALIDATION_TIMED_OUT', domain_validation_options: [{ validation_status: 'FAILED' }] });

      const row = await db.selectFrom('certificates').selectAll().where('arn', '=', arn).executeTakeFirstOrThrow();
      dns.cname.set(row.validation_name.replace(/\.$/, ''), row.validation_value.replace(/\.$/, ''));
      await validatePendingCertificates(services, db, captureLogs().logger);
      expect(await statusOf(arn)).toBe('VALIDATION_TIMED_OUT');
    });
  });
}

let postgres: PostgresServer | undefined;
afterAll(() => postgres?.stop());

describePoller('the certificate poller on SQLite', false, async () => ({}));
describePoller(POSTGRES.title('the certificate poller on PostgreSQL'), POSTGRES.skip, async () => {
  postgres ??= await startPostgres();
  return { DATABASE_URL: await postgres.createDatabase() };
});
