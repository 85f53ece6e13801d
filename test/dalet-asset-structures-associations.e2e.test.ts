/**
 * CG- and subtitles-to-video associations through the gateway: create (overwriting on the same tcIn and
 * channel), the VideoAsset subqueries and their fields, remove; the asset kinds, the studio channel and the
 * rights each checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStructuresPlatform, type StructuresPlatform } from './helpers/dalet-structures.ts';

let env: StructuresPlatform;
beforeAll(async () => (env = await startStructuresPlatform()), 60_000);
afterAll(async () => env?.platform.stop());

const KINDS = {
  CG: {
    mutation: 'CGToVideo',
    assetField: 'cgAssetId',
    output: 'cgAsset',
    list: 'cgToVideoAssociations',
    channel: 'CG',
    asset: 'CG',
    type: { cgType: { id: '1078' } },
  },
  SUBTITLES: {
    mutation: 'SubtitlesToVideo',
    assetField: 'subtitlesAssetId',
    output: 'subtitlesAsset',
    list: 'subtitlesToVideoAssociations',
    channel: 'Subtitle',
    asset: 'Subtitles',
    type: { subtitlesType: { id: '1095' } },
  },
} as const;

type Kind = (typeof KINDS)[keyof typeof KINDS];

const create = (token: string, kind: Kind, associations: Record<string, unknown>[]) =>
  env.platform.as(
    token,
    `mutation ($input: Create${kind.mutation}AssociationsInput!) { create${kind.mutation}Associations(input: $input) {
      associations { id tcIn tcOut studioChannel { id name } videoAsset { id } ${kind.output} { id } } } }`,
    { input: { associations } },
  );
const remove = (token: string, kind: Kind, associationIds: string[]) =>
  env.platform.as(
    token,
    `mutation ($input: Remove${kind.mutation}AssociationsInput!) { remove${kind.mutation}Associations(input: $input) { deletedAssociationIds } }`,
    { input: { associationIds } },
  );
const listOf = async (token: string, kind: Kind, videoId: string, where?: Record<string, unknown>) => {
  const data = await env.platform.ok(
    token,
    `query ($ids: [ID], $where: SingleTypeAssetsFilterInput) { assets(input: { where: { ids: $ids } }) { assets { ... on VideoAsset {
      ${kind.list}(input: { where: $where }) { totalCount ${kind.list} { id ${kind.output} { id } } } } } } }`,
    { ids: [videoId], where },
  );
  return data.assets.assets[0][kind.list];
};
const errorOf = (body: { errors?: { extensions?: Record<string, any> }[] }) => body.errors?.[0]?.extensions;

describe.each(Object.entries(KINDS))('%s to video associations', (_name, kind) => {
  it('creates, lists, overwrites on the same tcIn and channel, removes', async () => {
    const { editor } = env;
    const video = await env.create(editor.token, 'Video');
    const [first, second] = [await env.create(editor.token, kind.asset, kind.type), await env.create(editor.token, kind.asset, kind.type)];
    const made = await create(editor.token, kind, [
      { videoAssetId: video, [kind.assetField]: first, studioChannelName: kind.channel, tcIn: '00:00:10.000', tcOut: '00:00:20.000' },
    ]);
    expect(made.body.errors).toBeUndefined();
    const [association] = made.body.data[`create${kind.mutation}Associations`].associations;
    expect(association).toMatchObject({
      tcIn: '00:00:10.000 PAL',
      tcOut: '00:00:20.000 PAL',
      studioChannel: { name: kind.channel },
      videoAsset: { id: video },
      [kind.output]: { id: first },
    });
    const again = await create(editor.token, kind, [
      { videoAssetId: video, [kind.assetField]: second, studioChannelName: kind.channel, tcIn: '00:00:10.000', tcOut: '00:00:30.000' },
      { videoAssetId: video, [kind.assetField]: first, studioChannelName: kind.channel },
    ]);
    const [overwritten, added] = again.body.data[`create${kind.mutation}Associations`].associations;
    expect(overwritten).toMatchObject({ id: association.id, tcOut: '00:00:30.000 PAL', [kind.output]: { id: second } });
    expect(added).toMatchObject({ tcIn: '00:00:00.000 PAL', tcOut: '00:00:00.000 PAL', [kind.output]: { id: first } });
    expect(await listOf(editor.token, kind, video)).toEqual({
      totalCount: 2,
      [kind.list]: [
        { id: association.id, [kind.output]: { id: second } },
        { id: added.id, [kind.output]: { id: first } },
      ],
    });
    // The subquery's where selects the associated assets.
    expect((await listOf(editor.token, kind, video, { ids: [first] }))[kind.list]).toEqual([
      { id: added.id, [kind.output]: { id: first } },
    ]);
    const removed = await remove(editor.token, kind, [association.id]);
    expect(removed.body.data[`remove${kind.mutation}Associations`]).toEqual({ deletedAssociationIds: [association.id] });
    expect((await listOf(editor.token, kind, video)).totalCount).toBe(1);
    const unknown = await remove(editor.token, kind, [association.id]);
    expect(unknown.body.data[`remove${kind.mutation}Associations`]).toEqual({ deletedAssociationIds: [] });
    expect(errorOf(unknown.body)).toMatchObject({ errorCode: 'ResourceDoesNotExist', resourceSelector: association.id });
  });

  it('checks the kinds of the assets, the channel and the time codes', async () => {
    const { editor } = env;
    const [video, audio, associated] = [
      await env.create(editor.token, 'Video'),
      await env.create(editor.token, 'Audio'),
      await env.create(editor.token, kind.asset, kind.type),
    ];
    const on = (fields: Record<string, unknown>) =>
      create(editor.token, kind, [{ videoAssetId: video, [kind.assetField]: associated, studioChannelName: kind.channel, ...fields }]);
    expect(errorOf((await on({ videoAssetId: audio })).body)).toMatchObject({
      precondition: 'MUST_BE_A_VIDEO_ASSET_TYPE',
      resourceSelector: audio,
    });
    expect(errorOf((await on({ [kind.assetField]: audio })).body)).toMatchObject({
      errorCode: 'ResourcePreconditionViolation',
      resourceSelector: audio,
    });
    const otherChannel = kind.channel === 'CG' ? 'Subtitle' : 'CG';
    expect(errorOf((await on({ studioChannelName: otherChannel })).body)).toMatchObject({
      precondition: 'STUDIO_CHANNEL_MUST_ACCEPT_THE_TITLE_TYPE',
      resourceType: 'STUDIO_CHANNEL',
      resourceSelector: otherChannel,
    });
    expect(errorOf((await on({ studioChannelName: 'Nowhere' })).body)).toMatchObject({
      errorCode: 'ResourceDoesNotExist',
      resourceType: 'STUDIO_CHANNEL',
    });
    expect(errorOf((await on({ tcIn: '00:00:20.000', tcOut: '00:00:10.000' })).body)).toMatchObject({
      errorCode: 'InvalidInput',
      name: 'tcOut',
    });
    expect((await listOf(editor.token, kind, video)).totalCount).toBe(0);
  });

  it('needs Insert and Remove on the video, View on the associated asset', async () => {
    const { editor, outsider, editorPrivate } = env;
    const video = await env.create(editor.token, 'Video');
    const associated = await env.create(editor.token, kind.asset, kind.type);
    const refused = await create(outsider.token, kind, [
      { videoAssetId: video, [kind.assetField]: associated, studioChannelName: kind.channel },
    ]);
    expect(refused.body.data).toEqual({ [`create${kind.mutation}Associations`]: { associations: [] } });
    expect(errorOf(refused.body)).toMatchObject({ errorCode: 'NoAccessRightsException', operationType: 'UPDATE', resourceSelector: video });
    const hidden = await env.create(editor.token, kind.asset, { ...kind.type, categoryId: editorPrivate });
    const made = await create(env.platform.adminToken, kind, [
      { videoAssetId: video, [kind.assetField]: hidden, studioChannelName: kind.channel },
    ]);
    expect(made.body.errors).toBeUndefined();
    // The outsider sees the video, not the editor's private asset: the association is not listed.
    expect(await listOf(outsider.token, kind, video)).toEqual({ totalCount: 0, [kind.list]: [] });
    const id = made.body.data[`create${kind.mutation}Associations`].associations[0].id;
    const notRemoved = await remove(outsider.token, kind, [id]);
    expect(errorOf(notRemoved.body)).toMatchObject({ errorCode: 'NoAccessRightsException', resourceSelector: video });
    expect((await listOf(editor.token, kind, video)).totalCount).toBe(1);
  });
});
