/**
 * `createStorage(settings)`: the S3 backend when S3_BUCKET is set, otherwise the filesystem under
 * `<DATA_DIR>/storage`. `parseStorageSettings(env, defaults)` reads the variables (see README.md).
 */
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { loadOrCreateFile } from '../../../core/data-files.ts';
import { SettingsError } from '../../../core/settings.ts';
import { createFilesystemStorage } from './filesystem-storage.ts';
import { createS3Storage, type S3StorageOptions } from './s3-storage.ts';
import type { Storage } from './storage.ts';

export { createFilesystemStorage, type FilesystemStorageOptions } from './filesystem-storage.ts';
export { createS3Storage, type S3StorageOptions } from './s3-storage.ts';
export { multipartEtag } from './multipart-etag.ts';
export { sendObject } from './filesystem-routes.ts';
export { storageMigrations, type StorageDatabase } from './used-urls.ts';
export {
  assertValidKey,
  StorageError,
  type CompletedPart,
  type SignedPartOptions,
  type SignedPutOptions,
  type Storage,
  type StoredObject,
} from './storage.ts';

export type StorageSettings =
  | { kind: 'filesystem'; root: string; publicUrl: string | (() => string); signingSecret: string; minPartBytes?: number }
  | ({ kind: 's3' } & S3StorageOptions);

type Env = Readonly<Record<string, string | undefined>>;

/**
 * @param defaults.publicUrl the origin of the service that serves the filesystem backend's URLs.
 * @param defaults.dataDir where the files (and a generated STORAGE_SIGNING_SECRET) live.
 */
export function parseStorageSettings(env: Env, defaults: { dataDir: string; publicUrl: string | (() => string) }): StorageSettings {
  const value = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const bucket = value('S3_BUCKET');
  if (bucket) {
    const accessKeyId = value('S3_ACCESS_KEY_ID');
    const secretAccessKey = value('S3_SECRET_ACCESS_KEY');
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
      throw new SettingsError('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together or not at all');
    const endpoint = value('S3_ENDPOINT');
    if (endpoint !== undefined && !/^https?:\/\//.test(endpoint))
      throw new SettingsError(`S3_ENDPOINT must be an http(s) URL, got "${endpoint}"`);
    const pathStyle = value('S3_FORCE_PATH_STYLE');
    return {
      kind: 's3',
      bucket,
      endpoint,
      region: value('S3_REGION'),
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
      forcePathStyle: pathStyle === undefined ? undefined : pathStyle === 'true',
    };
  }
  return {
    kind: 'filesystem',
    root: join(defaults.dataDir, 'storage'),
    publicUrl: defaults.publicUrl,
    signingSecret: value('STORAGE_SIGNING_SECRET') ?? loadOrCreateFile(defaults.dataDir, 'storage-signing-secret'),
  };
}

/** @param services.db the service's database with `storageMigrations`: needed for single-use URLs. */
export function createStorage(settings: StorageSettings, services: { db?: Kysely<any> } = {}): Storage {
  return settings.kind === 's3' ? createS3Storage(settings) : createFilesystemStorage({ ...settings, db: services.db });
}
