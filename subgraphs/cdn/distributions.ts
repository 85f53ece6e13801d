/**
 * Distributions: create (idempotent by caller_reference), read, list, settings, aliases, tags, enable,
 * error responses, delete. Reads need VIEW_CDN in the distribution's project, writes EDIT_CDN.
 */
import type { MutationCreate_DistributionArgs, Resolvers } from './generated/resolvers-types.ts';
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
  { config: input, project_id }: MutationCreate_DistributionArgs,
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

export function distributionResolvers(services: CdnServices): Resolvers {
  return {
    Query: {
      async get_distribution(_, { distribution_id }, { db, principal }) {
        return toDistribution(await loadDistribution(db, principal, distribution_id, 'VIEW_CDN'));
      },
      async list_distributions(_, { project_id }, { db, principal }) {
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
      async list_distribution_aliases(_, { distribution_id }, { db, principal }) {
        return (await loadDistribution(db, principal, distribution_id, 'VIEW_CDN')).config.distribution_aliases;
      },
      async list_distribution_error_responses(_, { distribution_id }, { db, principal }) {
        return (await loadDistribution(db, principal, distribution_id, 'VIEW_CDN')).config.errorResponses;
      },
    },
    Mutation: {
      create_distribution: (_, args, context) => createDistribution(services, args, context),
      async delete_distribution(_, { distribution_id }, { db, principal }) {
        const stored = await loadDistribution(db, principal, distribution_id, 'EDIT_CDN');
        // CloudFront deletes only a disabled distribution, so that no viewer loses it by mistake.
        if (stored.config.enabled) throw badUserInput('distribution_id', 'disable the distribution before deleting it');
        await db.deleteFrom('distributions').where('id', '=', distribution_id).execute();
        return true;
      },
      enable_or_disable_distribution: (_, { enable, distribution_id }, context) =>
        changeDistribution(context, distribution_id, 'enable', (config) => ({ ...config, enabled: enable })),
      update_distribution_settings: (_, args, context) => {
        return changeDistribution(context, args.distribution_id, 'comment', (config) => ({
          ...config,
          comment: args.comment,
          default_root_object: args.default_root_object ?? null,
          http_version: args.http_version,
          price_class: args.price_class,
          is_ip_v6_enabled: args.is_ip_v6_enabled,
          distribution_aliases: args.aliases ?? config.distribution_aliases,
          certificate_arn: args.certificate_arn === undefined ? config.certificate_arn : args.certificate_arn,
          minimum_protocol_version: args.minimum_protocol_version ?? config.minimum_protocol_version,
        }));
      },
      set_distribution_aliases: (_, { certificate_arn, aliases, distribution_id }, context) =>
        changeDistribution(context, distribution_id, 'aliases', (config) => ({
          ...config,
          distribution_aliases: aliases,
          certificate_arn,
        })),
      add_distribution_error_response: (_, { error_response, distribution_id }, context) =>
        changeDistribution(context, distribution_id, 'error_response', (config) => upsertErrorResponse(config, error_response, false)),
      update_distribution_error_response: (_, { error_response, distribution_id }, context) =>
        changeDistribution(context, distribution_id, 'error_response', (config) => upsertErrorResponse(config, error_response, true)),
      remove_distribution_error_response: (_, { error_code, distribution_id }, context) =>
        changeDistribution(context, distribution_id, 'error_code', (config) => {
          if (!config.errorResponses.some((response) => response.error_code === error_code))
            throw badUserInput('error_code', `no error response for error_code ${error_code}`);
          return { ...config, errorResponses: config.errorResponses.filter((response) => response.error_code !== error_code) };
        }),
      async add_distribution_tag(_, { tag, distribution_id }, { db, principal }) {
        const stored = await loadDistribution(db, principal, distribution_id, 'EDIT_CDN');
        const key = requireText(tag.key, 'tag', { maxLength: 128 });
        const value = tag.value == null ? null : requireText(tag.value, 'tag', { maxLength: 256, allowEmpty: true });
        await saveDistribution(db, stored, stored.config, 'tag', [
          ...stored.tags.filter((existing) => existing.key !== key),
          { key, value },
        ]);
        return true;
      },
      async remove_distribution_tag(_, { key, distribution_id }, { db, principal }) {
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
