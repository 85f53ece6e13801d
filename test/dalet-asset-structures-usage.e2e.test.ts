/**
 * Bundles and usage through the gateway: the three BundleAsset lists (track stacks from
 * createTrackStackAssets; media and TX versions listed by the store, as Galaxy's Bundle Editor would), and
 * the seven AssetUsage subqueries computed from the real links, each keeping only what the caller may View.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToBundle } from '../subgraphs/dalet/modules/asset-structures/bundles.ts';
import type { DaletDatabase } from '../subgraphs/dalet/store/tables.ts';
import { startStructuresPlatform, type StructuresPlatform } from './helpers/dalet-structures.ts';

let env: StructuresPlatform;
beforeAll(async () => (env = await startStructuresPlatform()), 60_000);
afterAll(async () => env?.platform.stop());

const BUNDLE = `query ($ids: [ID]) { assets(input: { where: { ids: $ids } }) { assets { ... on BundleAsset {
  mediaAssets { totalCount assets { id } }
  trackStackAssets { totalCount assets { id } }
  versionAssets { totalCount assets { id } } } } } }`;
const USAGE = `query ($ids: [ID]) { assets(input: { where: { ids: $ids } }) { assets { usage {
  assetMetadataUsage { totalCount assets { id } }
  bundlesUsage { totalCount assets { id } }
  clipsUsage { totalCount assets { id } }
  edlsUsage { totalCount assets { id } }
  groupsUsage { totalCount assets { id } }
  patternsUsage { totalCount assets { id } }
  storiesUsage { totalCount assets { id } } } } } }`;

const page = (...ids: string[]) => ({ totalCount: ids.length, assets: ids.map((id) => ({ id })) });
const usageOf = async (token: string, id: string) => (await env.platform.ok(token, USAGE, { ids: [id] })).assets.assets[0].usage;
const store = () => env.platform.subgraphs.dalet!.store.db as import('kysely').Kysely<DaletDatabase>;

describe('BundleAsset lists and bundlesUsage', () => {
  it('lists the track stacks created in it, and the media and versions the store lists in it', async () => {
    const { editor, create } = env;
    const bundle = await create(editor.token, 'Bundle');
    const trackStack = await create(editor.token, 'TrackStack', { bundleAssetId: bundle, template: { id: '1073' } });
    const [video, version] = [await create(editor.token, 'Video'), await create(editor.token, 'TxVersion')];
    await addToBundle(store(), Number(bundle), Number(video));
    await addToBundle(store(), Number(bundle), Number(version));
    await addToBundle(store(), Number(bundle), Number(video));
    const listed = (await env.platform.ok(editor.token, BUNDLE, { ids: [bundle] })).assets.assets[0];
    expect(listed).toEqual({ mediaAssets: page(video), trackStackAssets: page(trackStack), versionAssets: page(version) });
    for (const member of [trackStack, video, version]) expect((await usageOf(editor.token, member)).bundlesUsage).toEqual(page(bundle));
  });

  it('keeps what the caller may not View out', async () => {
    const { editor, outsider, editorPrivate, create } = env;
    const bundle = await create(editor.token, 'Bundle');
    const hidden = await create(editor.token, 'Video', { categoryId: editorPrivate });
    const shown = await create(editor.token, 'Audio');
    await addToBundle(store(), Number(bundle), Number(hidden));
    await addToBundle(store(), Number(bundle), Number(shown));
    const seen = (await env.platform.ok(outsider.token, BUNDLE, { ids: [bundle] })).assets.assets[0];
    expect(seen.mediaAssets).toEqual(page(shown));
    const hiddenBundle = await create(editor.token, 'Bundle', { categoryId: editorPrivate });
    await addToBundle(store(), Number(hiddenBundle), Number(shown));
    expect((await usageOf(outsider.token, shown)).bundlesUsage).toEqual(page(bundle));
    expect((await usageOf(editor.token, shown)).bundlesUsage).toEqual(page(bundle, hiddenBundle));
  });
});

describe('AssetUsage', () => {
  it('computes each list from the real links', async () => {
    const { editor, create } = env;
    const video = await create(editor.token, 'Video');
    const clip = await create(editor.token, 'Clip', { parentAssetId: video, tcIn: '00:00:00.000', tcOut: '00:00:10.000' });
    const group = await create(editor.token, 'Group');
    await env.platform.ok(
      editor.token,
      'mutation ($input: AddItemsToGroupsInput!) { addItemsToGroups(input: $input) { groupItems { id } } }',
      { input: { itemsToGroups: [{ groupId: group, assetSegments: [{ assetId: video }] }] } },
    );
    const referencing = await create(editor.token, 'Image', { metadata: [{ field: { name: 'Title Reference' }, value: [video] }] });
    expect(await usageOf(editor.token, video)).toEqual({
      assetMetadataUsage: page(referencing),
      bundlesUsage: page(),
      clipsUsage: page(clip),
      edlsUsage: page(),
      groupsUsage: page(group),
      patternsUsage: page(),
      storiesUsage: page(),
    });
    expect(await usageOf(editor.token, clip)).toMatchObject({ clipsUsage: page(), groupsUsage: page() });
  });

  it('filters and pages like assets', async () => {
    const { editor, create } = env;
    const video = await create(editor.token, 'Video');
    const clips = [];
    for (const itemCode of ['A', 'B', 'A'])
      clips.push(await create(editor.token, 'Clip', { parentAssetId: video, tcIn: '00:00:00.000', tcOut: '00:00:01.000', itemCode }));
    const usage = await env.platform.ok(
      editor.token,
      `query ($ids: [ID]) { assets(input: { where: { ids: $ids } }) { assets { usage {
        onlyA: clipsUsage(input: { where: { itemCodes: ["A"] } }) { totalCount assets { id } }
        firstTwo: clipsUsage(input: { select: { first: 2 } }) { totalCount pageInfo { hasNextPage } assets { id } } } } } }`,
      { ids: [video] },
    );
    const { onlyA, firstTwo } = usage.assets.assets[0].usage;
    expect(onlyA).toEqual(page(clips[0]!, clips[2]!));
    expect(firstTwo).toEqual({ totalCount: 3, pageInfo: { hasNextPage: true }, assets: [{ id: clips[0] }, { id: clips[1] }] });
  });
});
