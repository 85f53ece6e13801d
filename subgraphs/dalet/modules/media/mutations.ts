/**
 * createFileMediaInfo, updateFileMediaInfo, deleteMediaInfo: with Insert and Remove on the asset's primary
 * category, formats and storage units as configured. While OFFLINE a media info's duration is 0 (the doc);
 * otherwise its file, when reachable, says its duration and first time code.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Kysely } from 'kysely';
import { daletCaller, type DaletCaller, type DaletContext, type DaletServices } from '../../common/context.ts';
import {
  byId,
  invalidInput,
  noAccessRights,
  preconditionViolation,
  resourceDoesNotExist,
  type OperationType,
} from '../../common/errors.ts';
import type { Notice } from '../../common/notifications.ts';
import { answerPartially } from '../../common/partial-errors.ts';
import type { TimeCodeValue } from '../../schema/timecode.ts';
import type { AssetRow, DaletDatabase, MediaInfoRow } from '../../store/tables.ts';
import { requireAsset } from '../assets/asset-store.ts';
import { checkBaseFilename, mediaFile } from './media-files.ts';
import type { MediaProbe } from './media-probe.ts';
import {
  configurationObject,
  mediaKindOf,
  selectMediaInfos,
  standardOf,
  visibleMediaInfos,
  type MediaInfoSelection,
} from './media-store.ts';

/** What the media mutations are built with. */
export interface MediaServices {
  probe: MediaProbe;
  /** DALET_STORAGE_LOCATIONS: where storage units are reached from here (settings.ts). */
  locations: ReadonlyMap<string, string>;
}

const OFFLINE = 'OFFLINE';

/** The asset whose media the caller changes: Insert and Remove on its primary category, as the doc says. */
const writableAsset = (db: Kysely<DaletDatabase>, caller: DaletCaller, assetId: unknown, operation: OperationType) =>
  requireAsset(db, caller, assetId, ['insert', 'remove'], operation);

async function configured(db: Kysely<DaletDatabase>, kind: 'mediaFormats' | 'storageUnits', id: unknown) {
  const object = await configurationObject(db, kind, id);
  if (!object) throw resourceDoesNotExist(byId(String(id)), kind === 'mediaFormats' ? 'MEDIA_FORMAT' : 'STORAGE_UNIT');
  if (object.usedOnSite === false)
    throw invalidInput(kind === 'mediaFormats' ? 'formatId' : 'storageUnitId', id, 'INVALID_VALUE', 'Not used on this site');
  return object;
}

export function mediaNotice(
  type: 'CREATED' | 'MODIFIED' | 'DELETED',
  row: MediaInfoRow,
  asset: Pick<AssetRow, 'primary_category_id'>,
): Notice {
  return {
    type,
    id: row.id,
    viewableThrough: [asset.primary_category_id],
    details: { assetId: row.asset_id, formatId: row.format_id, storageUnitId: row.storage_unit_id },
  };
}

interface TimedFields {
  mediaProcessStatus: string;
  baseFilename: string;
  duration: TimeCodeValue | null | undefined;
}

/** Duration, first time code and their standard: 0 while OFFLINE, else the file's, else what was given. */
async function timing(
  media: MediaServices,
  db: Kysely<DaletDatabase>,
  row: Pick<MediaInfoRow, 'format_id' | 'storage_unit_id'>,
  fields: TimedFields,
) {
  const format = (await configurationObject(db, 'mediaFormats', row.format_id)) ?? {};
  const storageUnit = (await configurationObject(db, 'storageUnits', row.storage_unit_id)) ?? {};
  const standard = fields.duration?.standard ?? standardOf(format);
  if (fields.mediaProcessStatus === OFFLINE) return { duration_ms: 0, tc_in_ms: 0, timecode_standard: standard };
  const { reach } = mediaFile(storageUnit, format, fields.baseFilename, media.locations);
  const read = reach ? await media.probe.read(reach, standard) : undefined;
  return { duration_ms: read?.durationMs ?? fields.duration?.milliseconds ?? 0, tc_in_ms: read?.tcInMs ?? 0, timecode_standard: standard };
}

interface CreateInput {
  formatId: unknown;
  storageUnitId: unknown;
  assetId: unknown;
  baseFilename?: string | null;
  duration?: TimeCodeValue | null;
  mediaProcessStatus?: string | null;
}

