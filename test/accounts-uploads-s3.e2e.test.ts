/**
 * Profile pictures on the kit's S3 backend (s3rver): with S3_BUCKET set, the client PUTs to the bucket;
 * accounts' sweep finds the upload, checks its size and bytes, and moves it to a key of its own, so a
 * second PUT of the URL changes nothing served; User.picture is the bucket's signed GET; what is too large
 * or not of its type is deleted; a picture removed leaves the bucket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage, parseStorageSettings, type Storage } from '../subgraphs/kit/storage/index.ts';
import { login, startAccountsPlatform, type AccountsPlatform } from './helpers/accounts-platform.ts';
import { startS3rver, type RunningS3 } from './helpers/s3rver.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const CREATE_UPLOAD = 'mutation { create_profile_picture_upload(content_type: "image/png") }';
const MAX_BYTES = 1024;

let s3: RunningS3;
let bucket: Storage;
let platform: AccountsPlatform;
let token: string;
beforeAll(async () => {
  s3 = await startS3rver();
  const settings = parseStorageSettings(s3.env, { dataDir: '/nonexistent', publicUrl: 'http://unused' });
  bucket = createS3Storage(settings as Extract<typeof settings, { kind: 's3' }>);
  platform = await startAccountsPlatform({
    ...s3.env,
    PROFILE_PICTURE_MAX_BYTES: String(MAX_BYTES),
    // S3 tells nobody of an upload: the sweep looks for it.
    PROFILE_PICTURE_SWEEP_INTERVAL_MS: '100',
  });
  token = await login(platform, 'bucket@example.com');
});
afterAll(async () => {
  await platform?.stop();
  await bucket?.close();
  await s3?.stop();
});

const uploadUrl = async () => (await platform.ok(token, CREATE_UPLOAD)).create_profile_picture_upload as string;
const put = (url: string, body: Buffer) =>
  fetch(url, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: new Uint8Array(body) });
const picture = async (): Promise<string | null> => (await platform.ok(token, '{ get_me { picture } }')).get_me.picture;
/** The bucket's key of a signed GET (s3rver's URLs are path-style: /<bucket>/<key>). */
const keyOf = (url: string) => new URL(url).pathname.slice(`/${s3.bucket}/`.length);

describe('profile pictures on S3', () => {
  it('takes in the checked upload, serves it from the bucket, and deletes it when removed', async () => {
    const url = await uploadUrl();
    expect(url.startsWith(`${s3.endpoint}/${s3.bucket}/`)).toBe(true);
    expect((await put(url, PNG)).status).toBe(200);
    await expect.poll(picture, { timeout: 10_000 }).not.toBeNull();
    const served = (await picture())!;
    expect(await bucket.list('profile-pictures/')).toEqual([keyOf(served)]);

    const answer = await fetch(served);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await answer.arrayBuffer())).toEqual(PNG);

    // S3 takes a second PUT of a presigned URL; what accounts serves was moved away from it.
    expect((await put(url, Buffer.from('<svg onload="alert(1)"></svg>'))).status).toBe(200);
    expect(Buffer.from(await (await fetch((await picture())!)).arrayBuffer())).toEqual(PNG);

    await platform.ok(
      token,
      'mutation { update_user_profile(first_name: "B", last_name: "S", set_profile_picture_null: true) { picture } }',
    );
    expect(await bucket.list('profile-pictures/')).toEqual([]);
    expect((await fetch(served)).status).toBe(404);
  });

  it('deletes an upload too large or not of its type, which S3 cannot refuse, and keeps the picture', async () => {
    const before = await picture();
    const tooLarge = await uploadUrl();
    const notPng = await uploadUrl();
    expect((await put(tooLarge, Buffer.concat([PNG, Buffer.alloc(MAX_BYTES)]))).status).toBe(200);
    expect((await put(notPng, Buffer.from('<svg onload="alert(1)"></svg>'))).status).toBe(200);
    const pending = [keyOf(tooLarge), keyOf(notPng)];
    await expect
      .poll(async () => (await bucket.list('profile-picture-uploads/')).filter((key) => pending.includes(key)), { timeout: 10_000 })
      .toEqual([]);
    expect(await picture()).toBe(before);
    expect(await bucket.list('profile-pictures/')).toEqual([]);
  });
});
