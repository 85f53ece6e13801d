/**
 * updateAssets (Insert and Remove on the asset's category, and Insert on a new primary category) and
 * deleteAssets (Remove on it), each asset done or failing alone; the creates, copyAsset and the category
 * links have their own files.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Transaction } from 'kysely';
import { daletCaller, type DaletCaller, type DaletContext, type DaletServices } from '../../common/context.ts';
import { byId, invalidInput, noAccessRights, preconditionViolation, resourceDoesNotExist } from '../../common/errors.ts';
import { given, toId, toIds } from '../../common/ids.ts';
import { answerPartially } from '../../common/partial-errors.ts';
import { optionalText, requireText } from '../../common/validation.ts';
import type { AssetRow, DaletDatabase } from '../../store/tables.ts';
import { rightsOn } from '../categories/rights.ts';
import { afterAssetsDeleted, mediaOfAsset, type DeletedAssetMedia } from '../media/asset-media.ts';
import { assetStatus, type AssetStatusInput } from './asset-configuration.ts';
import { assetNotice, notifyAssets } from './asset-notifications.ts';
import { filterAssets, requireAsset, type AssetFilter } from './asset-store.ts';
import { MAX_ASSET_NAME_LENGTH, MAX_ASSETS_PER_CALL, MAX_ITEM_CODE_LENGTH } from './create-assets.ts';

const MAX_COMMENT_LENGTH = 4000;

interface UpdateAssetInput {
  id: unknown;
  name?: string | null;
  itemCode?: string | null;
  primaryCategoryId?: unknown;
  assetStatus?: { status: AssetStatusInput; comment?: string | null } | null;
}

async function updateAsset(trx: Transaction<DaletDatabase>, caller: DaletCaller, input: UpdateAssetInput): Promise<AssetRow> {
  const asset = await requireAsset(trx, caller, input.id, ['insert', 'remove'], 'UPDATE');
  const name = input.name === null || input.name === undefined ? asset.name : requireText('name', input.name, MAX_ASSET_NAME_LENGTH);
  const itemCode = optionalText('itemCode', input.itemCode, MAX_ITEM_CODE_LENGTH) ?? asset.item_code;
  let primaryCategoryId = asset.primary_category_id;
  if (input.primaryCategoryId !== null && input.primaryCategoryId !== undefined) {
    const id = toId(input.primaryCategoryId);
    const category = id === undefined ? undefined : await trx.selectFrom('categories').select('id').where('id', '=', id).executeTakeFirst();
    if (!category) throw resourceDoesNotExist(byId(String(input.primaryCategoryId)), 'CATEGORY');
    if (!(await rightsOn(trx, caller, category.id)).insert) throw noAccessRights(caller.userId, 'UPDATE', 'ASSET', byId(asset.id));
    primaryCategoryId = category.id;
  }
  const status = input.assetStatus ? await assetStatus(trx, 'status', input.assetStatus.status) : undefined;
  const comment = optionalText('comment', input.assetStatus?.comment, MAX_COMMENT_LENGTH);
  await trx
    .updateTable('assets')
    .set({
      name,
      item_code: itemCode,
      primary_category_id: primaryCategoryId,
      ...(status && { status_id: String(status.id), status_comment: comment ?? null }),
      last_modified_at: new Date().toISOString(),
      last_modified_by_user_id: caller.userId,
    })
    .where('id', '=', asset.id)
    .execute();
  return trx.selectFrom('assets').selectAll().where('id', '=', asset.id).executeTakeFirstOrThrow();
}

/** An asset others are made of (a clip's parent, an item of a group) goes only after them. */
async function requireUnused(trx: Transaction<DaletDatabase>, asset: AssetRow): Promise<void> {
  const clip = await trx.selectFrom('assets').select('id').where('parent_asset_id', '=', asset.id).executeTakeFirst();
  const item = await trx.selectFrom('group_items').select('id').where('asset_id', '=', asset.id).executeTakeFirst();
  if (clip || item) throw preconditionViolation(byId(asset.id), 'ASSET', 'ASSET_MUST_NOT_BE_USED_BY_OTHER_ASSETS');
}

async function deleteAssets(
  context: DaletContext,
  info: GraphQLResolveInfo,
  services: DaletServices,
  where: AssetFilter,
  purgeMedia: boolean,
) {
  const caller = await daletCaller(context);
  if (!toIds(where.ids, 'ids') && !where.categoriesWith)
    throw invalidInput('assetsWith', '', 'MISSING_VALUE', 'At least one of ids or categoriesWith must be supplied');
  const matched = await (
    await filterAssets(context, caller, where)
  )
    .select('assets.id')
    .orderBy('assets.id')
    .limit(MAX_ASSETS_PER_CALL)
    .execute();
  const deleted: AssetRow[] = [];
  const media: DeletedAssetMedia[] = [];
  for (const { id } of matched)
    await answerPartially(services.partialErrors, context, info, undefined, () =>
      context.db.transaction().execute(async (trx) => {
        const asset = await requireAsset(trx, caller, id, ['remove'], 'DELETE');
        await requireUnused(trx, asset);
        const assetMedia = await mediaOfAsset(trx, asset);
        await trx.deleteFrom('assets').where('id', '=', asset.id).execute();
        deleted.push(asset);
        media.push(assetMedia);
      }),
    );
  await notifyAssets(
    services,
    context,
    deleted.map((asset) => assetNotice('DELETED', asset)),
  );
  await afterAssetsDeleted(services, context, media, purgeMedia);
  return { deletedAssetIds: deleted.map((asset) => String(asset.id)) };
}

type Args<T> = { input: T };

export function assetMutationResolvers(services: DaletServices) {
  return {
    async updateAssets(
      _root: unknown,
      { input }: Args<{ assets: readonly (UpdateAssetInput | null)[] }>,
      context: DaletContext,
      info: GraphQLResolveInfo,
    ) {
      const caller = await daletCaller(context);
      const assets: AssetRow[] = [];
      return answerPartially(services.partialErrors, context, info, { assets }, async () => {
        const inputs = given(input.assets, 'assets') ?? [];
        if (inputs.length > MAX_ASSETS_PER_CALL)
          throw invalidInput('assets', `${inputs.length} assets`, 'TOO_LONG', `At most ${MAX_ASSETS_PER_CALL} assets a call`);
        for (const one of inputs)
          await answerPartially(services.partialErrors, context, info, undefined, async () => {
            assets.push(await context.db.transaction().execute((trx) => updateAsset(trx, caller, one)));
          });
        await notifyAssets(
          services,
          context,
          assets.map((asset) => assetNotice('MODIFIED', asset)),
        );
        return { assets };
      });
    },
    deleteAssets(
      _root: unknown,
      { input }: Args<{ assetsWith: AssetFilter; purgeMedia?: boolean | null }>,
      context: DaletContext,
      info: GraphQLResolveInfo,
    ) {
      return answerPartially(services.partialErrors, context, info, { deletedAssetIds: [] as string[] }, () =>
        deleteAssets(context, info, services, input.assetsWith, input.purgeMedia === true),
      );
    },
  };
}
