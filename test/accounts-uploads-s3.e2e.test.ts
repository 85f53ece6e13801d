/**
 * Profile pictures on the kit's S3 backend (s3rver): with S3_BUCKET set, accounts keeps a checked upload
 * in the bucket and serves it from there; a picture removed leaves the bucket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage, parseStorageSettings, type Storage } from '../subgraphs/kit/storage/index.ts';
import { login, startAccountsPlatform, type AccountsPlatform } from './helpers/accounts-platform.ts';
import { startS3rver, type RunningS3 } from './helpers/s3rver.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const CREATE_UPLOAD = 'mutation { create_profile_picture_upload(content_type: "image/png") }';

let s3: RunningS3;
let bucket: Storage;
let platform: AccountsPlatform;
let token: string;
beforeAll(async () => {
  s3 = await startS3rver();
  const settings = parseStorageSettings(s3.env, { dataDir: '/nonexistent', publicUrl: 'http://unused' });
  bucket = createS3Storage(settings as Extract<typeof settings, { kind: 's3' }>);
  platform = await startAccountsPlatform(s3.env);
  token = await login(platform, 'bucket@example.com');
});
afterAll(async () => {
  await platform?.stop();
  await s3?.stop();
});

describe('profile pictures on S3', () => {
  it('keeps the checked upload in the bucket, serves it from there, and deletes it when removed', async () => {
    const url = new URL((await platform.ok(token, CREATE_UPLOAD)).create_profile_picture_upload);
    const put = await fetch(`${platform.accountsOrigin}${url.pathname}${url.search}`, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(PNG),
    });
    expect(put.status).toBe(200);
    const picture = new URL((await platform.ok(token, '{ get_me { picture } }')).get_me.picture);
    const file = picture.pathname.split('/').pop()!;
    expect(await bucket.list('profile-pictures/')).toEqual([`profile-pictures/${file}`]);

    const served = await fetch(`${platform.accountsOrigin}${picture.pathname}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);

    await platform.ok(
      token,
      'mutation { update_user_profile(first_name: "B", last_name: "S", set_profile_picture_null: true) { picture } }',
    );
    expect(await bucket.list('profile-pictures/')).toEqual([]);
    expect((await fetch(`${platform.accountsOrigin}${picture.pathname}`)).status).toBe(404);
  });
});
