/**
 * Profile pictures on the kit's storage (the filesystem under DATA_DIR, or S3 by configuration):
 * `create_profile_picture_upload` records a pending upload and hands out the storage's signed PUT URL
 * (single use, the size limit, the type read from the bytes). On the filesystem the storage tells us at
 * once that the picture arrived; on S3, which tells nobody and checks none of that, the sweep finds it,
 * checks its size and bytes, and moves it to a key of its own, so that a second PUT of the URL changes
 * nothing served. The picture then becomes the user's; `User.picture` is the storage's signed GET.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Storage } from '../kit/storage/index.ts';
import type { AccountsDatabase } from './store.ts';

/** The picture types accepted, with the extension of their stored name. */
const PICTURE_EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };
const PREFIX = 'profile-pictures/';
// On S3 an upload lands apart and is moved under PREFIX once checked; on the filesystem, checked by the
// storage before it is stored, it lands in place.
const S3_UPLOAD_PREFIX = 'profile-picture-uploads/';

export interface ProfilePicturesOptions {
  /** Where the pictures' bytes are kept: kit/storage, by S3_BUCKET and its other variables. */
  storage: Storage;
  db: Kysely<AccountsDatabase>;
  log: Logger;
  maxBytes: number;
  uploadUrlTtlSeconds: number;
  /** How long a `User.picture` URL works. */
  pictureUrlTtlSeconds: number;
}

/** `users.picture_file` is the key under `profile-pictures/`. */
const keyOf = (file: string) => `${PREFIX}${file}`;
const newFile = (contentType: string) => `${randomUUID()}.${PICTURE_EXTENSIONS[contentType]}`;

export class ProfilePictures {
  constructor(private readonly options: ProfilePicturesOptions) {}

  isAcceptedType(contentType: string): boolean {
    return Object.hasOwn(PICTURE_EXTENSIONS, contentType);
  }

  async createUploadUrl(userId: string, contentType: string, now: Date): Promise<string> {
    const { storage, db, maxBytes, uploadUrlTtlSeconds } = this.options;
    const key = `${storage.kind === 's3' ? S3_UPLOAD_PREFIX : PREFIX}${newFile(contentType)}`;
    await db
      .insertInto('profile_picture_uploads')
      .values({
        storage_key: key,
        user_id: userId,
        content_type: contentType,
        expires_at: new Date(now.getTime() + uploadUrlTtlSeconds * 1000).toISOString(),
        arrived_at: null,
        created_at: now.toISOString(),
      })
      .execute();
    return storage.signPut(key, { contentType, maxBytes, expiresInSeconds: uploadUrlTtlSeconds, singleUse: true, checkBytes: true });
  }

  urlOf(file: string | null): Promise<string | null> | null {
    return file === null ? null : this.options.storage.signGet(keyOf(file), { expiresInSeconds: this.options.pictureUrlTtlSeconds });
  }

  /** Best effort: a file left behind wastes space, it is not a leak. */
  async remove(file: string | null): Promise<void> {
    if (file !== null) await this.options.storage.delete(keyOf(file)).catch(() => undefined);
  }

  /** An object is stored at `key`: the pending upload behind it becomes its user's picture. */
  async arrived(key: string): Promise<void> {
    const { storage, db, log } = this.options;
    const upload = await db
      .selectFrom('profile_picture_uploads')
      .selectAll()
      .where('storage_key', '=', key)
      .where('arrived_at', 'is', null)
      .executeTakeFirst();
    if (!upload) {
      // Its upload was swept, or its user is gone: nobody will ever show it.
      await storage.delete(key);
      return;
    }
    let file = key.slice(PREFIX.length);
    if (storage.kind === 's3') {
      const bytes = await this.checkedBytes(key, upload.content_type);
      if (!bytes) {
        log.info({ userId: upload.user_id }, 'refused a profile picture: too large or not of its announced type');
        await storage.delete(key);
        await db.deleteFrom('profile_picture_uploads').where('storage_key', '=', key).execute();
        return;
      }
      file = newFile(upload.content_type);
      await storage.put(keyOf(file), bytes, { contentType: upload.content_type });
      await storage.delete(key);
    }
    const before = await db.transaction().execute(async (trx) => {
      const user = await trx.selectFrom('users').select('picture_file').where('id', '=', upload.user_id).executeTakeFirst();
      await trx
        .updateTable('users')
        .set({ picture_file: file, updated_at: new Date().toISOString() })
        .where('id', '=', upload.user_id)
        .execute();
      // On S3 the row stays until the URL expires, so that the sweep removes what a second PUT leaves.
      if (storage.kind === 's3') {
        await trx
          .updateTable('profile_picture_uploads')
          .set({ arrived_at: new Date().toISOString() })
          .where('storage_key', '=', key)
          .execute();
      } else {
        await trx.deleteFrom('profile_picture_uploads').where('storage_key', '=', key).execute();
      }
      return user;
    });
    await this.remove(before?.picture_file ?? null);
  }

  /**
   * Runs every PROFILE_PICTURE_SWEEP_INTERVAL_MS: on S3, uploads whose object has appeared are taken in;
   * uploads past their expiry go, with whatever is still stored at their key.
   */
  async sweep(now: Date): Promise<void> {
    const { storage, db } = this.options;
    if (storage.kind === 's3') {
      const waiting = await db.selectFrom('profile_picture_uploads').select('storage_key').where('arrived_at', 'is', null).execute();
      for (const { storage_key } of waiting) if (await storage.head(storage_key)) await this.arrived(storage_key);
    }
    const expired = await db.selectFrom('profile_picture_uploads').selectAll().where('expires_at', '<=', now.toISOString()).execute();
    for (const upload of expired) {
      await storage.delete(upload.storage_key);
      await db.deleteFrom('profile_picture_uploads').where('storage_key', '=', upload.storage_key).execute();
    }
  }

  /** The bytes S3 received, if they are within the size limit and of the announced type. */
  private async checkedBytes(key: string, contentType: string): Promise<Buffer | undefined> {
    const { storage, maxBytes } = this.options;
    const object = await storage.head(key);
    if (!object || object.size > maxBytes) return undefined;
    const body = await storage.read(key);
    if (!body) return undefined;
    const bytes = await readAll(body);
    const detected = await fileTypeFromBuffer(bytes);
    return detected?.mime === contentType ? bytes : undefined;
  }
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