async function createFileMediaInfo(media: MediaServices, db: Kysely<DaletDatabase>, caller: DaletCaller, input: CreateInput) {
  const format = await configured(db, 'mediaFormats', input.formatId);
  const storageUnit = await configured(db, 'storageUnits', input.storageUnitId);
  const asset = await writableAsset(db, caller, input.assetId, 'CREATE');
  const taken = await db
    .selectFrom('media_infos')
    .select('id')
    .where('asset_id', '=', asset.id)
    .where('format_id', '=', String(format.id))
    .where('storage_unit_id', '=', String(storageUnit.id))
    .executeTakeFirst();
  if (taken) throw preconditionViolation(byId(taken.id), 'MEDIA_INFO', 'MEDIA_ALREADY_EXISTS');
  const baseFilename = checkBaseFilename(input.baseFilename ?? `${asset.id}_${format.id}`);
  const mediaProcessStatus = input.mediaProcessStatus ?? OFFLINE;
  const ids = { format_id: String(format.id), storage_unit_id: String(storageUnit.id) };
  const now = new Date().toISOString();
  const row = await db
    .insertInto('media_infos')
    .values({
      asset_id: asset.id,
      ...ids,
      media_kind: mediaKindOf(format),
      base_filename: baseFilename,
      media_process_status: mediaProcessStatus,
      ...(await timing(media, db, ids, { mediaProcessStatus, baseFilename, duration: input.duration })),
      version: 1,
      created_at: now,
      last_modified_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, asset };
}

interface UpdateInput {
  mediaInfoWith: MediaInfoSelection;
  duration?: TimeCodeValue | null;
  mediaProcessStatus?: string | null;
  baseFilename?: string | null;
}

/** Each media info matched and visible, the caller's rights checked on each: the ones refused are errors beside the rest. */
async function eachWritable(
  context: DaletContext,
  info: GraphQLResolveInfo,
  services: DaletServices,
  selection: MediaInfoSelection,
  operation: OperationType,
  change: (row: MediaInfoRow, asset: AssetRow) => Promise<void>,
) {
  const caller = await daletCaller(context);
  const rows = await selectMediaInfos(visibleMediaInfos(context.db, caller), selection).selectAll().orderBy('id').execute();
  for (const row of rows)
    await answerPartially(services.partialErrors, context, info, undefined, async () =>
      change(row, await writableAsset(context.db, caller, row.asset_id, operation)),
    );
}

async function updateFileMediaInfo(
  context: DaletContext,
  info: GraphQLResolveInfo,
  services: DaletServices,
  media: MediaServices,
  input: UpdateInput,
) {
  const baseFilename = input.baseFilename == null ? undefined : checkBaseFilename(input.baseFilename);
  const updated: MediaInfoRow[] = [];
  const notices: Notice[] = [];
  await eachWritable(context, info, services, input.mediaInfoWith, 'UPDATE', async (row, asset) => {
    const fields = {
      mediaProcessStatus: input.mediaProcessStatus ?? row.media_process_status,
      baseFilename: baseFilename ?? row.base_filename,
      duration: input.duration ?? { milliseconds: row.duration_ms, standard: row.timecode_standard },
    };
    const changed = await context.db
      .updateTable('media_infos')
      .set({
        base_filename: fields.baseFilename,
        media_process_status: fields.mediaProcessStatus,
        ...(await timing(media, context.db, row, fields)),
        version: row.version + 1,
        last_modified_at: new Date().toISOString(),
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    updated.push(changed);
    notices.push(mediaNotice('MODIFIED', changed, asset));
  });
  await services.notifications.notify(context, 'mediaInfos', notices);
  return { mediaInfo: updated };
}

async function deleteMediaInfo(
  context: DaletContext,
  info: GraphQLResolveInfo,
  services: DaletServices,
  media: MediaServices,
  input: { mediaInfoWith: MediaInfoSelection; deleteFiles?: boolean | null },
) {
  const deletedMediaInfoId: string[] = [];
  const notices: Notice[] = [];
  await eachWritable(context, info, services, input.mediaInfoWith, 'DELETE', async (row, asset) => {
    await context.db.deleteFrom('media_infos').where('id', '=', row.id).execute();
    deletedMediaInfoId.push(String(row.id));
    notices.push(mediaNotice('DELETED', row, asset));
    if (!input.deleteFiles) return;
    const format = (await configurationObject(context.db, 'mediaFormats', row.format_id)) ?? {};
    const storageUnit = (await configurationObject(context.db, 'storageUnits', row.storage_unit_id)) ?? {};
    const { reach } = mediaFile(storageUnit, format, row.base_filename, media.locations);
    if (reach) await media.probe.remove(reach);
  });
  await services.notifications.notify(context, 'mediaInfos', notices);
  return { deletedMediaInfoId };
}

type Args<T> = { input: T };

export function mediaMutationResolvers(services: DaletServices, media: MediaServices) {
  return {
    Mutation: {
      async createFileMediaInfo(_root: unknown, { input }: Args<CreateInput>, context: DaletContext, info: GraphQLResolveInfo) {
        const caller = await daletCaller(context);
        return answerPartially<{ mediaInfo: MediaInfoRow | null }>(services.partialErrors, context, info, { mediaInfo: null }, async () => {
          // No transaction around it: the file may take a while to read; the unique (asset, format, unit) keeps it one.
          const { row, asset } = await createFileMediaInfo(media, context.db, caller, input);
          await services.notifications.notify(context, 'mediaInfos', [mediaNotice('CREATED', row, asset)]);
          return { mediaInfo: row };
        });
      },
      updateFileMediaInfo: (_root: unknown, { input }: Args<UpdateInput>, context: DaletContext, info: GraphQLResolveInfo) =>
        answerPartially(services.partialErrors, context, info, { mediaInfo: [] as MediaInfoRow[] }, () =>
          updateFileMediaInfo(context, info, services, media, input),
        ),
      deleteMediaInfo: (
        _root: unknown,
        { input }: Args<{ mediaInfoWith: MediaInfoSelection; deleteFiles?: boolean | null }>,
        context: DaletContext,
        info: GraphQLResolveInfo,
      ) =>
        answerPartially(services.partialErrors, context, info, { deletedMediaInfoId: [] as string[] }, () =>
          deleteMediaInfo(context, info, services, media, input),
        ),
    },
  };
}
