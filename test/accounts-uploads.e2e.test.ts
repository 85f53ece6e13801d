/**
 * Profile pictures on the kit's storage: the signed upload URL from the gateway, the PUT to accounts
 * checked (signature, expiry, single use kept in the database, Content-Type, real image of the announced
 * type, size limit), User.picture the storage's signed GET of the stored file.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startAccountsPlatform, type AccountsPlatform } from './helpers/accounts-platform.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const CREATE_UPLOAD = 'mutation ($type: String!) { create_profile_picture_upload(content_type: $type) }';
const MAX_BYTES = 1024;

let platform: AccountsPlatform;
let token: string;
beforeAll(async () => {
  platform = await startAccountsPlatform({
    PROFILE_PICTURE_MAX_BYTES: String(MAX_BYTES),
    ACCOUNTS_PUBLIC_URL: 'https://accounts.example.com',
  });
  token = await login(platform, 'portrait@example.com');
});
afterAll(() => platform?.stop());

async function uploadUrl(contentType = 'image/png'): Promise<URL> {
  const url = new URL((await platform.ok(token, CREATE_UPLOAD, { type: contentType })).create_profile_picture_upload);
  expect(url.origin).toBe('https://accounts.example.com');
  return url;
}

/** The URLs are made for ACCOUNTS_PUBLIC_URL; in the test accounts listens on a port of its own. */
const atAccounts = (url: URL) => `${platform.accountsOrigin}${url.pathname}${url.search}`;

function put(url: URL, body: Buffer, contentType = 'image/png') {
  return fetch(atAccounts(url), {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body: new Uint8Array(body),
  });
}

async function picture(): Promise<string | null> {
  return (await platform.ok(token, '{ get_me { picture } }')).get_me.picture;
}

/** Which picture is the user's: its URL without the signature, which is made anew at each read. */
async function pictureKey(): Promise<string | null> {
  const url = await picture();
  return url === null ? null : new URL(url).pathname;
}

describe('profile picture upload', () => {
  it('stores a real image sent to the signed URL, and User.picture serves it', async () => {
    const response = await put(await uploadUrl(), PNG);
    expect(response.status).toBe(200);
    const url = new URL((await picture())!);
    expect(url.origin).toBe('https://accounts.example.com');
    const served = await fetch(atAccounts(url));
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
  });

  it('a new picture replaces the old one, which is no longer served', async () => {
    const old = new URL((await picture())!);
    expect((await put(await uploadUrl('image/jpeg'), JPEG, 'image/jpeg')).status).toBe(200);
    const current = new URL((await picture())!);
    expect(current.pathname).toMatch(/\.jpg$/);
    expect((await fetch(atAccounts(old))).status).toBe(404);
  });

  it('refuses what is not an image of the announced type, or is too big, and keeps the picture', async () => {
    const before = await pictureKey();
    expect((await put(await uploadUrl(), Buffer.from('<svg onload="alert(1)"></svg>'))).status).toBe(415);
    expect((await put(await uploadUrl('image/jpeg'), PNG, 'image/jpeg')).status).toBe(415);
    expect((await put(await uploadUrl(), Buffer.alloc(0))).status).toBe(400);
    const tooBig = Buffer.concat([PNG, Buffer.alloc(MAX_BYTES)]);
    expect((await put(await uploadUrl(), tooBig)).status).toBe(413);
    expect(await pictureKey()).toBe(before);
  });

  it('refuses a tampered URL (another picture, another type, a later expiry, no single use) and a used one', async () => {
    const url = await uploadUrl();
    const other = new URL(await uploadUrl());
    const tampered = [
      (u: URL) => (u.pathname = other.pathname),
      (u: URL) => u.searchParams.set('x-content-type', 'image/gif'),
      (u: URL) => u.searchParams.set('x-expires', '99999999999'),
      (u: URL) => u.searchParams.delete('x-token'),
      (u: URL) => u.searchParams.delete('x-signature'),
    ];
    for (const change of tampered) {
      const copy = new URL(url);
      change(copy);
      expect((await put(copy, PNG, copy.searchParams.get('x-content-type') ?? 'image/png')).status).toBe(403);
    }

    expect((await put(url, PNG)).status).toBe(200);
    const again = await put(url, PNG);
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'This upload URL was already used' });
    // Kept in the database, so that a restart or another replica refuses it too.
    const used = await platform.subgraphs
      .accounts!.store.db.selectFrom('storage_used_urls' as any)
      .select('token')
      .execute();
    expect(used).toContainEqual({ token: url.searchParams.get('x-token') });
  });

  it('refuses an upload sent with another Content-Type than asked for, and keeps the picture', async () => {
    const before = await pictureKey();
    const url = await uploadUrl('image/png');
    expect((await put(url, JPEG, 'image/jpeg')).status).toBe(403);
    expect((await put(url, PNG, 'text/html')).status).toBe(403);
    expect(await pictureKey()).toBe(before);
  });

  it('refuses an unknown content type, naming content_type', async () => {
    for (const type of ['image/svg+xml', 'text/html', '']) {
      const { body } = await platform.as(token, CREATE_UPLOAD, { type });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'content_type' });
    }
  });

  it('set_profile_picture_null removes the picture', async () => {
    const before = new URL((await picture())!);
    const { update_user_profile } = await platform.ok(
      token,
      'mutation { update_user_profile(first_name: "P", last_name: "Q", set_profile_picture_null: true) { picture } }',
    );
    expect(update_user_profile.picture).toBeNull();
    expect((await fetch(atAccounts(before))).status).toBe(404);
  });
});

describe('an expired upload URL', () => {
  it('is refused', async () => {
    const shortLived = await startAccountsPlatform({ UPLOAD_URL_TTL_SECONDS: '1' });
    try {
      const user = await login(shortLived, 'slow@example.com');
      const url = new URL((await shortLived.ok(user, CREATE_UPLOAD, { type: 'image/png' })).create_profile_picture_upload);
      // The expiry has whole-second precision: past two seconds the URL is certainly stale.
      await sleep(2100);
      const response = await fetch(`${shortLived.accountsOrigin}${url.pathname}${url.search}`, {
        method: 'PUT',
        headers: { 'content-type': 'image/png' },
        body: new Uint8Array(PNG),
      });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/expired/) });
    } finally {
      await shortLived.stop();
    }
  });
});
