/**
 * Certificates, as ACM: request_certificate answers the ARN of a certificate in PENDING_VALIDATION with a
 * CNAME validation record. Each read of a pending certificate resolves that record through CDN_DNS_SERVERS;
 * once it points at the expected value the local CA issues the certificate (ISSUED). `id` arguments take
 * the ARN or the identifier. Delete is refused while a distribution uses the certificate.
 */
import type { Resolvers } from './generated/resolvers-types.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import type { Kysely } from 'kysely';
import { authorize } from '../kit/authorize.ts';
import { badUserInput, notFound } from '../../core/errors.ts';
import type { Principal } from '../../core/identity.ts';
import type { Permission } from '../kit/permissions.ts';
import { isHostname } from './config.ts';
import type { CdnServices } from './services.ts';
import type { CdnDatabase, CertificateRow } from './store.ts';

const withoutDot = (name: string) => name.replace(/\.$/, '').toLowerCase();

async function loadCertificate(db: Kysely<CdnDatabase>, principal: Principal, id: string, permission: Permission): Promise<CertificateRow> {
  const row = await db
    .selectFrom('certificates')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', id), eb('arn', '=', id)]))
    .executeTakeFirst();
  if (!row) throw notFound('Certificate', 'id');
  authorize(principal, row.project_id, permission, 'id');
  return row;
}

/** Validates a pending certificate by DNS and issues it; answers the row as it now is. */
async function refresh(services: CdnServices, db: Kysely<CdnDatabase>, row: CertificateRow): Promise<CertificateRow> {
  if (row.status !== 'PENDING_VALIDATION') return row;
  const resolver = new Resolver({ timeout: 2_000, tries: 1 });
  if (services.settings.dnsServers) resolver.setServers(services.settings.dnsServers);
  const targets = await resolver.resolveCname(withoutDot(row.validation_name)).catch(() => [] as string[]);
  if (!targets.map(withoutDot).includes(withoutDot(row.validation_value))) return row;
  const issued = await services.ca.issue(row.domain_name);
  const changes = {
    status: 'ISSUED',
    certificate_pem: issued.certificatePem,
    chain_pem: issued.chainPem,
    private_key_encrypted: issued.privateKeyEncrypted,
    issuer: issued.issuer,
    issued_at: new Date().toISOString(),
    not_before: issued.notBefore.toISOString(),
    not_after: issued.notAfter.toISOString(),
  };
  // Only the first of two concurrent validations writes; both answer what is stored.
  await db.updateTable('certificates').set(changes).where('id', '=', row.id).where('status', '=', 'PENDING_VALIDATION').execute();
  return db.selectFrom('certificates').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
}

async function usersOf(db: Kysely<CdnDatabase>, row: CertificateRow): Promise<string[]> {
  // config_json holds the ARN verbatim; a LIKE narrows the rows, the parse below decides.
  const rows = await db
    .selectFrom('distributions')
    .select(['arn', 'config_json'])
    .where('project_id', '=', row.project_id)
    .where('config_json', 'like', `%${row.arn}%`)
    .execute();
  return rows
    .filter((d) => (JSON.parse(d.config_json) as { config: { certificate_arn?: string } }).config.certificate_arn === row.arn)
    .map((d) => d.arn);
}

function validation(row: CertificateRow) {
  return {
    domain_name: row.domain_name,
    resource_record: { name: row.validation_name, type: 'CNAME', value: row.validation_value },
    validation_status: row.status === 'ISSUED' ? 'SUCCESS' : row.status === 'FAILED' ? 'FAILED' : 'PENDING_VALIDATION',
    validation_method: 'DNS',
  };
}

export function certificateResolvers(services: CdnServices): Resolvers {
  return {
    Query: {
      async get_certificate(_, { id }, { db, principal }) {
        const row = await refresh(services, db, await loadCertificate(db, principal, id, 'VIEW_CDN'));
        if (row.status !== 'ISSUED') throw badUserInput('id', `the certificate is ${row.status}: it has no certificate yet`);
        return { certificate: row.certificate_pem, certificateChain: row.chain_pem };
      },
      async get_certificate_details(_, { id }, { db, principal }) {
        const row = await refresh(services, db, await loadCertificate(db, principal, id, 'VIEW_CDN'));
        return {
          identifier: row.id,
          certificate_arn: row.arn,
          certificate_authority_arn: null,
          created_at: row.created_at,
          domain_name: row.domain_name,
          domain_validation_options: [validation(row)],
          failure_reason: row.failure_reason,
          imported_at: null,
          in_use_by: await usersOf(db, row),
          issued_at: row.issued_at,
          issuer: row.issuer,
          key_algorithm: 'EC_prime256v1',
          not_after: row.not_after,
          not_before: row.not_before,
          status: row.status,
        };
      },
      async list_certificates(_, { project_id }, { db, principal }) {
        authorize(principal, project_id, 'VIEW_CDN');
        const rows = await db
          .selectFrom('certificates')
          .selectAll()
          .where('project_id', '=', project_id)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
        return Promise.all(
          rows.map(async (stored) => {
            const row = await refresh(services, db, stored);
            return {
              identifier: row.id,
              certificate_arn: row.arn,
              domain_name: row.domain_name,
              subject_alternative_name_summaries: [row.domain_name],
              has_additional_subject_alternative_names: false,
              status: row.status,
              type: 'AMAZON_ISSUED',
              key_algorithm: 'EC_prime256v1',
              key_usages: row.status === 'ISSUED' ? ['DIGITAL_SIGNATURE'] : [],
              extended_key_usages: row.status === 'ISSUED' ? ['TLS_WEB_SERVER_AUTHENTICATION'] : [],
              in_use: (await usersOf(db, row)).length > 0,
              renewal_eligibility: 'INELIGIBLE',
              not_before: row.not_before,
              not_after: row.not_after,
              created_at: row.created_at,
              issued_at: row.issued_at,
            };
          }),
        );
      },
    },
    Mutation: {
      async request_certificate(_, { domainName, project_id }, { db, principal }) {
        authorize(principal, project_id, 'EDIT_CDN');
        const domain = domainName.trim().toLowerCase();
        if (!isHostname(domain)) throw badUserInput('domainName', 'must be a host name, or *. and a host name');
        const id = randomUUID();
        const token = randomBytes(16).toString('hex');
        const arn = `arn:aws:acm:us-east-1:${project_id}:certificate/${id}`;
        await db
          .insertInto('certificates')
          .values({
            id,
            project_id,
            arn,
            domain_name: domain,
            status: 'PENDING_VALIDATION',
            // As ACM: a CNAME under the name (the wildcard's base) pointing at a name only the CA knows.
            validation_name: `_${token}.${domain.replace(/^\*\./, '')}.`,
            validation_value: `_${randomBytes(16).toString('hex')}.acm-validations.${services.settings.domain}.`,
            certificate_pem: null,
            chain_pem: null,
            private_key_encrypted: null,
            issuer: null,
            failure_reason: null,
            created_at: new Date().toISOString(),
            issued_at: null,
            not_before: null,
            not_after: null,
          })
          .execute();
        return arn;
      },
      async delete_certificate(_, { id }, { db, principal }) {
        const row = await loadCertificate(db, principal, id, 'EDIT_CDN');
        const users = await usersOf(db, row);
        if (users.length > 0) throw badUserInput('id', `the certificate is in use by ${users.join(', ')}`);
        await db.deleteFrom('certificates').where('id', '=', row.id).execute();
        return true;
      },
    },
  };
}
