/**
 * The asset structures' SQL on PostgreSQL through DATABASE_URL: group positions shifted and closed up,
 * item numbering, the association overwrite, the insert that ignores a repeated bundle member, usage
 * subqueries, and the cascades when an asset is deleted.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToBundle } from '../subgraphs/dalet/modules/asset-structures/bundles.ts';
import type { DaletDatabase } from '../subgraphs/dalet/store/tables.ts';
import { startStructuresPlatform, type StructuresPlatform } from './helpers/dalet-structures.ts';
import { startPostgres, type PostgresServer } from './helpers/postgres.ts';

describe('asset structures on PostgreSQL', () => {
  let postgres: PostgresServer;
  let env: StructuresPlatform;
  beforeAll(async () => {
    postgres = await startPostgres();
    env = await startStructuresPlatform({ DATABASE_URL: await postgres.createDatabase() });
  }, 60_000);
  afterAll(async () => {
    await env?.platform.stop();
    await postgres?.stop();
  });

  it('groups, associations, bundles and usage', async () => {
    const { editor, create, platform } = env;
    const [group, first, second] = [
      await create(editor.token, 'Group'),
      await create(editor.token, 'Video'),
      await create(editor.token, 'Video'),
    ];
    const added = await platform.ok(
      editor.token,
      'mutation ($input: AddItemsToGroupsInput!) { addItemsToGroups(input: $input) { groupItems { id } } }',
      {
        input: {
          itemsToGroups: [{ groupId: group, assetSegments: [{ assetId: first }, { assetId: second, position: 0 }, { assetId: first }] }],
        },
      },
    );
    expect(added.addItemsToGroups.groupItems).toEqual([{ id: '1:1:1' }, { id: '1:1:2' }, { id: '1:1:3' }]);
    await platform.ok(
      editor.token,
      'mutation ($input: RemoveItemsFromGroupsInput!) { removeItemsFromGroups(input: $input) { removedItemIdsByGroupId { groupItemIds } } }',
      { input: { groupItemsWith: { groupAndIds: [{ groupId: group, groupItemIds: ['1:1:2'] }] } } },
    );
    const items = await platform.ok(
      editor.token,
      `query ($ids: [ID]) { assets(input: { where: { ids: $ids } }) { assets { ... on GroupAsset { items { items { id } } } } } }`,
      { ids: [group] },
    );
    expect(items.assets.assets[0].items.items).toEqual([{ id: '1:1:1' }, { id: '1:1:3' }]);

    const cg = await create(editor.token, 'CG', { cgType: { id: '1078' } });
    const associate = (tcOut: string) =>
      platform.ok(
        editor.token,
        'mutation ($input: CreateCGToVideoAssociationsInput!) { createCGToVideoAssociations(input: $input) { associations { id tcOut } } }',
        { input: { associations: [{ videoAssetId: first, cgAssetId: cg, studioChannelName: 'CG', tcOut }] } },
      );
    const [made] = (await associate('00:00:05.000')).createCGToVideoAssociations.associations;
    expect((await associate('00:00:09.000')).createCGToVideoAssociations.associations).toEqual([
      { id: made.id, tcOut: '00:00:09.000 PAL' },
    ]);

    const bundle = await create(editor.token, 'Bundle');
    const db = platform.subgraphs.dalet!.store.db as Kysely<DaletDatabase>;
    await addToBundle(db, Number(bundle), Number(second));
    await addToBundle(db, Number(bundle), Number(second));
    const usage = await platform.ok(
      editor.token,
      `query ($ids: [ID]) { assets(input: { where: { ids: $ids } }) { assets { usage {
        bundlesUsage { totalCount assets { id } } groupsUsage { totalCount assets { id } } } } } }`,
      { ids: [first, second] },
    );
    expect(usage.assets.assets.map((asset: { usage: unknown }) => asset.usage)).toEqual([
      { bundlesUsage: { totalCount: 0, assets: [] }, groupsUsage: { totalCount: 1, assets: [{ id: group }] } },
      { bundlesUsage: { totalCount: 1, assets: [{ id: bundle }] }, groupsUsage: { totalCount: 0, assets: [] } },
    ]);

    // A video in a group goes only after the group; the group's items and the video's associations go with them.
    const remove = (id: string) =>
      platform.as(editor.token, 'mutation ($ids: [ID]) { deleteAssets(input: { assetsWith: { ids: $ids } }) { deletedAssetIds } }', {
        ids: [id],
      });
    expect((await remove(first)).body.errors?.[0]?.extensions).toMatchObject({ precondition: 'ASSET_MUST_NOT_BE_USED_BY_OTHER_ASSETS' });
    expect((await remove(group)).body.data.deleteAssets.deletedAssetIds).toEqual([group]);
    expect(await db.selectFrom('group_items').select('item_id').where('group_asset_id', '=', Number(group)).execute()).toEqual([]);
    expect((await remove(first)).body.data.deleteAssets.deletedAssetIds).toEqual([first]);
    expect(await db.selectFrom('video_associations').select('id').where('video_asset_id', '=', Number(first)).execute()).toEqual([]);
  });
});
