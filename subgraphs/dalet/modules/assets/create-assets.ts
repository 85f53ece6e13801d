/**
 * The 12 create mutations: Insert on the category (a track stack: on its bundle's), the asset's type and
 * status checked against the site configuration, a clip's time codes against its parent's media, and the
 * given metadata written as its data fields' types say. Each asset of the list is created or fails alone.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Transaction } from 'kysely';
import { daletCaller, type DaletCaller, type DaletContext, type DaletServices } from '../../common/context.ts';
import { byId, invalidInput, noAccessRights, preconditionViolation, resourceDoesNotExist } from '../../common/errors.ts';
import { toId } from '../../common/ids.ts';
import { answerPartially } from '../../common/partial-errors.ts';
import { optionalText, requireText } from '../../common/validation.ts';
import type { TimeCodeValue } from '../../schema/timecode.ts';
import type { AssetRow, CategoryRow, DaletDatabase } from '../../store/tables.ts';
import { addToBundle } from '../asset-structures/bundles.ts';
import { rightsOn } from '../categories/rights.ts';
import { assetTimeBounds } from '../locators/mutations.ts';
import { siteFields, type SiteFields } from '../metadata/data-fields.ts';
import { forgetMetadata } from '../metadata/metadata-store.ts';
import { updateOwnerMetadata } from '../metadata/mutations.ts';
import type { MetadataInput } from '../metadata/queries.ts';
import { assetStatus, namedAssetType, simpleAssetType, type AssetStatusInput, type AssetTypeInput } from './asset-configuration.ts';
import { CREATED_KINDS, TIMED_KINDS, type CreateMutation, type CreatedKind } from './asset-kinds.ts';
import { assetNotice, notifyAssets } from './asset-notifications.ts';
import { requireAsset } from './asset-store.ts';

export const MAX_ASSETS_PER_CALL = 1000;
export const MAX_ASSET_NAME_LENGTH = 255;
export const MAX_ITEM_CODE_LENGTH = 255;
const DAY_MS = 86_400_000;

export interface CreateAssetInput {
  assetName?: string | null;
  categoryId?: unknown;
  status?: AssetStatusInput | null;
  itemCode?: string | null;
  metadata?: readonly (MetadataInput | null)[] | null;
  cgType?: AssetTypeInput | null;
  extendedType?: AssetTypeInput | null;
  storyTemplate?: AssetTypeInput | null;
  subtitlesType?: AssetTypeInput | null;
  template?: AssetTypeInput | null;
  /** A clip's */
  parentAssetId?: unknown;
  tcIn?: TimeCodeValue | null;
  tcOut?: TimeCodeValue | null;
  /** A track stack's */
  bundleAssetId?: unknown;
}

/** Where the asset goes: the category given, with Insert on it (the doc's example names no category when refused). */
async function targetCategory(trx: Transaction<DaletDatabase>, caller: DaletCaller, categoryId: unknown): Promise<CategoryRow> {
  const id = toId(categoryId);
  const category = id === undefined ? undefined : await trx.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
  if (!category) throw resourceDoesNotExist(byId(String(categoryId ?? '')), 'CATEGORY');
  if (!(await rightsOn(trx, caller, category.id)).insert) throw noAccessRights(caller.userId, 'CREATE', 'ASSET');
  return category;
}

/** A clip lies inside its parent's media: a video, audio, TX version or clip the caller may View. */
async function clipTimes(trx: Transaction<DaletDatabase>, caller: DaletCaller, input: CreateAssetInput) {
  const parent = await requireAsset(trx, caller, input.parentAssetId, ['view'], 'READ');
  if (!TIMED_KINDS.includes(parent.asset_kind)) throw preconditionViolation(byId(parent.id), 'ASSET', 'MUST_BE_A_VIDEO_ASSET_TYPE');
  const { tcIn, tcOut } = input;
  if (!tcIn || !tcOut) throw invalidInput(tcIn ? 'tcOut' : 'tcIn', null, 'MISSING_VALUE', 'A clip needs tcIn and tcOut');
  if (tcOut.milliseconds <= tcIn.milliseconds) throw invalidInput('tcOut', tcOut.milliseconds, 'INVALID_VALUE', 'Must be after tcIn');
  const bounds = assetTimeBounds(parent);
  if (
    (bounds.startMs !== undefined && tcIn.milliseconds < bounds.startMs) ||
    (bounds.endMs !== undefined && tcOut.milliseconds > bounds.endMs)
  )
    throw invalidInput('tcOut', tcOut.milliseconds, 'INVALID_VALUE', "Must lie inside the parent asset's media");
  return {
    parent_asset_id: parent.id,
    timecode_in_ms: tcIn.milliseconds,
    timecode_out_ms: tcOut.milliseconds,
    timecode_standard: tcIn.standard,
  };
}

