/**
 * The scheduled task that validates pending certificates, as ACM does in the background: every
 * CDN_CERTIFICATE_POLL_MS each PENDING_VALIDATION certificate's record is resolved through CDN_DNS_SERVERS;
 * once it is published the certificate is issued (local CA, or ACME when its record is the TXT of a DNS-01
 * challenge) and ISSUED. Still pending 72 hours after the request, it is VALIDATION_TIMED_OUT, as ACM's.
 * Replicas each run it: a certificate is issued under a lease (`lease_until`) only its taker holds, and
 * every status change is conditional on PENDING_VALIDATION, so two replicas never issue one twice.
 */
import { Resolver } from 'node:dns/promises';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { startPeriodicTask, type PeriodicTask } from '../kit/periodic-task.ts';
import { CertificateRefused } from './acme-issuer.ts';
import type { IssuedCertificate } from './local-ca.ts';
import type { CdnServices } from './services.ts';
import type { CdnDatabase, CertificateRow } from './store.ts';

/** ACM's validation window. */
export const VALIDATION_TIMEOUT_MS = 72 * 3_600_000;
/** Longer than an issuance takes (an ACME validation and finalization); a taker that died loses it then. */
const LEASE_MS = 5 * 60_000;

const withoutDot = (name: string) => name.replace(/\.$/, '').toLowerCase();

async function recordPublished(services: CdnServices, row: CertificateRow): Promise<boolean> {
  const resolver = new Resolver({ timeout: 2_000, tries: 1 });
  if (services.settings.dnsServers) resolver.setServers(services.settings.dnsServers);
  const name = withoutDot(row.validation_name);
  if (row.validation_type === 'TXT') {
    // A TXT record may come in several strings: they are one value.
    const records = await resolver.resolveTxt(name).catch(() => [] as string[][]);
    return records.some((parts) => parts.join('') === row.validation_value);
  }
  const targets = await resolver.resolveCname(name).catch(() => [] as string[]);
  return targets.map(withoutDot).includes(withoutDot(row.validation_value));
}

async function issue(services: CdnServices, row: CertificateRow): Promise<IssuedCertificate> {
  if (row.validation_type !== 'TXT') return services.ca.issue(row.domain_name);
  if (!services.acme) throw new Error('an ACME certificate is pending but ACME_DIRECTORY_URL is not set');
  const issued = await services.acme.issue(row.acme_order_url!, row.domain_name, services.keys.decrypt(row.private_key_encrypted!));
  return { ...issued, privateKeyEncrypted: row.private_key_encrypted! };
}

/** Takes the certificate's lease if no live one is held; true when this caller now holds it. */
async function takeLease(db: Kysely<CdnDatabase>, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('certificates')
    .set({ lease_until: new Date(now.getTime() + LEASE_MS).toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'PENDING_VALIDATION')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now.toISOString())]))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Moves a pending certificate on; false when it was no longer pending (another replica moved it first). */
async function finish(db: Kysely<CdnDatabase>, id: string, changes: Partial<CertificateRow>): Promise<boolean> {
  const result = await db
    .updateTable('certificates')
    .set({ ...changes, lease_until: null })
    .where('id', '=', id)
    .where('status', '=', 'PENDING_VALIDATION')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** One pass over the pending certificates, as of `now`. */
export async function validatePendingCertificates(
  services: CdnServices,
  db: Kysely<CdnDatabase>,
  log: Logger,
  now = new Date(),
): Promise<void> {
  const pending = await db.selectFrom('certificates').selectAll().where('status', '=', 'PENDING_VALIDATION').execute();
  for (const row of pending) {
    if (now.getTime() - Date.parse(row.created_at) >= VALIDATION_TIMEOUT_MS) {
      await finish(db, row.id, { status: 'VALIDATION_TIMED_OUT' });
      continue;
    }
    if (!(await recordPublished(services, row)) || !(await takeLease(db, row.id, now))) continue;
    try {
      const issued = await issue(services, row);
      const stored = await finish(db, row.id, {
        status: 'ISSUED',
        certificate_pem: issued.certificatePem,
        chain_pem: issued.chainPem,
        private_key_encrypted: issued.privateKeyEncrypted,
        issuer: issued.issuer,
        issued_at: new Date().toISOString(),
        not_before: issued.notBefore.toISOString(),
        not_after: issued.notAfter.toISOString(),
      });
      if (stored) log.info({ certificate: row.arn, issuer: issued.issuer }, 'certificate issued');
    } catch (error) {
      if (error instanceof CertificateRefused) {
        const stored = await finish(db, row.id, { status: 'FAILED', failure_reason: error.failureReason });
        if (stored) log.warn({ certificate: row.arn, reason: error.failureReason }, 'certificate refused by the ACME server');
      } else {
        // Not for good (the ACME server unreachable, a challenge still being checked): the next pass tries again.
        await db.updateTable('certificates').set({ lease_until: null }).where('id', '=', row.id).execute();
        log.warn({ err: error, certificate: row.arn }, 'could not issue a validated certificate yet');
      }
    }
  }
}

export function startCertificatePoller(services: CdnServices, db: Kysely<CdnDatabase>, log: Logger): PeriodicTask {
  return startPeriodicTask('validating pending certificates', services.settings.certificatePollMs, log, () =>
    validatePendingCertificates(services, db, log),
  );
}
