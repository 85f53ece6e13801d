/** Assets: uploads, import, reads, status changes, deletion, and the fields of `Asset` and `AssetEnhancement`. */
import type { Resolvers } from './generated/resolvers-types.ts';
import type { MediaServices } from './services.ts';
import { sql } from 'kysely';
import { badUserInput, notFound } from '../../core/errors.ts';
import { OutboundRefused } from '../kit/outbound/index.ts';
import { assetFor, canRead, libraryFor } from './access.ts';
import { ASSET_STATUSES, canSetStatus, hasStoredBytes, USER_TRANSITIONS, type AssetStatus } from './asset-status.ts';
import { deleteAsset } from './deletion.ts';
import { enhancementById } from './processing/enhancements.ts';
import {
  createMultipartUpload,
  createSingleUpload,
  findMultipartUpload,
  finishMultipartUpload,
  storeImported,
  uploadArrived,
} from './uploads.ts';
import { kindOfMimeType, requireContentType, requireName, requireWholeNumber } from './validation.ts';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;

export function assetResolvers(deps: MediaServices): Resolvers {
  const signed = (key: string) => deps.storage.signGet(key, { expiresInSeconds: deps.settings.downloadUrlTtlSeconds });
  return {
    Query: {
      get_asset: (_, { id }, { db, principal }) => assetFor(db, principal, id, 'read'),
      list_assets: async (_, args, { db, principal }) => {
        const library = await libraryFor(db, principal, args.library_id, 'read', 'library_id');
        const offset = requireWholeNumber(args.offset, 'offset', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
        const limit = requireWholeNumber(args.limit, 'limit', { min: 1, max: MAX_PAGE, fallback: DEFAULT_PAGE });
        const keyword = args.search_keyword?.trim().toLowerCase() ?? '';
        let query = db.selectFrom('assets').where('library_id', '=', library.id);
        // Case-insensitive substring of the name; LIKE's wildcards in the keyword match themselves.
        if (keyword) query = query.where(sql<boolean>`lower(name) like ${`%${keyword.replace(/[\\%_]/g, '\\$&')}%`} escape '\\'`);
        const { count } = await query.select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
        const rows = await query.selectAll().orderBy('created_at', 'desc').orderBy('id').offset(offset).limit(limit).execute();
        return rows.map((row) => ({ ...row, total_count: Number(count) }));
      },
    },
    Mutation: {
      create_asset_upload: async (_, args, { db, principal }) => {
        const library = await libraryFor(db, principal, args.library_id, 'write', 'library_id');
        return createSingleUpload(deps, {
          library,
          name: requireName(args.name, 'name'),
          contentType: requireContentType(args.content_type, library.asset_type),
        });
      },
      create_asset_multipart_upload: async (_, args, { db, principal }) => {
        const library = await libraryFor(db, principal, args.library_id, 'write', 'library_id');
        const asset = {
          library,
          name: requireName(args.name, 'name'),
          contentType: requireContentType(args.content_type, library.asset_type),
        };
        return createMultipartUpload(deps, asset, args.parts);
      },
      finish_asset_multipart_upload: async (_, args, { db, principal }) => {
        const upload = await findMultipartUpload(db, args.upload_id, args.key);
        if (!upload) throw notFound('Multipart upload', 'upload_id');
        await assetFor(db, principal, upload.asset_id, 'write', 'upload_id');
        await finishMultipartUpload(deps, upload, args.etags);
        return upload.asset_id;
      },
      import_asset: async (_, args, { db, principal }) => {
        const library = await libraryFor(db, principal, args.library_id, 'write', 'library_id');
        const name = requireName(args.name, 'name');
        let response;
        try {
          response = await deps.guard.stream(args.source_url, {
            maxBytes: deps.settings.maxUploadBytes,
            timeoutMs: deps.settings.importTimeoutMs,
          });
        } catch (error) {
          if (error instanceof OutboundRefused) throw badUserInput('source_url', `refused (${error.reason}): ${error.message}`);
          throw badUserInput('source_url', `could not be fetched: ${(error as Error).message}`);
        }
        if (response.status !== 200) {
          response.body.destroy();
          throw badUserInput('source_url', `answered HTTP ${response.status}`);
        }
        // The remote server's word is only a hint (processing detects the type from the bytes), and one
        // of another kind than the library's (text/html...) is never stored as the file's type.
        const announced = (response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const contentType = kindOfMimeType(announced) === library.asset_type ? announced : 'application/octet-stream';
        try {
          const id = await storeImported(deps, { library, name, contentType }, response.body);
          return await assetFor(db, principal, id, 'read');
        } catch (error) {
          if (error instanceof OutboundRefused) throw badUserInput('source_url', `refused (${error.reason}): ${error.message}`);
          throw error;
        }
      },
      set_asset_status: async (_, { status, id }, { db, principal }) => {
        const asset = await assetFor(db, principal, id, 'write');
        const from = asset.status as AssetStatus;
        if (!(ASSET_STATUSES as readonly string[]).includes(status) || !canSetStatus(from, status)) {
          const allowed = USER_TRANSITIONS[from];
          throw badUserInput(
            'status',
            `an asset ${from} may become ${allowed.length ? allowed.join(' or ') : 'nothing else'}, not ${status}`,
          );
        }
        if (status === from) return asset;
        if (status === 'UPLOAD_PROCESSING') {
          // uploadArrived queues processing again, from the bytes already stored.
          await uploadArrived(deps, asset.id);
        } else {
          await db
            .updateTable('assets')
            .set({ status, status_reason: status === 'FAILED' ? 'Abandoned by the client' : null, updated_at: new Date().toISOString() })
            .where('id', '=', asset.id)
            .execute();
        }
        return assetFor(db, principal, id, 'read');
      },
      delete_asset: async (_, { id }, { db, principal }) => {
        const asset = await assetFor(db, principal, id, 'write');
        await deleteAsset(deps, asset);
        return true;
      },
    },
    Asset: {
      __resolveReference: async ({ id }, { db, principal }) => {
        const asset = await db.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirst();
        return asset && canRead(principal, asset.project_id) ? asset : null;
      },
      total_count: (asset) => asset.total_count ?? null,
      download_url: (asset) => (hasStoredBytes(asset.status) ? signed(asset.storage_key) : null),
      thumbnail_url: (asset) => {
        const [first] = JSON.parse(asset.thumbnail_keys) as string[];
        return first ? signed(first) : null;
      },
      library: (asset, _, { db }) => db.selectFrom('libraries').selectAll().where('id', '=', asset.library_id).executeTakeFirstOrThrow(),
      asset_enhancements: (asset, _, { db }) =>
        db.selectFrom('asset_enhancements').selectAll().where('asset_id', '=', asset.id).orderBy('enhancement_id').execute(),
    },
    AssetEnhancement: {
      // Rows are written by processing for the catalogue's enhancements only.
      enhancement: (row) => enhancementById(row.enhancement_id)!,
      asset: (row, _, { db }) => db.selectFrom('assets').selectAll().where('id', '=', row.asset_id).executeTakeFirstOrThrow(),
      file_size: (row) => (row.file_size === null ? null : String(row.file_size)),
      image_tags: (row) => (row.image_tags === null ? null : JSON.parse(row.image_tags)),
      image_moderation_labels: (row) => (row.image_moderation_labels === null ? null : JSON.parse(row.image_moderation_labels)),
    },
  };
}
