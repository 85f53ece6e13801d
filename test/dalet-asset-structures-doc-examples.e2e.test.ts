/**
 * The doc's examples of groups, bundles, CG and subtitles associations and usage, run as printed, each id
 * of the doc replaced by the id of what the test created (the doc's ids are those of its own site).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToBundle } from '../subgraphs/dalet/modules/asset-structures/bundles.ts';
import type { DaletDatabase } from '../subgraphs/dalet/store/tables.ts';
import { STRUCTURE_EXAMPLES } from './fixtures/dalet-structure-examples.ts';
import { startStructuresPlatform, type StructuresPlatform } from './helpers/dalet-structures.ts';

let env: StructuresPlatform;
beforeAll(async () => (env = await startStructuresPlatform()), 60_000);
afterAll(async () => env?.platform.stop());

/** The example with each doc id (a whole number, quoted or not) replaced by ours. */
function withIds(example: string, ids: Record<string, string>): string {
  return example.replace(/\b\d+\b/g, (id) => ids[id] ?? id);
}

const run = (example: keyof typeof STRUCTURE_EXAMPLES, ids: Record<string, string>) =>
  env.platform.ok(env.editor.token, withIds(STRUCTURE_EXAMPLES[example], ids));
const make = (kind: string, fields?: Record<string, unknown>) => env.create(env.editor.token, kind, fields);
const ids = (assets: { id: string }[]) => assets.map((asset) => asset.id);

describe('groups', () => {
  it('addItemsToGroups, items, groupsUsage, removeItemsFromGroups', async () => {
    const [group, first, second] = [await make('Group'), await make('Video'), await make('Video')];
    const added = await run('addItemsToGroups', { 2002: group, 2000: first, 1986: second });
    expect(added.addItemsToGroups.groupItems).toEqual([
      { id: '1:1:1', asset: { id: first } },
      { id: '1:1:2', asset: { id: second } },
    ]);
    const items = await run('items', { 356290: group });
    expect(items.assets.assets).toEqual([{ id: group, name: expect.any(String), items: { items: [{ id: '1:1:1' }, { id: '1:1:2' }] } }]);
    const usage = await run('groupsUsage', { 356290: second });
    expect(ids(usage.assets.assets[0].usage.groupsUsage.assets)).toEqual([group]);
    const removed = await run('removeItemsFromGroups', { 354890: group });
    expect(removed.removeItemsFromGroups.removedItemIdsByGroupId).toEqual([{ groupId: group, groupItemIds: ['1:1:1', '1:1:2'] }]);
    expect((await run('items', { 356290: group })).assets.assets[0].items.items).toEqual([]);
  });
});

describe('bundles', () => {
  it('mediaAssets, trackStackAssets, versionAssets, bundlesUsage', async () => {
    const bundle = await make('Bundle');
    const trackStack = await make('TrackStack', { bundleAssetId: bundle, template: { id: '1073' } });
    const [video, version] = [await make('Video'), await make('TxVersion')];
    const db = env.platform.subgraphs.dalet!.store.db as import('kysely').Kysely<DaletDatabase>;
    for (const member of [video, version]) await addToBundle(db, Number(bundle), Number(member));
    const listed = (example: 'mediaAssets' | 'trackStackAssets' | 'versionAssets') =>
      run(example, { 355260: bundle }).then((data) => ids(data.assets.assets[0][example].assets));
    expect(await listed('mediaAssets')).toEqual([video]);
    expect(await listed('trackStackAssets')).toEqual([trackStack]);
    expect(await listed('versionAssets')).toEqual([version]);
    const usage = await run('bundlesUsage', { 357560: trackStack });
    expect(usage.assets.assets[0].usage.bundlesUsage.assets).toEqual([
      { id: bundle, name: expect.any(String), itemCode: expect.any(String), status: expect.any(Object) },
    ]);
  });
});

describe('associations', () => {
  it('create, list and remove CG to video associations', async () => {
    const [video, cg] = [await make('Video'), await make('CG', { cgType: { id: '1078' } })];
    const created = await run('createCGToVideoAssociations', { 17392: video, 356336: cg });
    const [{ id }] = created.createCGToVideoAssociations.associations;
    const listed = await run('cgToVideoAssociations', { 357767: video });
    expect(listed.assets.assets[0].cgToVideoAssociations.cgToVideoAssociations).toEqual([
      { id, videoAsset: { id: video }, cgAsset: { id: cg } },
    ]);
    expect((await run('removeCGToVideoAssociations', { 180: id })).removeCGToVideoAssociations).toEqual({ deletedAssociationIds: [id] });
  });

  it('create, list and remove subtitles to video associations', async () => {
    const [video, subtitles] = [await make('Video'), await make('Subtitles', { subtitlesType: { id: '1095' } })];
    const created = await run('createSubtitlesToVideoAssociations', { 17392: video, 1750: subtitles });
    const [{ id }] = created.createSubtitlesToVideoAssociations.associations;
    const listed = await run('subtitlesToVideoAssociations', { 2772: video });
    expect(listed.assets.assets[0].subtitlesToVideoAssociations.subtitlesToVideoAssociations).toEqual([
      { id, studioChannel: { id: '905' }, videoAsset: { id: video }, subtitlesAsset: { id: subtitles } },
    ]);
    expect((await run('removeSubtitlesToVideoAssociations', { 205: id })).removeSubtitlesToVideoAssociations).toEqual({
      deletedAssociationIds: [id],
    });
  });
});

describe('usage', () => {
  it('assetMetadataUsage, clipsUsage, and the EDLs, patterns and stories no operation fills', async () => {
    const video = await make('Video');
    const clip = await make('Clip', { parentAssetId: video, tcIn: '00:00:00.000', tcOut: '00:00:10.000' });
    const referencing = await make('Image', { metadata: [{ field: { name: 'Title Reference' }, value: [video] }] });
    const usage = async (example: keyof typeof STRUCTURE_EXAMPLES, docId: string) =>
      ids((await run(example, { [docId]: video })).assets.assets[0].usage[example].assets);
    expect(await usage('assetMetadataUsage', '17392')).toEqual([referencing]);
    expect(await usage('clipsUsage', '357014')).toEqual([clip]);
    expect(await usage('edlsUsage', '356822')).toEqual([]);
    expect(await usage('patternsUsage', '357540')).toEqual([]);
    expect(await usage('storiesUsage', '355560')).toEqual([]);
  });
});
