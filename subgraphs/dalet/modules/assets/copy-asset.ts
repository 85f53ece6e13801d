/**
 * copyAsset: View on the source's category, Insert and Remove on the target's. INHERITABLE_METADATA copies
 * the values of the data fields marked `inherited`; INHERITABLE_LOCATORS the locators whose type is
 * inherited, as far as they fall in the target's media (FULL: whole locators only; PARTIAL: cut to it), with
 * their metadata; GENEALOGY gives the target the source's parent asset.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Transaction } from 'kysely';
import { daletCaller, type DaletCaller, type DaletContext, type DaletServices } from '../../common/context.ts';
import { invalidInput } from '../../common/errors.ts';
import { given } from '../../common/ids.ts';
import { answerPartially } from '../../common/partial-errors.ts';
import { formatTimeCode, parseTimeCode } from '../../schema/timecode.ts';
import type { AssetRow, DaletDatabase, LocatorRow } from '../../store/tables.ts';
import { locatorTypes, type LocatorTypeConfig } from '../locators/locator-store.ts';
import { assetTimeBounds } from '../locators/mutations.ts';
import { siteFields } from '../metadata/data-fields.ts';
import { currentFieldValues, forgetMetadata, writeFieldValues } from '../metadata/metadata-store.ts';
import { assetNotice, notifyAssets } from './asset-notifications.ts';
import { requireAsset } from './asset-store.ts';

type CopyType = 'GENEALOGY' | 'INHERITABLE_LOCATORS' | 'INHERITABLE_METADATA';

interface CopyAssetInput {
  copyTypes: readonly (CopyType | null)[];
  sourceAssetId: unknown;
  targetAssetId: unknown;
}

type InheritedType = LocatorTypeConfig & { inheritance?: 'NONE' | 'PARTIAL' | 'FULL' };

/** The part of `locator` that falls in `target`'s media under `inheritance`, or undefined when none does. */
function inheritedTimes(locator: LocatorRow, inheritance: 'PARTIAL' | 'FULL', target: AssetRow) {
  const { startMs = 0, endMs = Number.POSITIVE_INFINITY } = assetTimeBounds(target);
  const inMs = locator.in_ms;
  const outMs = locator.out_ms ?? locator.in_ms;
  const inside = inMs >= startMs && outMs <= endMs;
  if (inheritance === 'FULL' && !inside) return undefined;
  if (outMs < startMs || inMs > endMs) return undefined;
  const { standard } = parseTimeCode(locator.timecode_in);
  const from = Math.max(inMs, startMs);
  const to = locator.out_ms === null ? null : Math.min(outMs, endMs);
  return {
    in_ms: from,
    out_ms: to,
    timecode_in: formatTimeCode({ milliseconds: from, standard }),
    timecode_out: to === null ? null : formatTimeCode({ milliseconds: to, standard }),
  };
}

async function copyLocators(trx: Transaction<DaletDatabase>, types: InheritedType[], source: AssetRow, target: AssetRow, login: string) {
  const inheritance = new Map(types.map((type) => [type.id, type.inheritance ?? 'NONE']));
  const locators = await trx.selectFrom('locators').selectAll().where('asset_id', '=', source.id).orderBy('id').execute();
  const now = new Date().toISOString();
  for (const locator of locators) {
    const how = inheritance.get(locator.type_id);
    const times = how === 'PARTIAL' || how === 'FULL' ? inheritedTimes(locator, how, target) : undefined;
    if (!times) continue;
    const copy = await trx
      .insertInto('locators')
      .values({ asset_id: target.id, type_id: locator.type_id, ...times, last_modified_by: login, last_modified_at: now, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const values = await trx
      .selectFrom('metadata_values')
      .select(['field_id', 'position', 'value'])
      .where('locator_id', '=', locator.id)
      .execute();
    if (values.length)
      await trx
        .insertInto('metadata_values')
        .values(values.map((value) => ({ ...value, asset_id: null, category_id: null, table_row_id: null, locator_id: copy.id })))
        .execute();
  }
}

async function copyAsset(context: DaletContext, caller: DaletCaller, input: CopyAssetInput): Promise<AssetRow> {
  const copyTypes = new Set(given(input.copyTypes, 'copyTypes') ?? []);
  if (!copyTypes.size) throw invalidInput('copyTypes', '', 'MISSING_VALUE', 'At least one copy type must be supplied');
  const site = await siteFields(context);
  const types = (await locatorTypes(context)) as InheritedType[];
  const user = await context.db.selectFrom('users').select('login').where('id', '=', caller.userId).executeTakeFirstOrThrow();
  return context.db.transaction().execute(async (trx) => {
    const source = await requireAsset(trx, caller, input.sourceAssetId, ['view'], 'READ');
    const target = await requireAsset(trx, caller, input.targetAssetId, ['insert', 'remove'], 'UPDATE');
    if (source.id === target.id) throw invalidInput('targetAssetId', input.targetAssetId, 'INVALID_VALUE', 'Must not be the source asset');
    if (copyTypes.has('INHERITABLE_METADATA'))
      for (const field of site.fields.filter((candidate) => (candidate as { inherited?: boolean }).inherited)) {
        const values = await currentFieldValues(trx, { column: 'asset_id', id: source.id }, field.id);
        if (values.length) await writeFieldValues(trx, { column: 'asset_id', id: target.id }, field.id, values);
      }
    if (copyTypes.has('INHERITABLE_LOCATORS')) await copyLocators(trx, types, source, target, user.login);
    const parent = copyTypes.has('GENEALOGY') && source.parent_asset_id !== null ? { parent_asset_id: source.parent_asset_id } : {};
    await trx
      .updateTable('assets')
      .set({ ...parent, last_modified_at: new Date().toISOString(), last_modified_by_user_id: caller.userId })
      .where('id', '=', target.id)
      .execute();
    return trx.selectFrom('assets').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow();
  });
}

export function copyAssetResolvers(services: DaletServices) {
  return {
    async copyAsset(_root: unknown, { input }: { input: CopyAssetInput }, context: DaletContext, info: GraphQLResolveInfo) {
      const caller = await daletCaller(context);
      return answerPartially(services.partialErrors, context, info, { updatedAsset: null as AssetRow | null }, async () => {
        const updatedAsset = await copyAsset(context, caller, input);
        forgetMetadata(context);
        await notifyAssets(services, context, [assetNotice('MODIFIED', updatedAsset)]);
        return { updatedAsset };
      });
    },
  };
}
