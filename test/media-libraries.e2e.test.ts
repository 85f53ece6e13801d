/**
 * Media libraries through the gateway: roles (read with any role of the project, write with ADMIN and
 * DEVELOPER), isolation between projects, list_assets paging and search, import through the outbound
 * guard, set_asset_status's transitions, and deletion that leaves no file in storage.
 */
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, login } from './helpers/accounts-platform.ts';
import { startMediaPlatform, type MediaPlatform } from './helpers/media-platform.ts';

let platform: MediaPlatform;
let fileServer: Server;
let fileOrigin: string;
let png: Buffer;

beforeAll(async () => {
  png = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer();
  fileServer = createServer((request, response) => {
    if (request.url === '/picture.png' || request.url === '/page.html') {
      response.writeHead(200, { 'content-type': request.url === '/picture.png' ? 'image/png' : 'text/html' });
      return response.end(png);
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => fileServer.listen(0, '127.0.0.1', resolve));
  fileOrigin = `http://127.0.0.1:${(fileServer.address() as AddressInfo).port}`;
  platform = await startMediaPlatform({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' });
});
afterAll(async () => {
  await platform?.stop();
  fileServer?.closeAllConnections();
  await new Promise((resolve) => fileServer?.close(resolve));
});

const errorOf = (response: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => response.body.errors?.[0]?.extensions;
const createLibraryAs = (key: string, projectId = platform.projectId) =>
  platform.as(
    key,
    'mutation ($project: String!) { create_library(asset_type: IMAGE, name: "Photos", description: "Team photos", project_id: $project) { id name description project_id asset_type total_media_assets assets { id } custom_domains { id } } }',
    { project: projectId },
  );

describe('roles', () => {
  it('lets ADMIN and DEVELOPER write, and every role read', async () => {
    for (const role of ['ADMIN', 'DEVELOPER'] as const) {
      const { body } = await createLibraryAs(platform.keys[role]);
      expect(body.data.create_library).toMatchObject({
        name: 'Photos',
        description: 'Team photos',
        project_id: platform.projectId,
        asset_type: 'IMAGE',
        total_media_assets: 0,
        assets: [],
        custom_domains: [],
      });
    }
    for (const role of ['READONLY', 'FINANCE'] as const)
      expect(errorOf(await createLibraryAs(platform.keys[role]))?.code).toBe('FORBIDDEN');

    const library = await platform.createLibrary('IMAGE');
    for (const role of ['ADMIN', 'DEVELOPER', 'READONLY', 'FINANCE'] as const) {
      const data = await platform.ok(
        platform.keys[role],
        'query ($id: String!, $project: String!) { get_library(id: $id) { id } list_libraries(project_id: $project) { id } }',
        { id: library, project: platform.projectId },
      );
      expect(data.get_library.id).toBe(library);
      expect(data.list_libraries.map((row: { id: string }) => row.id)).toContain(library);
    }
    const update = await platform.as(
      platform.keys.READONLY,
      'mutation ($id: String!) { update_library(id: $id, name: "x", description: "y") { id } }',
      { id: library },
    );
    expect(errorOf(update)?.code).toBe('FORBIDDEN');
    const remove = await platform.as(platform.keys.FINANCE, 'mutation ($id: String!) { delete_library(id: $id) }', { id: library });
    expect(errorOf(remove)?.code).toBe('FORBIDDEN');
  });
});

describe('isolation between projects', () => {
  it("answers NOT_FOUND for another project's library and asset, as for one that does not exist", async () => {
    const token = await login(platform, 'outsider@example.com');
    const otherProject = (await platform.ok(token, 'mutation { create_project(name: "Elsewhere") { id } }')).create_project.id;
    const theirs = (await createLibraryAs(token, otherProject)).body.data.create_library.id;
    const ours = await platform.createLibrary('IMAGE');
    const { assetId } = await platform.upload(ours, png, 'image/png');

    const probes = [
      ['query ($id: String!) { get_library(id: $id) { id } }', { id: ours }],
      ['query ($id: String!) { list_assets(library_id: $id) { id } }', { id: ours }],
      ['query ($id: String!) { get_asset(id: $id) { id } }', { id: assetId }],
      ['mutation ($id: String!) { delete_asset(id: $id) }', { id: assetId }],
      ['mutation ($id: String!) { delete_library(id: $id) }', { id: ours }],
      ['mutation ($id: String!) { create_asset_upload(library_id: $id, name: "x", content_type: "image/png") { asset_id } }', { id: ours }],
      ['mutation ($id: String!) { create_custom_domain(library_id: $id, domain: "media.example.com") { id } }', { id: ours }],
    ] as const;
    for (const [query, variables] of probes) expect(errorOf(await platform.as(token, query, variables))?.code).toBe('NOT_FOUND');
    expect(errorOf(await platform.as(ADMIN_KEY, 'query ($id: String!) { get_library(id: $id) { id } }', { id: theirs }))?.code).toBe(
      'NOT_FOUND',
    );
    expect(
      errorOf(await platform.as(ADMIN_KEY, 'query ($p: String!) { list_libraries(project_id: $p) { id } }', { p: otherProject }))?.code,
    ).toBe('NOT_FOUND');
    const mine = await platform.ok(token, 'query ($p: String!) { list_libraries(project_id: $p) { id } }', { p: otherProject });
    expect(mine.list_libraries).toEqual([{ id: theirs }]);
  });
});

describe('list_assets', () => {
  it('searches names, pages with offset and limit, and counts the matches in total_count', async () => {
    const library = await platform.createLibrary('IMAGE');
    for (const name of ['beach-1.png', 'beach-2.png', 'Beach-3.png', 'city.png', '100%_done.png'])
      await platform.upload(library, png, 'image/png', name);
    const list = (variables: Record<string, unknown>) =>
      platform.ok(
        platform.keys.READONLY,
        'query ($lib: String!, $q: String, $offset: Float, $limit: Float) { list_assets(library_id: $lib, search_keyword: $q, offset: $offset, limit: $limit) { name total_count } }',
        { lib: library, ...variables },
      );
    const beaches = (await list({ q: 'beach' })).list_assets;
    expect(beaches.map((asset: { name: string }) => asset.name).sort()).toEqual(['Beach-3.png', 'beach-1.png', 'beach-2.png']);
    expect(beaches.every((asset: { total_count: number }) => asset.total_count === 3)).toBe(true);
    const page = (await list({ q: 'beach', offset: 1, limit: 1 })).list_assets;
    expect(page).toEqual([{ name: beaches[1].name, total_count: 3 }]);
    expect((await list({ q: '%_' })).list_assets.map((asset: { name: string }) => asset.name)).toEqual(['100%_done.png']);
    expect((await list({})).list_assets).toHaveLength(5);
    const total = await platform.ok(ADMIN_KEY, 'query ($id: String!) { get_library(id: $id) { total_media_assets assets { name } } }', {
      id: library,
    });
    expect(total.get_library.total_media_assets).toBe(5);
    expect(total.get_library.assets).toHaveLength(5);
    const bad = await platform.as(ADMIN_KEY, 'query ($lib: String!) { list_assets(library_id: $lib, limit: 1.5) { id } }', {
      lib: library,
    });
    expect(errorOf(bad)).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'limit' });
  });
});

describe('import_asset', () => {
  const importFrom = (library: string, url: string) =>
    platform.as(
      ADMIN_KEY,
      'mutation ($lib: String!, $url: String!) { import_asset(library_id: $lib, source_url: $url, name: "imported.png") { id status size library { id } } }',
      { lib: library, url },
    );

  it('fetches an allow-listed local server and processes the file', async () => {
    const library = await platform.createLibrary('IMAGE');
    const { body } = await importFrom(library, `${fileOrigin}/picture.png`);
    expect(body.data.import_asset).toMatchObject({ status: 'UPLOAD_PROCESSING', size: png.length, library: { id: library } });
    expect(await platform.settled(body.data.import_asset.id)).toMatchObject({
      status: 'READY',
      width: 20,
      height: 10,
      content_type: 'image/png',
    });
  });

  it('never stores the type a remote server announces when it is not of the library kind', async () => {
    const library = await platform.createLibrary('IMAGE');
    const { body } = await importFrom(library, `${fileOrigin}/page.html`);
    const asset = await platform.settled(body.data.import_asset.id);
    expect(asset).toMatchObject({ status: 'READY', content_type: 'image/png' });
    const download = await fetch(asset.download_url);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('refuses the same URL without the allow list, and any non-http URL', async () => {
    const guarded = await startMediaPlatform();
    try {
      const library = await guarded.createLibrary('IMAGE');
      const refused = await guarded.as(
        ADMIN_KEY,
        'mutation ($lib: String!, $url: String!) { import_asset(library_id: $lib, source_url: $url, name: "x") { id } }',
        { lib: library, url: `${fileOrigin}/picture.png` },
      );
      expect(errorOf(refused)).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'source_url' });
      expect(refused.body.errors?.[0]?.message).toContain('127.0.0.1 is a loopback address');
      const file = await guarded.as(
        ADMIN_KEY,
        'mutation ($lib: String!) { import_asset(library_id: $lib, source_url: "file:///etc/passwd", name: "x") { id } }',
        { lib: library },
      );
      expect(file.body.errors?.[0]?.message).toContain('refused (protocol)');
      const nothing = await guarded.ok(ADMIN_KEY, 'query ($id: String!) { get_library(id: $id) { total_media_assets } }', { id: library });
      expect(nothing.get_library.total_media_assets).toBe(0);
    } finally {
      await guarded.stop();
    }
  });
});

describe('set_asset_status', () => {
  it('archives and restores a READY asset, re-processes on request, and refuses transitions that make no sense', async () => {
    const library = await platform.createLibrary('IMAGE');
    const { assetId } = await platform.upload(library, png, 'image/png');
    await platform.settled(assetId);
    const set = (status: string) =>
      platform.as(ADMIN_KEY, 'mutation ($id: String!, $status: AssetStatus!) { set_asset_status(id: $id, status: $status) { status } }', {
        id: assetId,
        status,
      });
    expect((await set('ARCHIVED')).body.data.set_asset_status.status).toBe('ARCHIVED');
    const refused = await set('REJECTED');
    expect(errorOf(refused)).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'status' });
    expect(refused.body.errors?.[0]?.message).toContain('an asset ARCHIVED may become READY, not REJECTED');
    expect((await set('READY')).body.data.set_asset_status.status).toBe('READY');
    expect((await set('UPLOAD_PROCESSING')).body.data.set_asset_status.status).toBe('UPLOAD_PROCESSING');
    expect((await platform.settled(assetId)).status).toBe('READY');
    const readonly = await platform.as(
      platform.keys.READONLY,
      'mutation ($id: String!) { set_asset_status(id: $id, status: ARCHIVED) { status } }',
      { id: assetId },
    );
    expect(errorOf(readonly)?.code).toBe('FORBIDDEN');
  });
});

describe('deletion', () => {
  it('leaves no file behind: delete_asset its original and thumbnail, delete_library all of its assets and parts', async () => {
    const library = await platform.createLibrary('IMAGE');
    const first = await platform.upload(library, png, 'image/png');
    const second = await platform.upload(library, png, 'image/png');
    await platform.settled(first.assetId);
    await platform.settled(second.assetId);
    const multipart = await platform.ok(
      ADMIN_KEY,
      'mutation ($lib: String!) { create_asset_multipart_upload(library_id: $lib, parts: 2, content_type: "image/png", name: "m") { signedUrls } }',
      { lib: library },
    );
    await fetch(multipart.create_asset_multipart_upload.signedUrls[0], { method: 'PUT', body: new Uint8Array(10) });
    const filesOf = (id: string) => platform.storedFiles().filter((file) => file.includes(id));
    expect(filesOf(first.assetId).sort()).toEqual([expect.stringMatching(/original$/), expect.stringMatching(/thumbnail-1\.jpg$/)]);

    expect((await platform.ok(ADMIN_KEY, 'mutation ($id: String!) { delete_asset(id: $id) }', { id: first.assetId })).delete_asset).toBe(
      true,
    );
    expect(filesOf(first.assetId)).toEqual([]);
    expect(filesOf(second.assetId)).toHaveLength(2);
    expect(errorOf(await platform.as(ADMIN_KEY, 'query ($id: String!) { get_asset(id: $id) { id } }', { id: first.assetId }))?.code).toBe(
      'NOT_FOUND',
    );

    expect((await platform.ok(ADMIN_KEY, 'mutation ($id: String!) { delete_library(id: $id) }', { id: library })).delete_library).toBe(
      true,
    );
    expect(filesOf(library)).toEqual([]);
    expect(readdirSync(`${platform.dataDir}/storage/multipart`)).toEqual([]);
    expect(errorOf(await platform.as(ADMIN_KEY, 'query ($id: String!) { get_asset(id: $id) { id } }', { id: second.assetId }))?.code).toBe(
      'NOT_FOUND',
    );
  });
});