async function createAsset(
  trx: Transaction<DaletDatabase>,
  caller: DaletCaller,
  site: SiteFields,
  created: CreatedKind,
  input: CreateAssetInput,
): Promise<AssetRow> {
  // `name`, as the doc's InvalidInput example calls the asset's name.
  const name = requireText('name', input.assetName, MAX_ASSET_NAME_LENGTH);
  const itemCode = optionalText('itemCode', input.itemCode, MAX_ITEM_CODE_LENGTH);
  let category: CategoryRow;
  let bundleId: number | undefined;
  if (created.kind === 'TrackStackAsset') {
    const bundle = await requireAsset(trx, caller, input.bundleAssetId, ['insert'], 'CREATE');
    if (bundle.asset_kind !== 'BundleAsset')
      throw invalidInput('bundleAssetId', input.bundleAssetId, 'INVALID_VALUE', 'Must be a bundle asset');
    category = await trx.selectFrom('categories').selectAll().where('id', '=', bundle.primary_category_id).executeTakeFirstOrThrow();
    bundleId = bundle.id;
  } else category = await targetCategory(trx, caller, input.categoryId);
  const type =
    'simpleTypeId' in created.type
      ? await simpleAssetType(trx, created.type.simpleTypeId)
      : await namedAssetType(trx, input[created.type.field], created.type);
  const status = await assetStatus(trx, 'status', input.status);
  const clip = created.kind === 'ClipAsset' ? await clipTimes(trx, caller, input) : {};
  const now = Date.now();
  // Site policy: the dates start now and run for the category's offsets, in days.
  const inDays = (days: number) => new Date(now + days * DAY_MS).toISOString();
  const createdAt = inDays(0);
  const inserted = await trx
    .insertInto('assets')
    .values({
      asset_kind: created.kind,
      name,
      // Site policy: an asset given no item code is known by its id (set below, once it has one).
      item_code: itemCode ?? '',
      asset_type_kind: type.kind,
      asset_type_id: type.id,
      status_id: String(status.id),
      primary_category_id: category.id,
      ...clip,
      created_at: createdAt,
      created_by_user_id: caller.userId,
      last_modified_at: createdAt,
      last_modified_by_user_id: caller.userId,
      record_date: createdAt,
      start_date: createdAt,
      end_date: inDays(category.end_date_offset),
      kill_date: inDays(category.kill_date_offset),
      keep_date: inDays(category.keep_date_offset),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (itemCode === null || itemCode === undefined)
    await trx
      .updateTable('assets')
      .set({ item_code: String(inserted.id) })
      .where('id', '=', inserted.id)
      .execute();
  if (bundleId !== undefined) await addToBundle(trx, bundleId, inserted.id);
  await updateOwnerMetadata(trx, site, { column: 'asset_id', id: inserted.id }, 'SET', input.metadata);
  return trx.selectFrom('assets').selectAll().where('id', '=', inserted.id).executeTakeFirstOrThrow();
}

type CreateArgs = { input: { assets: readonly (CreateAssetInput | null)[] } };

export function createMutationResolvers(services: DaletServices) {
  const create =
    (created: CreatedKind) =>
    async (_root: unknown, { input }: CreateArgs, context: DaletContext, info: GraphQLResolveInfo) => {
      const caller = await daletCaller(context);
      const assets: AssetRow[] = [];
      return answerPartially(services.partialErrors, context, info, { assets }, async () => {
        const inputs = input.assets.filter((one): one is CreateAssetInput => one !== null);
        if (inputs.length > MAX_ASSETS_PER_CALL)
          throw invalidInput('assets', `${inputs.length} assets`, 'TOO_LONG', `At most ${MAX_ASSETS_PER_CALL} assets a call`);
        const site = await siteFields(context);
        for (const one of inputs)
          await answerPartially(services.partialErrors, context, info, undefined, async () => {
            assets.push(await context.db.transaction().execute((trx) => createAsset(trx, caller, site, created, one)));
          });
        forgetMetadata(context);
        await notifyAssets(
          services,
          context,
          assets.map((asset) => assetNotice('CREATED', asset)),
        );
        return { assets };
      });
    };
  return Object.fromEntries(
    (Object.keys(CREATED_KINDS) as CreateMutation[]).map((mutation) => [mutation, create(CREATED_KINDS[mutation])]),
  ) as Record<CreateMutation, ReturnType<typeof create>>;
}
