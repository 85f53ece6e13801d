/**
 * Media infos in the store: the filters of `mediaInfo` and of the mutations' `mediaInfoWith`, the caller's
 * View right (a media info is seen with View on its asset's primary category), and the configuration
 * objects they name.
 */
import type { ExpressionBuilder, Kysely, SelectQueryBuilder } from 'kysely';
import type { DaletCaller } from '../../common/context.ts';
import { invalidInput } from '../../common/errors.ts';
import { given, toIds } from '../../common/ids.ts';
import type { DaletDatabase, MediaInfoRow } from '../../store/tables.ts';
import { categoriesWithRight } from '../categories/rights.ts';

type ConfigObject = Record<string, any>;
type MediaQuery = SelectQueryBuilder<DaletDatabase, 'media_infos', {}>;

export interface MediaInfoFilter {
  ids?: unknown[] | null;
  assetIds?: unknown[] | null;
  formatIds?: unknown[] | null;
  storageUnitIds?: unknown[] | null;
  mediaProcessStatuses?: string[] | null;
}

export interface AssetMediaInfoFilter {
  assetId: unknown;
  formatIds?: unknown[] | null;
  storageUnitIds?: unknown[] | null;
  mediaProcessStatuses?: string[] | null;
}

/** The mutations' `mediaInfoWith`. */
export interface MediaInfoSelection {
  ids?: unknown[] | null;
  assetMediaInfoWith?: (AssetMediaInfoFilter | null)[] | null;
}

/** Configuration ids are text; a list of them as given, or undefined when not given. */
function textIds(values: readonly unknown[] | null | undefined, name: string): string[] | undefined {
  return given(values, name)?.map(String);
}

/** The media infos the caller may View: administrators every one. */
export function visibleMediaInfos(db: Kysely<DaletDatabase>, caller: DaletCaller): MediaQuery {
  const query = db.selectFrom('media_infos');
  if (caller.isAdministrator) return query;
  return query.where(
    'media_infos.asset_id',
    'in',
    db.selectFrom('assets').select('assets.id').where('assets.primary_category_id', 'in', categoriesWithRight(db, caller)),
  );
}

/** The conditions of one filter, every field ANDed, a list matching any of its values. */
function conditions(eb: ExpressionBuilder<DaletDatabase, 'media_infos'>, where: MediaInfoFilter) {
  const ids = toIds(where.ids, 'ids');
  const assetIds = toIds(where.assetIds, 'assetIds');
  const formatIds = textIds(where.formatIds, 'formatIds');
  const storageUnitIds = textIds(where.storageUnitIds, 'storageUnitIds');
  const statuses = given(where.mediaProcessStatuses, 'mediaProcessStatuses');
  const all = [];
  if (ids) all.push(eb('media_infos.id', 'in', ids.length ? ids : [-1]));
  if (assetIds) all.push(eb('media_infos.asset_id', 'in', assetIds.length ? assetIds : [-1]));
  if (formatIds) all.push(eb('media_infos.format_id', 'in', formatIds));
  if (storageUnitIds) all.push(eb('media_infos.storage_unit_id', 'in', storageUnitIds));
  if (statuses) all.push(eb('media_infos.media_process_status', 'in', statuses));
  return eb.and(all);
}

export function filterMediaInfos(query: MediaQuery, where: MediaInfoFilter | null | undefined): MediaQuery {
  return where ? query.where((eb) => conditions(eb, where)) : query;
}

/** `mediaInfoWith`: its ids AND any one of its asset filters; at least one of the two is required. */
export function selectMediaInfos(query: MediaQuery, selection: MediaInfoSelection): MediaQuery {
  const ids = toIds(selection.ids, 'ids');
  const perAsset = given(selection.assetMediaInfoWith, 'assetMediaInfoWith');
  if (!ids && !perAsset)
    throw invalidInput('mediaInfoWith', '', 'MISSING_VALUE', 'At least one of ids or assetMediaInfoWith(assetId) must be supplied');
  let selected = ids ? query.where('media_infos.id', 'in', ids.length ? ids : [-1]) : query;
  if (perAsset) {
    for (const filter of perAsset)
      if (toIds([filter.assetId], 'assetId')?.length !== 1)
        throw invalidInput('assetId', filter.assetId, 'INVALID_VALUE', 'Must be the id of an asset');
    selected = selected.where((eb) => eb.or(perAsset.map(({ assetId, ...rest }) => conditions(eb, { ...rest, assetIds: [assetId] }))));
  }
  return selected;
}

export async function mediaInfosByIds(db: Kysely<DaletDatabase>, ids: readonly number[]): Promise<MediaInfoRow[]> {
  return ids.length ? db.selectFrom('media_infos').selectAll().where('id', 'in', ids).orderBy('id').execute() : [];
}

/** One configuration object (a media format, a storage unit) by its id, or undefined. */
export async function configurationObject(db: Kysely<DaletDatabase>, kind: string, id: unknown): Promise<ConfigObject | undefined> {
  const row = await db
    .selectFrom('configuration_objects')
    .select('data')
    .where('kind', '=', kind)
    .where('id', '=', String(id ?? ''))
    .executeTakeFirst();
  return row ? (JSON.parse(row.data) as ConfigObject) : undefined;
}

/** The MediaInfoIfc implementation of a format's media infos: VideoMediaFormat's are VideoMediaInfo... */
export function mediaKindOf(format: ConfigObject): string {
  return String(format.__typename).replace(/MediaFormat$/, 'MediaInfo');
}

/** The standard a format's time codes are counted in, from its frame rate (PAL when it has none). */
export function standardOf(format: ConfigObject): string {
  const rate = Number(format.rate) / Number(format.scale ?? 1);
  if (Math.abs(rate - 29.97) < 0.05 || rate === 30) return 'NTSC';
  if (Math.abs(rate - 24) < 0.05) return 'FILM';
  return 'PAL';
}
