/**
 * Certificates, as ACM: request_certificate answers the ARN of a certificate in PENDING_VALIDATION with its
 * validation record: a CNAME for the local CA, or with ACME_DIRECTORY_URL the TXT record of the ACME order's
 * DNS-01 challenge. The certificate poller (certificate-poller.ts) validates and issues it in the background;
 * reads only read. `id` arguments take the ARN or the identifier. Delete is refused while a distribution uses it.
 */
import type { Resolvers } from './generated/resolvers-types.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { authorize } from '../kit/authorize.ts';
import { badUserInput, notFound } from '../../core/errors.ts';
import type { Principal } from '../../core/identity.ts';
import type { Permission } from '../kit/permissions.ts';
import { isHostname } from './config.ts';
import { generatePkcs8 } from './local-ca.ts';
import type { CdnServices } from './services.ts';
import type { CdnDatabase, CertificateRow } from './store.ts';

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
    resource_record: { name: row.validation_name, type: row.validation_type, value: row.validation_value },
    validation_status: row.status === 'ISSUED' ? 'SUCCESS' : row.status === 'PENDING_VALIDATION' ? 'PENDING_VALIDATION' : 'FAILED',
    validation_method: 'DNS',
  };
}

/** The record the user publishes, and with ACME the order it answers and the certificate's key (encrypted). */
async function validationRecord(services: CdnServices, domain: string) {
  if (services.acme) {
    const order = await services.acme.order(domain);
    return {
      validation_type: 'TXT',
      validation_name: order.recordName,
      validation_value: order.recordValue,
      acme_order_url: order.orderUrl,
      // Made now, so that any replica can finalize the order with it, and finalize it again after a crash.
      private_key_encrypted: services.keys.encrypt(generatePkcs8()),
    };
  }
  const base = domain.replace(/^\*\./, '');
  return {
    // As ACM: a CNAME under the name (the wildcard's base) pointing at a name only the CA knows.
    validation_type: 'CNAME',
    validation_name: `_${randomBytes(16).toString('hex')}.${base}.`,
    validation_value: `_${randomBytes(16).toString('hex')}.acm-validations.${services.settings.domain}.`,
    acme_order_url: null,
    private_key_encrypted: null,
  };
}

export function certificateResolvers(services: CdnServices): Resolvers {
  return {
    Query: {
      async get_certificate(_, { id }, { db, principal }) {
        const row = await loadCertificate(db, principal, id, 'VIEW_CDN');
        if (row.status !== 'ISSUED') throw badUserInput('id', `the certificate is ${row.status}: it has no certificate yet`);
        return { certificate: row.certificate_pem, certificateChain: row.chain_pem };
      },
      async get_certificate_details(_, { id }, { db, principal }) {
        const row = await loadCertificate(db, principal, id, 'VIEW_CDN');
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
          rows.map(async (row) => ({
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
          })),
        );
      },
    },
    Mutation: {
      async request_certificate(_, { domainName, project_id }, { db, principal }) {
        authorize(principal, project_id, 'EDIT_CDN');
        const domain = domainName.trim().toLowerCase();
        if (!isHostname(domain)) throw badUserInput('domainName', 'must be a host name, or *. and a host name');
        const id = randomUUID();
        const arn = `arn:aws:acm:us-east-1:${project_id}:certificate/${id}`;
        await db
          .insertInto('certificates')
          .values({
            id,
            project_id,
            arn,
            domain_name: domain,
            status: 'PENDING_VALIDATION',
            ...(await validationRecord(services, domain)),
            lease_until: null,
            certificate_pem: null,
            chain_pem: null,
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
