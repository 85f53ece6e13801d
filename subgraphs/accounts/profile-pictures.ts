/**
 * Profile pictures: `create_profile_picture_upload` hands out a signed, expiring URL; a PUT of the image to
 * that URL is checked (an image of the announced type by its first bytes, within the size limit), kept in
 * the kit's storage (the filesystem under DATA_DIR, or S3 by configuration) under `profile-pictures/`,
 * and becomes the user's picture, served read-only at /profile-pictures/. Each URL works once. Served
 * files have unguessable names and are public, like any avatar.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Storage } from '../kit/storage/index.ts';
import type { Hmac } from './secrets.ts';
import type { AccountsDatabase } from './store.ts';

/** The picture types accepted, each recognised by its leading bytes (the client's word is not enough). */
export const PICTURE_TYPES: Record<string, { extension: string; matches(bytes: Buffer): boolean }> = {
  'image/png': { extension: 'png', matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  'image/jpeg': { extension: 'jpg', matches: (b) => b.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])) },
  'image/gif': { extension: 'gif', matches: (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')) },
  'image/webp': {
    extension: 'webp',
    matches: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
};

const CONTENT_TYPE_OF_EXTENSION = Object.fromEntries(Object.entries(PICTURE_TYPES).map(([type, { extension }]) => [extension, type]));
const UPLOAD_PATH = '/uploads/profile-picture';
const SERVE_PATH = '/profile-pictures';
const STORED_FILE = /^[0-9a-f-]{36}\.(png|jpg|gif|webp)$/;

export interface ProfilePicturesOptions {
  /** Where the pictures' bytes are kept: kit/storage, by S3_BUCKET and its other variables. */
  storage: Storage;
  /** ACCOUNTS_PUBLIC_URL: the origin in the URLs handed out. */
  publicUrl: string;
  maxBytes: number;
  uploadUrlTtlSeconds: number;
  hmac: Hmac;
}

const keyOf = (file: string) => `profile-pictures/${file}`;

export class ProfilePictures {
  constructor(private readonly options: ProfilePicturesOptions) {}

  isAcceptedType(contentType: string): boolean {
    return Object.hasOwn(PICTURE_TYPES, contentType);
  }

  createUploadUrl(userId: string, contentType: string, now: Date): string {
    const uploadId = randomUUID();
    const expires = String(Math.floor(now.getTime() / 1000) + this.options.uploadUrlTtlSeconds);
    const query = new URLSearchParams({
      user: userId,
      content_type: contentType,
      expires,
      signature: this.sign(uploadId, userId, contentType, expires),
    });
    return `${this.options.publicUrl}${UPLOAD_PATH}/${uploadId}?${query}`;
  }

  urlOf(file: string | null): string | null {
    return file === null ? null : `${this.options.publicUrl}${SERVE_PATH}/${file}`;
  }

  /** Best effort: a file left behind wastes space, it is not a leak. */
  async remove(file: string | null): Promise<void> {
    if (file !== null) await this.options.storage.delete(keyOf(file)).catch(() => undefined);
  }

  registerRoutes(app: FastifyInstance, db: Kysely<AccountsDatabase>): void {
    // Its own scope, so that the raw-body parser applies to the upload route only.
    app.register(async (scope) => {
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: this.options.maxBytes }, (_request, body, done) => done(null, body));
      // The URL carries its signature: request lines of this route are not logged (warnings and errors are).
      scope.put<{ Params: { uploadId: string }; Querystring: Record<string, string | undefined> }>(
        `${UPLOAD_PATH}/:uploadId`,
        { logLevel: 'warn' },
        async (request, reply) => {
          const { uploadId } = request.params;
          const { user: userId, content_type: contentType, expires, signature } = request.query;
          if (
            !userId ||
            !contentType ||
            !expires ||
            !signature ||
            !this.isSignatureValid(signature, uploadId, userId, contentType, expires)
          ) {
            return refuse(reply, 403, 'The upload URL is not valid');
          }
          if (Number(expires) * 1000 < Date.now()) return refuse(reply, 403, 'The upload URL has expired; ask for a new one');
          const body = request.body;
          const type = PICTURE_TYPES[contentType];
          if (!Buffer.isBuffer(body) || body.length === 0) return refuse(reply, 400, 'The upload is empty');
          if (!type?.matches(body)) return refuse(reply, 415, `The upload is not a ${contentType} image`);

          const file = `${uploadId}.${type.extension}`;
          // The upload id is in the stored name: a URL already used finds its picture there.
          if (await this.options.storage.head(keyOf(file))) return refuse(reply, 409, 'This upload URL was already used');
          await this.options.storage.put(keyOf(file), body, { contentType });
          const user = await db.selectFrom('users').select('picture_file').where('id', '=', userId).executeTakeFirst();
          if (!user) {
            await this.remove(file);
            return refuse(reply, 404, 'The user no longer exists');
          }
          await db
            .updateTable('users')
            .set({ picture_file: file, updated_at: new Date().toISOString() })
            .where('id', '=', userId)
            .execute();
          await this.remove(user.picture_file);
          return { picture: this.urlOf(file) };
        },
      );
    });
    app.get<{ Params: { file: string } }>(`${SERVE_PATH}/:file`, async (request, reply) => {
      const { file } = request.params;
      if (!STORED_FILE.test(file)) return refuse(reply, 404, 'No such picture');
      const bytes = await this.options.storage.read(keyOf(file));
      if (!bytes) return refuse(reply, 404, 'No such picture');
      return (
        reply
          .header('content-type', CONTENT_TYPE_OF_EXTENSION[file.split('.')[1]!])
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'")
          // A picture's name never changes its content: a new picture gets a new name.
          .header('cache-control', 'public, max-age=31536000, immutable')
          .send(bytes)
      );
    });
  }

  private sign(uploadId: string, userId: string, contentType: string, expires: string): string {
    return this.options.hmac(`profile-picture-upload:${uploadId}:${userId}:${contentType}:${expires}`);
  }

  private isSignatureValid(signature: string, uploadId: string, userId: string, contentType: string, expires: string): boolean {
    const expected = Buffer.from(this.sign(uploadId, userId, contentType, expires));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

function refuse(reply: FastifyReply, status: number, error: string) {
  return reply.code(status).send({ error });
}
