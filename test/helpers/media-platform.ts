/**
 * The platform with accounts and media for the media tests: callers with each role in the bootstrapped
 * project (API keys made through the gateway), helpers to create libraries, upload through signed URLs and
 * wait for processing, and a walk of the files in storage.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ADMIN_KEY, startAccountsPlatform, type AccountsPlatform } from './accounts-platform.ts';

export interface MediaPlatform extends AccountsPlatform {
  /** API keys of the bootstrapped project by role. */
  keys: { ADMIN: string; DEVELOPER: string; READONLY: string; FINANCE: string };
  createLibrary(assetType: 'IMAGE' | 'AUDIO' | 'VIDEO', key?: string, projectId?: string): Promise<string>;
  /** create_asset_upload, then the PUT; returns the asset id and the PUT's HTTP status. */
  upload(libraryId: string, bytes: Buffer, contentType: string, name?: string): Promise<{ assetId: string; status: number }>;
  /** Polls get_asset until its status is no longer UPLOAD_PENDING or UPLOAD_PROCESSING. */
  settled(assetId: string): Promise<any>;
  /** Every file under DATA_DIR/storage/objects, relative to it. */
  storedFiles(): string[];
}

export const ASSET_FIELDS = `id name status status_reason content_type size width height duration library_id download_url thumbnail_url total_count
  asset_enhancements { enhancement_id status thumbnail_count file_size image_tags { name confidence } image_moderation_labels { name confidence } enhancement { id display_name asset_type } }`;

export async function startMediaPlatform(env: Record<string, string> = {}): Promise<MediaPlatform> {
  // Roles change in these tests (new projects); the gateway asks accounts on every request.
  const platform = await startAccountsPlatform(
    { MEDIA_SWEEP_INTERVAL_MS: '100', ...env },
    { extraSubgraphs: ['media'], gatewayEnv: { AUTH_CACHE_TTL_MS: '0' } },
  );
  try {
    const keys = { ADMIN: ADMIN_KEY } as MediaPlatform['keys'];
    for (const role of ['DEVELOPER', 'READONLY', 'FINANCE'] as const) {
      const data = await platform.ok(
        ADMIN_KEY,
        'mutation ($role: Role, $project: String!) { create_api_key(role: $role, name: "media test", project_id: $project) }',
        { role, project: platform.projectId },
      );
      keys[role] = data.create_api_key;
    }
    const media: MediaPlatform = {
      ...platform,
      keys,
      async createLibrary(assetType, key = ADMIN_KEY, projectId = platform.projectId) {
        const data = await platform.ok(
          key,
          'mutation ($type: AssetType!, $project: String!) { create_library(asset_type: $type, name: "lib", project_id: $project) { id } }',
          { type: assetType, project: projectId },
        );
        return data.create_library.id;
      },
      async upload(libraryId, bytes, contentType, name = 'file') {
        const data = await platform.ok(
          ADMIN_KEY,
          'mutation ($lib: String!, $type: String!, $name: String!) { create_asset_upload(library_id: $lib, content_type: $type, name: $name) { asset_id upload_url download_url } }',
          {
            lib: libraryId,
            type: contentType,
            name,
          },
        );
        const answer = await fetch(data.create_asset_upload.upload_url, {
          method: 'PUT',
          body: new Uint8Array(bytes),
          headers: { 'content-type': contentType },
        });
        await answer.arrayBuffer();
        return { assetId: data.create_asset_upload.asset_id, status: answer.status };
      },
      async settled(assetId) {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const data = await platform.ok(ADMIN_KEY, `query ($id: String!) { get_asset(id: $id) { ${ASSET_FIELDS} } }`, { id: assetId });
          if (!['UPLOAD_PENDING', 'UPLOAD_PROCESSING'].includes(data.get_asset.status)) return data.get_asset;
          expect(Date.now()).toBeLessThan(deadline);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      storedFiles() {
        const root = join(platform.dataDir, 'storage', 'objects');
        return readdirSync(root, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1));
      },
    };
    return media;
  } catch (error) {
    await platform.stop();
    throw error;
  }
}
