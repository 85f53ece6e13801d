/** `mediaInfo` and the six MediaInfoIfc implementations, answered from media_infos rows. */
import type { Kysely } from 'kysely';
import { daletCaller, type DaletContext } from '../../common/context.ts';
import { pageOf, type PaginationInput } from '../../common/pagination.ts';
import type { DaletDatabase, MediaInfoRow } from '../../store/tables.ts';
import type { TimeCodeValue } from '../../schema/timecode.ts';
import { addTimeCodes } from '../../schema/timecode.ts';
import { mediaFile } from './media-files.ts';
import { configurationObject, filterMediaInfos, visibleMediaInfos, type MediaInfoFilter } from './media-store.ts';

/** A media info deleted, as a DELETED notification shows it: its id and what named it. */
export type DeletedMediaInfoRow = Pick<MediaInfoRow, 'id' | 'asset_id' | 'format_id' | 'storage_unit_id'> & { deleted: true };
type AnyMediaInfo = MediaInfoRow | DeletedMediaInfoRow;

const isDeleted = (row: AnyMediaInfo): row is DeletedMediaInfoRow => 'deleted' in row;

const timeCode = (milliseconds: number, standard: string): TimeCodeValue => ({ milliseconds, standard });

/** The fields every implementation has. */
function commonFields(locations: ReadonlyMap<string, string>) {
  return {
    id: (row: AnyMediaInfo) => String(row.id),
    format: (row: AnyMediaInfo, _args: unknown, { db }: DaletContext) => configurationObject(db, 'mediaFormats', row.format_id),
    storageUnit: (row: AnyMediaInfo, _args: unknown, { db }: DaletContext) => configurationObject(db, 'storageUnits', row.storage_unit_id),
    mediaProcessStatus: (row: AnyMediaInfo) => (isDeleted(row) ? null : row.media_process_status),
    createdAt: (row: AnyMediaInfo) => (isDeleted(row) ? null : row.created_at),
    lastModifiedAt: (row: AnyMediaInfo) => (isDeleted(row) ? null : row.last_modified_at),
    version: (row: AnyMediaInfo) => (isDeleted(row) ? null : row.version),
    mainFileFullPath: (row: AnyMediaInfo, _args: unknown, context: DaletContext) =>
      isDeleted(row) ? null : mainFileFullPath(context.db, row, locations),
  };
}

async function mainFileFullPath(db: Kysely<DaletDatabase>, row: MediaInfoRow, locations: ReadonlyMap<string, string>) {
  const [format, storageUnit] = await Promise.all([
    configurationObject(db, 'mediaFormats', row.format_id),
    configurationObject(db, 'storageUnits', row.storage_unit_id),
  ]);
  return format && storageUnit ? mediaFile(storageUnit, format, row.base_filename, locations).fullPath : null;
}

/** Video and audio media infos also tell their files and time codes. */
function timedFields(locations: ReadonlyMap<string, string>) {
  return {
    ...commonFields(locations),
    async filesFullPath(row: MediaInfoRow, _args: unknown, { db }: DaletContext) {
      const path = await mainFileFullPath(db, row, locations);
      return path ? [path] : [];
    },
    duration: (row: MediaInfoRow) => timeCode(row.duration_ms, row.timecode_standard),
    tcIn: (row: MediaInfoRow) => timeCode(row.tc_in_ms, row.timecode_standard),
    tcOut: (row: MediaInfoRow) =>
      addTimeCodes(timeCode(row.tc_in_ms, row.timecode_standard), timeCode(row.duration_ms, row.timecode_standard)),
  };
}

interface MediaInfoArgs {
  input?: { where?: MediaInfoFilter | null; select?: PaginationInput | null } | null;
}

export function mediaQueryResolvers(locations: ReadonlyMap<string, string>) {
  const common = commonFields(locations);
  const timed = timedFields(locations);
  return {
    Query: {
      async mediaInfo(_root: unknown, { input }: MediaInfoArgs, context: DaletContext) {
        const caller = await daletCaller(context);
        const query = filterMediaInfos(visibleMediaInfos(context.db, caller), input?.where);
        const page = await pageOf<MediaInfoRow>(query, input?.select, 'media_infos.id');
        return { totalCount: page.totalCount, pageInfo: page.pageInfo, mediaInfo: page.items };
      },
    },
    MediaInfoIfc: { __resolveType: (row: AnyMediaInfo) => (isDeleted(row) ? 'DeletedMediaInfo' : row.media_kind) },
    VideoMediaInfo: timed,
    AudioMediaInfo: timed,
    ImageMediaInfo: common,
    MiscMediaInfo: common,
    SubtitlesMediaInfo: common,
    DeletedMediaInfo: common,
  };
}
