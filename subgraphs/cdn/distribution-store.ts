/**
 * Reading a distribution for the caller, and writing a changed config: the whole config is validated, its
 * aliases checked against the store (one distribution each, covered by an issued certificate of the same
 * project), then written with its version bumped so that the edge redeploys it.
 */
import type { Kysely } from 'kysely';
import { authorize } from '../kit/authorize.ts';
import type { SubgraphContext } from '../kit/build-subgraph.ts';
import { badUserInput, notFound } from '../../core/errors.ts';
import type { Principal } from '../../core/identity.ts';
import type { Permission } from '../kit/permissions.ts';
import { certificateCovers } from './certificate-names.ts';
import { validateConfig, type DistributionConfig } from './config.ts';
import type { CdnDatabase, DistributionRow } from './store.ts';

export type CdnContext = SubgraphContext<CdnDatabase>;
export type Tag = { key: string; value?: string | null };

export interface StoredDistribution {
  row: DistributionRow;
  config: DistributionConfig;
  tags: Tag[];
}

export function parseStored(row: DistributionRow): StoredDistribution {
  const { config, tags } = JSON.parse(row.config_json) as { config: DistributionConfig; tags: Tag[] };
  return { row, config, tags };
}

/** The distribution if the caller may `permission` in its project; NOT_FOUND otherwise, as for an unknown id. */
export async function loadDistribution(
  db: Kysely<CdnDatabase>,
  principal: Principal,
  id: string,
  permission: Permission,
): Promise<StoredDistribution> {
  const row = await db.selectFrom('distributions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Distribution', 'distribution_id');
  authorize(principal, row.project_id, permission, 'distribution_id');
  return parseStored(row);
}

/** The doc's Distribution; `status` is InProgress until the edge runs this version. */
export function toDistribution({ row, config }: StoredDistribution) {
  return {
    id: row.id,
    arn: row.arn,
    status: row.deployed_version >= row.config_version ? 'Deployed' : 'InProgress',
    last_modified_time: row.last_modified_time,
    domain_name: row.domain_name,
    config,
  };
}

/** Refuses aliases another distribution has, or that no issued certificate of the project named covers. */
export async function checkAliases(
  db: Kysely<CdnDatabase>,
  projectId: string,
  distributionId: string,
  config: DistributionConfig,
  argumentName: string,
): Promise<void> {
  const aliases = config.distribution_aliases;
  if (aliases.length === 0) return;
  const taken = await db
    .selectFrom('distribution_aliases')
    .select('alias')
    .where('alias', 'in', aliases)
    .where('distribution_id', '!=', distributionId)
    .executeTakeFirst();
  if (taken) throw badUserInput(argumentName, `alias ${taken.alias} belongs to another distribution`);
  if (!config.certificate_arn) throw badUserInput(argumentName, 'aliases need certificate_arn, an issued certificate that covers them');
  const certificate = await db
    .selectFrom('certificates')
    .selectAll()
    .where('arn', '=', config.certificate_arn)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  if (!certificate || certificate.status !== 'ISSUED')
    throw badUserInput(argumentName, 'certificate_arn must name an issued certificate of the project');
  const uncovered = aliases.find((alias) => !certificateCovers(certificate.domain_name, alias));
  if (uncovered) throw badUserInput(argumentName, `certificate ${certificate.domain_name} does not cover alias ${uncovered}`);
}

/** Validates and writes a changed config (and tags) of an existing distribution. */
export async function saveDistribution(
  db: Kysely<CdnDatabase>,
  stored: StoredDistribution,
  next: DistributionConfig,
  argumentName: string,
  tags = stored.tags,
): Promise<void> {
  const config = validateConfig(next, argumentName);
  await checkAliases(db, stored.row.project_id, stored.row.id, config, argumentName);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('distributions')
      .set({
        config_json: JSON.stringify({ config, tags }),
        config_version: stored.row.config_version + 1,
        last_modified_time: new Date().toISOString(),
      })
      .where('id', '=', stored.row.id)
      .execute();
    await trx.deleteFrom('distribution_aliases').where('distribution_id', '=', stored.row.id).execute();
    if (config.distribution_aliases.length > 0) {
      await trx
        .insertInto('distribution_aliases')
        .values(config.distribution_aliases.map((alias) => ({ alias, distribution_id: stored.row.id })))
        .execute();
    }
  });
}

/** Loads for EDIT_CDN, applies `change` to a copy of the config, saves it: every single-part mutation. */
export async function changeDistribution(
  { db, principal }: CdnContext,
  id: string,
  argumentName: string,
  change: (config: DistributionConfig, stored: StoredDistribution) => DistributionConfig,
): Promise<boolean> {
  const stored = await loadDistribution(db, principal, id, 'EDIT_CDN');
  await saveDistribution(db, stored, change(structuredClone(stored.config), stored), argumentName);
  return true;
}
