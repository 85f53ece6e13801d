/**
 * The Media section through the gateway: createFileMediaInfo, updateFileMediaInfo, deleteMediaInfo and
 * mediaInfo with the rights the doc names (Insert and Remove on the asset's category; View to read),
 * formats and storage units checked against the configuration, and the technical metadata of files read
 * with ffprobe, from a local storage unit and over HTTP through the outbound guard. The doc's examples run
 * as printed, with the ids of the demo site (format 302, storage unit 401) and of assets the test made.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';
import { createTestAsset } from './helpers/dalet-assets.ts';

let platform: DaletPlatform;
let files: string;
let http: Server;
let editor: { id: string; token: string };
let outsider: { id: string; token: string };
let reviewAsset: string;
let hiddenAsset: string;

const LOCAL_UNIT = '401';
const HTTP_UNIT = '402';
const PROXY_FORMAT = '302';

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), 'dalet-media-files-'));
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=2:size=160x120:rate=25'],
    ...['-c:v', 'mpeg4', '-timecode', '10:00:00:00', join(files, 'clip.mp4')],
  ]);
  // The HTTP storage unit: serves the files folder.
  http = createServer((request, response) => {
    const name = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname.replace(/^\/media\//, ''));
    if (!/^[\w. -]+$/.test(name) || !existsSync(join(files, name))) return void response.writeHead(404).end();
    createReadStream(join(files, name)).pipe(response);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as { port: number }).port;
  platform = await startDaletPlatform({
    DALET_STORAGE_LOCATIONS: `${LOCAL_UNIT}=${files},${HTTP_UNIT}=http://127.0.0.1:${port}/media`,
    OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
  });
  editor = await platform.newUser('media_editor');
  outsider = await platform.newUser('media_outsider');
  await platform.ok(
    platform.adminToken,
    `mutation { addUsersToUserGroups(input: { users: { ids: [${editor.id}] }, userGroups: { names: ["EDITORS"] } }) { addedAssociations { users { id } } } }`,
  );
  reviewAsset = await createTestAsset(platform, 'Review clip', 'CATEGORIES/To review');
  hiddenAsset = await createTestAsset(platform, 'Private clip', `CATEGORIES/Private/test_admin 1`);
}, 60_000);
afterAll(async () => {
  await platform?.stop();
  await new Promise((resolve) => http?.close(resolve));
  rmSync(files, { recursive: true, force: true });
});

const CREATE = `mutation ($input: CreateFileMediaInfoInput!) { createFileMediaInfo(input: $input) { mediaInfo {
  id __typename mediaProcessStatus mainFileFullPath version format { id } storageUnit { id }
  ... on VideoMediaInfo { duration tcIn tcOut filesFullPath } } } }`;
const create = (token: string, input: Record<string, unknown>) => platform.as(token, CREATE, { input });
const errorOf = (body: { errors?: { extensions?: Record<string, any> }[] }) => body.errors?.[0]?.extensions;

describe('createFileMediaInfo', () => {
  it("the doc's example: OFFLINE by default, so its duration is 0", async () => {
    const data = await platform.ok(
      editor.token,
      `mutation {
  createFileMediaInfo(
    input: { formatId: "${PROXY_FORMAT}", storageUnitId: "${LOCAL_UNIT}", assetId: "${reviewAsset}" }
  ) {
    mediaInfo {
      id
    }
  }
}`,
    );
    const id = data.createFileMediaInfo.mediaInfo.id;
    const { mediaInfo } = await platform.ok(
      editor.token,
      `{ mediaInfo(input: { where: { ids: [${id}] } }) { totalCount mediaInfo { __typename mediaProcessStatus version
        ... on VideoMediaInfo { duration tcIn tcOut } } } }`,
    );
    expect(mediaInfo).toEqual({
      totalCount: 1,
      mediaInfo: [
        {
          __typename: 'VideoMediaInfo',
          mediaProcessStatus: 'OFFLINE',
          version: 1,
          duration: '00:00:00.000 PAL',
          tcIn: '00:00:00.000 PAL',
          tcOut: '00:00:00.000 PAL',
        },
      ],
    });
  });

  it('ONLINE on a local storage unit: duration and time codes read from the file', async () => {
    const { body } = await create(editor.token, {
      formatId: PROXY_FORMAT,
      storageUnitId: LOCAL_UNIT,
      assetId: await createTestAsset(platform, 'Local clip', 'CATEGORIES/To review'),
      baseFilename: 'clip',
      mediaProcessStatus: 'ONLINE',
      duration: '00:00:09.000 PAL',
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.createFileMediaInfo.mediaInfo).toMatchObject({
      __typename: 'VideoMediaInfo',
      mediaProcessStatus: 'ONLINE',
      mainFileFullPath: '\\\\isilon01\\media\\clip.mp4',
      filesFullPath: ['\\\\isilon01\\media\\clip.mp4'],
      format: { id: PROXY_FORMAT },
      storageUnit: { id: LOCAL_UNIT },
      duration: '00:00:02.000 PAL',
      tcIn: '10:00:00.000 PAL',
      tcOut: '10:00:02.000 PAL',
    });
  });

  it('ONLINE on an HTTP storage unit: the file is fetched through the outbound guard', async () => {
    const { body } = await create(editor.token, {
      formatId: PROXY_FORMAT,
      storageUnitId: HTTP_UNIT,
      assetId: await createTestAsset(platform, 'Web clip', 'CATEGORIES/To review'),
      baseFilename: 'clip',
      mediaProcessStatus: 'ONLINE',
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.createFileMediaInfo.mediaInfo).toMatchObject({
      mainFileFullPath: 'https://proxy.example.com/media/clip.mp4',
      duration: '00:00:02.000 PAL',
      tcIn: '10:00:00.000 PAL',
    });
  });

  it('a file that cannot be read keeps the duration given', async () => {
    const { body } = await create(editor.token, {
      formatId: PROXY_FORMAT,
      storageUnitId: LOCAL_UNIT,
      assetId: await createTestAsset(platform, 'Missing clip', 'CATEGORIES/To review'),
      baseFilename: 'not-there',
      mediaProcessStatus: 'NEAR_ONLINE',
      duration: '00:00:09.000 PAL',
    });
    expect(body.data.createFileMediaInfo.mediaInfo).toMatchObject({ duration: '00:00:09.000 PAL', tcOut: '00:00:09.000 PAL' });
  });

  it('formats and storage units as configured, one media info a format and unit, file names kept inside the unit', async () => {
    const assetId = await createTestAsset(platform, 'Checked clip', 'CATEGORIES/To review');
    const refused = async (input: Record<string, unknown>) => {
      const { body } = await create(editor.token, { formatId: PROXY_FORMAT, storageUnitId: LOCAL_UNIT, assetId, ...input });
      expect(body.data).toEqual({ createFileMediaInfo: { mediaInfo: null } });
      return errorOf(body);
    };
    expect(await refused({ formatId: '999' })).toMatchObject({ errorCode: 'ResourceDoesNotExist', resourceType: 'MEDIA_FORMAT' });
    expect(await refused({ storageUnitId: '999' })).toMatchObject({ errorCode: 'ResourceDoesNotExist', resourceType: 'STORAGE_UNIT' });
    expect(await refused({ formatId: '303' })).toMatchObject({ errorCode: 'InvalidInput', name: 'formatId' });
    expect(await refused({ baseFilename: '../../etc/passwd' })).toMatchObject({ errorCode: 'InvalidInput', name: 'baseFilename' });
    expect(await refused({ assetId: '987654' })).toMatchObject({ errorCode: 'ResourceDoesNotExist', resourceType: 'ASSET' });
    await platform.ok(editor.token, CREATE, { input: { formatId: PROXY_FORMAT, storageUnitId: LOCAL_UNIT, assetId } });
    expect(await refused({})).toMatchObject({ errorCode: 'ResourcePreconditionViolation', precondition: 'MEDIA_ALREADY_EXISTS' });
  });

  it('rights: Insert and Remove on the asset category; an asset the caller cannot View does not exist for them', async () => {
    const { body } = await create(outsider.token, { formatId: PROXY_FORMAT, storageUnitId: HTTP_UNIT, assetId: reviewAsset });
    expect(errorOf(body)).toMatchObject({ errorCode: 'NoAccessRightsException', operationType: 'CREATE', userId: Number(outsider.id) });
    const hidden = await create(editor.token, { formatId: PROXY_FORMAT, storageUnitId: LOCAL_UNIT, assetId: hiddenAsset });
    expect(errorOf(hidden.body)).toMatchObject({ errorCode: 'ResourceDoesNotExist', resourceType: 'ASSET' });
  });
});

describe('mediaInfo', () => {
  it("the doc's example, and only what the caller may View", async () => {
    await platform.ok(platform.adminToken, CREATE, { input: { formatId: '311', storageUnitId: LOCAL_UNIT, assetId: hiddenAsset } });
    const query = (where: string) => `{ mediaInfo(input: { where: ${where} }) { totalCount mediaInfo { id format { id } } } }`;
    const byAdmin = await platform.ok(platform.adminToken, query(`{ formatIds: [311] }`));
    expect(byAdmin.mediaInfo.totalCount).toBe(1);
    expect((await platform.ok(outsider.token, query(`{ formatIds: [311] }`))).mediaInfo).toEqual({ totalCount: 0, mediaInfo: [] });
    const doc = await platform.ok(
      outsider.token,
      `query {
  mediaInfo(input: { where: { formatIds: [${PROXY_FORMAT}] } }) {
    mediaInfo {
      id
    }
  }
}`,
    );
    expect(doc.mediaInfo.mediaInfo.length).toBeGreaterThan(0);
    const filtered = await platform.ok(
      outsider.token,
      query(`{ assetIds: [${reviewAsset}], storageUnitIds: [${LOCAL_UNIT}], mediaProcessStatuses: [OFFLINE] }`),
    );
    expect(filtered.mediaInfo.mediaInfo.map((info: any) => info.format.id)).toEqual([PROXY_FORMAT]);
  });
});

describe('updateFileMediaInfo and deleteMediaInfo', () => {
  it("the doc's examples: rename every media info of an asset, then delete them with their files", async () => {
    const assetId = await createTestAsset(platform, 'Renamed clip', 'CATEGORIES/To review');
    execFileSync('cp', [join(files, 'clip.mp4'), join(files, 'to-delete.mp4')]);
    const created = await platform.ok(editor.token, CREATE, {
      input: { formatId: PROXY_FORMAT, storageUnitId: LOCAL_UNIT, assetId, baseFilename: 'to-delete', mediaProcessStatus: 'ONLINE' },
    });
    const id = created.createFileMediaInfo.mediaInfo.id;
    const updated = await platform.ok(
      editor.token,
      `mutation {
  updateFileMediaInfo(
    input: {
      mediaInfoWith: { assetMediaInfoWith: { assetId: "${assetId}" } }
      baseFilename: "new media name"
    }
  ) {
    mediaInfo {
      id
    }
  }
}`,
    );
    expect(updated.updateFileMediaInfo.mediaInfo).toEqual([{ id }]);
    const offline = await platform.ok(
      editor.token,
      `mutation { updateFileMediaInfo(input: { mediaInfoWith: { ids: [${id}] }, mediaProcessStatus: OFFLINE, duration: "00:01:00.000 PAL" }) {
        mediaInfo { mainFileFullPath version mediaProcessStatus ... on VideoMediaInfo { duration } } } }`,
    );
    expect(offline.updateFileMediaInfo.mediaInfo).toEqual([
      {
        mainFileFullPath: '\\\\isilon01\\media\\new media name.mp4',
        version: 3,
        mediaProcessStatus: 'OFFLINE',
        duration: '00:00:00.000 PAL',
      },
    ]);
    // The file is the renamed one's now: put it there, as a copy would.
    execFileSync('mv', [join(files, 'to-delete.mp4'), join(files, 'new media name.mp4')]);
    const deleted = await platform.ok(
      editor.token,
      `mutation {
  deleteMediaInfo(
    input: {
      mediaInfoWith: { assetMediaInfoWith: { assetId: "${assetId}" } }
      deleteFiles: true
    }
  ) {
    deletedMediaInfoId
  }
}`,
    );
    expect(deleted.deleteMediaInfo.deletedMediaInfoId).toEqual([id]);
    expect(existsSync(join(files, 'new media name.mp4'))).toBe(false);
    expect(existsSync(join(files, 'clip.mp4'))).toBe(true);
  });

  it('at least one of ids or assetMediaInfoWith; without the rights, an error and nothing changed', async () => {
    const missing = await platform.as(editor.token, 'mutation { deleteMediaInfo(input: { mediaInfoWith: {} }) { deletedMediaInfoId } }');
    expect(missing.body.data).toEqual({ deleteMediaInfo: { deletedMediaInfoId: [] } });
    expect(errorOf(missing.body)).toMatchObject({ errorCode: 'InvalidInput', name: 'mediaInfoWith', reason: 'MISSING_VALUE' });
    const refused = await platform.as(
      outsider.token,
      `mutation { updateFileMediaInfo(input: { mediaInfoWith: { assetMediaInfoWith: [{ assetId: "${reviewAsset}" }] }, baseFilename: "taken" }) { mediaInfo { id } } }`,
    );
    expect(refused.body.data).toEqual({ updateFileMediaInfo: { mediaInfo: [] } });
    expect(errorOf(refused.body)).toMatchObject({ errorCode: 'NoAccessRightsException', operationType: 'UPDATE' });
  });

  it('deleteAssets takes its media infos with it; purgeMedia deletes their files too', async () => {
    const withFile = async (name: string) => {
      const assetId = await createTestAsset(platform, name, 'CATEGORIES/To review');
      execFileSync('cp', [join(files, 'clip.mp4'), join(files, `${name}.mp4`)]);
      await platform.ok(editor.token, CREATE, {
        input: { formatId: PROXY_FORMAT, storageUnitId: LOCAL_UNIT, assetId, baseFilename: name },
      });
      return assetId;
    };
    const kept = await withFile('kept');
    const purged = await withFile('purged');
    const deleteAsset = (id: string, purgeMedia: boolean) =>
      platform.ok(
        platform.adminToken,
        `mutation { deleteAssets(input: { assetsWith: { ids: [${id}] }, purgeMedia: ${purgeMedia} }) { deletedAssetIds } }`,
      );
    await deleteAsset(kept, false);
    await deleteAsset(purged, true);
    const left = await platform.ok(
      platform.adminToken,
      `{ mediaInfo(input: { where: { assetIds: [${kept}, ${purged}] } }) { totalCount } }`,
    );
    expect(left.mediaInfo.totalCount).toBe(0);
    expect(existsSync(join(files, 'kept.mp4'))).toBe(true);
    expect(existsSync(join(files, 'purged.mp4'))).toBe(false);
  });
});
