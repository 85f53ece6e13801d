/**
 * Distributions: create (idempotent by caller_reference), read, list, settings, aliases, tags, enable,
 * error responses, delete. Reads need VIEW_CDN in the distribution's project, writes EDIT_CDN.
 */
import { randomInt } from 'node:crypto';
import { authorize } from '../kit/authorize.ts';
import { badUserInput } from '../../core/errors.ts';
import { requireText } from '../kit/validation.ts';
import { validateConfig, type DistributionConfig, type ErrorResponseConfig } from './config.ts';
import {
  changeDistribution,
  checkAliases,
  loadDistribution,
  parseStored,
  saveDistribution,
  toDistribution,
  type CdnContext,
} from './distribution-store.ts';
import type { CdnServices } from './services.ts';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** CloudFront's shape: E and 13 letters or digits. */
function newDistributionId(): string {
  let id = 'E';
  for (let i = 0; i < 13; i += 1) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

async function createDistribution(
  services: CdnServices,
  { config: input, project_id }: { config: DistributionConfig; project_id: string },
  { db, principal }: CdnContext,
) {
  authorize(principal, project_id, 'EDIT_CDN');
  const config = validateConfig(input, 'config');
  const reference = config.caller_reference ?? null;
  if (reference !== null) {
    const existing = await db
      .selectFrom('distributions')
      .selectAll()
      .where('project_id', '=', project_id)
      .where('caller_reference', '=', reference)
      .executeTakeFirst();
    if (existing) {
      const stored = parseStored(existing);
      // CloudFront: the same reference with the same config is the same request; another config is DistributionAlreadyExists.
      if (JSON.stringify(stored.config) !== JSON.stringify(config))
        throw badUserInput('config', 'caller_reference was used for a distribution with another config');
      return toDistribution(stored);
    }
  }
  const id = newDistributionId();
  await checkAliases(db, project_id, id, config, 'config');
  const row = {
    id,
    project_id,
    arn: `arn:aws:cloudfront::${project_id}:distribution/${id}`,
    domain_name: `d${id.toLowerCase()}.${services.settings.domain}`,
    caller_reference: reference,
    config_json: JSON.stringify({ config, tags: [] }),
    config_version: 1,
    deployed_version: 0,
    last_modified_time: new Date().toISOString(),
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('distributions').values(row).execute();
    if (config.distribution_aliases.length > 0) {
      await trx
        .insertInto('distribution_aliases')
        .values(config.distribution_aliases.map((alias) => ({ alias, distribution_id: id })))
        .execute();
    }
  });
  return toDistribution(parseStored(row));
}

function upsertErrorResponse(config: DistributionConfig, response: ErrorResponseConfig, mustExist: boolean): DistributionConfig {
  const index = config.errorResponses.findIndex((existing) => existing.error_code === response.error_code);
  if (mustExist && index < 0) throw badUserInput('error_response', `no error response for error_code ${response.error_code}`);
  if (!mustExist && index >= 0) throw badUserInput('error_response', `error_code ${response.error_code} already has an error response`);
  const errorResponses = [...config.errorResponses];
  if (index >= 0) errorResponses[index] = response;
  else errorResponses.push(response);
  return { ...config, errorResponses };
}

interface SettingsArgs {
  distribution_id: string;
  comment: string;
  default_root_object?: string | null;
  http_version: string;
  price_class: string;
  is_ip_v6_enabled: boolean;
  aliases?: string[] | null;
  certificate_arn?: string | null;
  minimum_protocol_version?: string | null;
}

type Args = Record<string, any>;

