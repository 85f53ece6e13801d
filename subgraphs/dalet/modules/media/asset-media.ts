/**
 * What deleting an asset does to its media infos: the store deletes them with it (migration 006 cascades),
 * the mediaInfos subscribers hear DELETED for each, and with `purgeMedia` their files in local storage
 * units are deleted too, once the asset is gone.
 */
import type { Kysely } from 'kysely';
import type { DaletContext, DaletServices } from '../../common/context.ts';
import type { AssetRow, DaletDatabase, MediaInfoRow } from '../../store/tables.ts';
import { mediaFile } from './media-files.ts';
import { configurationObject } from './media-store.ts';
import { mediaNotice } from './mutations.ts';

export interface DeletedAssetMedia {
  asset: AssetRow;
  mediaInfos: MediaInfoRow[];
}

/** The asset's media infos, read before the asset is deleted. */
export async function mediaOfAsset(db: Kysely<DaletDatabase>, asset: AssetRow): Promise<DeletedAssetMedia> {
  return { asset, mediaInfos: await db.selectFrom('media_infos').selectAll().where('asset_id', '=', asset.id).orderBy('id').execute() };
}

export async function afterAssetsDeleted(
  services: DaletServices,
  context: DaletContext,
  deleted: DeletedAssetMedia[],
  purgeMedia: boolean,
) {
  await services.notifications.notify(
    context,
    'mediaInfos',
    deleted.flatMap(({ asset, mediaInfos }) => mediaInfos.map((row) => mediaNotice('DELETED', row, asset))),
  );
  if (!purgeMedia) return;
  for (const row of deleted.flatMap(({ mediaInfos }) => mediaInfos)) {
    const format = (await configurationObject(context.db, 'mediaFormats', row.format_id)) ?? {};
    const storageUnit = (await configurationObject(context.db, 'storageUnits', row.storage_unit_id)) ?? {};
    const { reach } = mediaFile(storageUnit, format, row.base_filename, services.media.locations);
    if (reach) await services.media.probe.remove(reach);
  }
}
