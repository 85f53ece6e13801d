/**
 * The CDN's tables. A distribution's config is one JSON document (the doc's DistributionConfig), written
 * whole after the whole config was validated, so a reader never sees half of a change. Booleans are 0/1.
 */
import type { Kysely, Migration } from 'kysely';

export interface DistributionRow {
  id: string;
  /** The doc's types carry no project: it is kept here. */
  project_id: string;
  arn: string;
  domain_name: string;
  /** Unique per project: a repeated create answers the first distribution. */
  caller_reference: string | null;
  /** DistributionConfig as JSON, tags beside it (`{ config, tags }`). */
  config_json: string;
  /** Bumped by every write; the edge records the version it runs in `deployed_version`. */
  config_version: number;
  deployed_version: number;
  last_modified_time: string;
}

export interface InvalidationRow {
  id: string;
  distribution_id: string;
  paths_json: string;
  /** InProgress until the edge dropped the entries, then Completed. */
  status: string;
  create_time: string;
}

export interface CertificateRow {
  id: string;
  project_id: string;
  arn: string;
  domain_name: string;
  /** PENDING_VALIDATION, ISSUED, FAILED or VALIDATION_TIMED_OUT (72 hours pending), as ACM spells them. */
  status: string;
  /** The record the user publishes: CNAME for the local CA, TXT `_acme-challenge.<domain>` with ACME. */
  validation_type: string;
  validation_name: string;
  validation_value: string;
  /** With ACME: the order made at request time, finalized once its DNS-01 challenge is valid. */
  acme_order_url: string | null;
  /** Until when one replica validates and issues this certificate (certificate-poller.ts); others skip it. */
  lease_until: string | null;
  certificate_pem: string | null;
  chain_pem: string | null;
  /** The certificate's private key, encrypted with the CA's key-encryption secret (local-ca.ts). */
  private_key_encrypted: string | null;
  issuer: string | null;
  failure_reason: string | null;
  created_at: string;
  issued_at: string | null;
  not_before: string | null;
  not_after: string | null;
}

/** The ACME account of a directory: made once, its key encrypted (key-encryption.ts), shared by replicas. */
export interface AcmeAccountRow {
  directory_url: string;
  private_key_encrypted: string;
  created_at: string;
}

/** An alias belongs to one distribution only: the primary key says so across projects. */
export interface AliasRow {
  alias: string;
  distribution_id: string;
}

export interface CdnDatabase {
  distributions: DistributionRow;
  distribution_aliases: AliasRow;
  invalidations: InvalidationRow;
  certificates: CertificateRow;
  acme_accounts: AcmeAccountRow;
}

export const migrations: Record<string, Migration> = {
  '001_cdn': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('distributions')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) => column.notNull())
        .addColumn('arn', 'text', (column) => column.notNull())
        .addColumn('domain_name', 'text', (column) => column.notNull().unique())
        .addColumn('caller_reference', 'text')
        .addColumn('config_json', 'text', (column) => column.notNull())
        .addColumn('config_version', 'integer', (column) => column.notNull())
        .addColumn('deployed_version', 'integer', (column) => column.notNull())
        .addColumn('last_modified_time', 'text', (column) => column.notNull())
        .addUniqueConstraint('distributions_caller_reference', ['project_id', 'caller_reference'])
        .execute();
      await db.schema
        .createTable('distribution_aliases')
        .addColumn('alias', 'text', (column) => column.primaryKey())
        .addColumn('distribution_id', 'text', (column) => column.notNull().references('distributions.id').onDelete('cascade'))
        .execute();
      await db.schema
        .createTable('invalidations')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('distribution_id', 'text', (column) => column.notNull().references('distributions.id').onDelete('cascade'))
        .addColumn('paths_json', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('create_time', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('invalidations_by_distribution')
        .on('invalidations')
        .columns(['distribution_id', 'create_time'])
        .execute();
      await db.schema
        .createTable('certificates')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) => column.notNull())
        .addColumn('arn', 'text', (column) => column.notNull().unique())
        .addColumn('domain_name', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('validation_name', 'text', (column) => column.notNull())
        .addColumn('validation_value', 'text', (column) => column.notNull())
        .addColumn('certificate_pem', 'text')
        .addColumn('chain_pem', 'text')
        .addColumn('private_key_encrypted', 'text')
        .addColumn('issuer', 'text')
        .addColumn('failure_reason', 'text')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('issued_at', 'text')
        .addColumn('not_before', 'text')
        .addColumn('not_after', 'text')
        .execute();
    },
  },
  '002_cdn_acme': {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('certificates')
        .addColumn('validation_type', 'text', (column) => column.notNull().defaultTo('CNAME'))
        .execute();
      await db.schema.alterTable('certificates').addColumn('acme_order_url', 'text').execute();
      await db.schema.alterTable('certificates').addColumn('lease_until', 'text').execute();
      await db.schema.createIndex('certificates_by_status').on('certificates').column('status').execute();
      await db.schema
        .createTable('acme_accounts')
        .addColumn('directory_url', 'text', (column) => column.primaryKey())
        .addColumn('private_key_encrypted', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .execute();
    },
  },
};