export function distributionResolvers(services: CdnServices) {
  return {
    Query: {
      async get_distribution(_: unknown, { distribution_id }: Args, { db, principal }: CdnContext) {
        return toDistribution(await loadDistribution(db, principal, distribution_id, 'VIEW_CDN'));
      },
      async list_distributions(_: unknown, { project_id }: Args, { db, principal }: CdnContext) {
        authorize(principal, project_id, 'VIEW_CDN');
        const rows = await db
          .selectFrom('distributions')
          .selectAll()
          .where('project_id', '=', project_id)
          .orderBy('last_modified_time', 'desc')
          .orderBy('id')
          .execute();
        return rows.map((row) => toDistribution(parseStored(row)));
      },
      async list_distribution_aliases(_: unknown, { distribution_id }: Args, { db, principal }: CdnContext) {
        return (await loadDistribution(db, principal, distribution_id, 'VIEW_CDN')).config.distribution_aliases;
      },
      async list_distribution_error_responses(_: unknown, { distribution_id }: Args, { db, principal }: CdnContext) {
        return (await loadDistribution(db, principal, distribution_id, 'VIEW_CDN')).config.errorResponses;
      },
    },
    Mutation: {
      create_distribution: (_: unknown, args: Args, context: CdnContext) => createDistribution(services, args as never, context),
      async delete_distribution(_: unknown, { distribution_id }: Args, { db, principal }: CdnContext) {
        const stored = await loadDistribution(db, principal, distribution_id, 'EDIT_CDN');
        // CloudFront deletes only a disabled distribution, so that no viewer loses it by mistake.
        if (stored.config.enabled) throw badUserInput('distribution_id', 'disable the distribution before deleting it');
        await db.deleteFrom('distributions').where('id', '=', distribution_id).execute();
        return true;
      },
      enable_or_disable_distribution: (_: unknown, { enable, distribution_id }: Args, context: CdnContext) =>
        changeDistribution(context, distribution_id, 'enable', (config) => ({ ...config, enabled: enable })),
      update_distribution_settings: (_: unknown, args: Args, context: CdnContext) => {
        const a = args as SettingsArgs;
        return changeDistribution(context, a.distribution_id, 'comment', (config) => ({
          ...config,
          comment: a.comment,
          default_root_object: a.default_root_object ?? null,
          http_version: a.http_version,
          price_class: a.price_class,
          is_ip_v6_enabled: a.is_ip_v6_enabled,
          distribution_aliases: a.aliases ?? config.distribution_aliases,
          certificate_arn: a.certificate_arn === undefined ? config.certificate_arn : a.certificate_arn,
          minimum_protocol_version: a.minimum_protocol_version ?? config.minimum_protocol_version,
        }));
      },
      set_distribution_aliases: (_: unknown, { certificate_arn, aliases, distribution_id }: Args, context: CdnContext) =>
        changeDistribution(context, distribution_id, 'aliases', (config) => ({
          ...config,
          distribution_aliases: aliases,
          certificate_arn,
        })),
      add_distribution_error_response: (_: unknown, { error_response, distribution_id }: Args, context: CdnContext) =>
        changeDistribution(context, distribution_id, 'error_response', (config) => upsertErrorResponse(config, error_response, false)),
      update_distribution_error_response: (_: unknown, { error_response, distribution_id }: Args, context: CdnContext) =>
        changeDistribution(context, distribution_id, 'error_response', (config) => upsertErrorResponse(config, error_response, true)),
      remove_distribution_error_response: (_: unknown, { error_code, distribution_id }: Args, context: CdnContext) =>
        changeDistribution(context, distribution_id, 'error_code', (config) => {
          if (!config.errorResponses.some((response) => response.error_code === error_code))
            throw badUserInput('error_code', `no error response for error_code ${error_code}`);
          return { ...config, errorResponses: config.errorResponses.filter((response) => response.error_code !== error_code) };
        }),
      async add_distribution_tag(_: unknown, { tag, distribution_id }: Args, { db, principal }: CdnContext) {
        const stored = await loadDistribution(db, principal, distribution_id, 'EDIT_CDN');
        const key = requireText(tag.key, 'tag', { maxLength: 128 });
        const value = tag.value == null ? null : requireText(tag.value, 'tag', { maxLength: 256, allowEmpty: true });
        await saveDistribution(db, stored, stored.config, 'tag', [
          ...stored.tags.filter((existing) => existing.key !== key),
          { key, value },
        ]);
        return true;
      },
      async remove_distribution_tag(_: unknown, { key, distribution_id }: Args, { db, principal }: CdnContext) {
        const stored = await loadDistribution(db, principal, distribution_id, 'EDIT_CDN');
        if (!stored.tags.some((tag) => tag.key === key)) throw badUserInput('key', `no tag ${key}`);
        await saveDistribution(
          db,
          stored,
          stored.config,
          'key',
          stored.tags.filter((tag) => tag.key !== key),
        );
        return true;
      },
    },
  };
}
