/**
 * The doc's Assets examples other than the creates (the `assets` query, the `Category.assets` and
 * `AssetIfc.categories` subqueries, copyAsset, updateAssets, the links, deleteAssets) run as printed, each id
 * of the doc replaced by the id of what the test created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';

let platform: DaletPlatform;
const ids: Record<string, string> = {};
const ok = (query: string) => platform.ok(platform.adminToken, query);
const run = (example: string) => ok(example.replace(/\b\d+\b/g, (id) => ids[id] ?? id));

async function newCategory(name: string, parentId = '1'): Promise<string> {
  return (await ok(`mutation { createCategory(input: { name: "${name}", parentCategoryId: ${parentId} }) { category { id } } }`))
    .createCategory.category.id;
}

async function newAsset(mutation: string, name: string, categoryId: string, metadata = '', extra = ''): Promise<string> {
  const made = await ok(
    `mutation { ${mutation}(input: { assets: { assetName: "${name}", categoryId: ${categoryId} ${extra} ${metadata && `, metadata: [${metadata}]`} } }) { assets { id } } }`,
  );
  return made[mutation].assets[0].id;
}

const idsOf = (assets: { id: string }[]) => assets.map((asset) => asset.id).sort((a, b) => Number(a) - Number(b));

let toReview: string;
beforeAll(async () => {
  platform = await startDaletPlatform();
  toReview = (await ok('{ categories(input: { where: { fullNames: ["CATEGORIES/To review"] } }) { categories { id } } }')).categories
    .categories[0].id;
  ids[67] = await newCategory('Sixty seven');
  ids[23] = (
    await ok('{ categories(input: { where: { fullNames: ["CATEGORIES/Rundowns"] } }) { categories { id } } }')
  ).categories.categories[0].id;
  for (const docId of [17392, 354890, 2058, 356887, 2004]) ids[docId] = await newAsset('createVideoAssets', `Asset ${docId}`, toReview);
}, 60_000);
afterAll(async () => platform?.stop());

const ASSETS_QUERY = `query {
  assets(
    input: {
      where: {
        assetTypesWith: { mediaTypes: [VIDEO] }
        metadataSearchMode: ALL_MATCH
        metadata: [
          { field: { name: "Item Code" }, value: "Ready" }
          { field: { name: "Title Duration" }, value: "P0:50:0.000S PAL" }
        ]
      }
    }
  ) {
    assets {
      id
      name
    }
  }
}`;

const CATEGORY_ASSETS = `query {
  categories(input: { where: { ids: [67] } }) {
    categories {
      assets(input: { where: { assetTypesWith: { mediaTypes: [VIDEO] } } }) {
        assets {
          id
          name
        }
      }
    }
  }
}`;

const ASSET_CATEGORIES = `query {
  assets(input: { where: { assetTypesWith: { mediaTypes: [AUDIO] } } }) {
    assets {
      categories {
        categories {
          id
          name
} } } } }`;

const COPY_ASSET = `mutation {
  metadata: copyAsset( input: {
      copyTypes: INHERITABLE_METADATA 
      sourceAssetId: 17392, targetAssetId: 354890
    } ) { 
    updatedAsset {
      id
  } }

  locators: copyAsset( input: {
      copyTypes: INHERITABLE_LOCATORS
      sourceAssetId: 2058, targetAssetId: 356887
    } ) { 
    updatedAsset {
      id
  } }

  genealogy: copyAsset( input: {
      copyTypes: GENEALOGY
      sourceAssetId: 354870, targetAssetId: 356830
    } ) { 
    updatedAsset {
      id
} } }`;

const DELETE_ASSETS = `mutation {
  deleteAssets(
    input: {
      assetsWith: {
        categoriesWith: { ids: [67] }
        assetTypesWith: { mediaTypes: [VIDEO] }
      }
      purgeMedia: true
    } ) {
    deletedAssetIds
  }
}`;

const LINK_ASSETS = `mutation {
  linkAssetsToCategories(
    input: { assetsWith: { ids: [17392] }, 
    linkedCategoriesWith: { ids: [67] } }
  ) {
    assets {
      id
      name
    }
  }
}`;

const LINK_RUNNING_ORDER = `mutation {
  linkAssetToRunningOrderCategory(input: { assetId: 2004, categoryId: 23 }) {
    asset {
      id
      name
    }
  }
}`;

const REMOVE_LINKS = `mutation {
    removeLinksFromCategories(input: {
        assetsWith: {
            assetTypesWith: { names: [ "Video" ] },
            metadata: { field: { tagName: "TitleStatus" }, value: [ "4" ] },
            categoriesWith: {fullNames: [ "CATEGORIES/Incoming/VendorA", "CATEGORIES/Incoming/VendorB" ]} },
        linkedCategoriesWith: { fullNames: [ "CATEGORIES/To review" ] } } ) {
        assets {
            id
        }
    }
}`;

const UPDATE_ASSETS = `mutation {
  updateAssets(
    input: {
      assets: { id: 17392, assetStatus: { status: { name: "Archive" } } }
    } ) {
    assets {
      id
      name
      status {
        name
      }
    }
  }
}`;

describe('the Assets examples', () => {
  it('assets: video assets with both metadata values (ALL_MATCH)', async () => {
    const both = '{ field: { name: "Item Code" }, value: "Ready" }, { field: { name: "Title Duration" }, value: "PT50M" }';
    const wanted = await newAsset('createVideoAssets', 'Ready and fifty minutes', toReview, both);
    await newAsset('createVideoAssets', 'Ready only', toReview, '{ field: { name: "Item Code" }, value: "Ready" }');
    await newAsset('createAudioAssets', 'Audio with both', toReview, both);
    expect((await run(ASSETS_QUERY)).assets.assets).toEqual([{ id: wanted, name: 'Ready and fifty minutes' }]);
  });

  it('Category.assets: the video assets in the category, primary or linked', async () => {
    const primary = await newAsset('createVideoAssets', 'In 67', ids[67]!);
    await newAsset('createAudioAssets', 'Audio in 67', ids[67]!);
    const linked = await newAsset('createVideoAssets', 'Linked to 67', toReview);
    await ok(
      `mutation { linkAssetsToCategories(input: { assetsWith: { ids: [${linked}] }, linkedCategoriesWith: { ids: [${ids[67]}] } }) { assets { id } } }`,
    );
    const { categories } = await run(CATEGORY_ASSETS);
    expect(idsOf(categories.categories[0].assets.assets)).toEqual(idsOf([{ id: primary }, { id: linked }]));
  });

  it('AssetIfc.categories: the categories of audio assets', async () => {
    const elsewhere = await newCategory('Audio links');
    const audio = await newAsset('createAudioAssets', 'Linked audio', elsewhere);
    await ok(
      `mutation { linkAssetsToCategories(input: { assetsWith: { ids: [${audio}] }, linkedCategoriesWith: { ids: [${toReview}] } }) { assets { id } } }`,
    );
    const { assets } = await run(ASSET_CATEGORIES);
    expect(assets.assets).toContainEqual({
      categories: {
        categories: [
          { id: toReview, name: 'To review' },
          { id: elsewhere, name: 'Audio links' },
        ].sort((a, b) => Number(a.id) - Number(b.id)),
      },
    });
  });

  it('copyAsset: metadata, locators and genealogy, three copies in one request', async () => {
    await ok(`mutation { updateObjectsMetadata(input: { actionType: SET, objectsMetadata: { objectId: ${ids[17392]}, objectType: ASSET,
      metadata: { field: { name: "Genre" }, value: "News" } } }) { updatedObjects { id } } }`);
    await ok(
      `mutation { createLocators(input: { assetLocators: { assetId: ${ids[2058]}, locators: { typeName: "Segment", timecodeIn: "00:00:01.000 PAL", timecodeOut: "00:00:02.000 PAL" } } }) { locators { id } } }`,
    );
    const grandParent = await newAsset('createVideoAssets', 'Origin', toReview);
    ids[354870] = await newAsset(
      'createClipAssets',
      'Cut of origin',
      toReview,
      '',
      `, parentAssetId: ${grandParent}, tcIn: "00:00", tcOut: "00:10"`,
    );
    ids[356830] = await newAsset(
      'createClipAssets',
      'Cut of other',
      toReview,
      '',
      `, parentAssetId: ${ids[2004]}, tcIn: "00:00", tcOut: "00:10"`,
    );
    const copied = await run(COPY_ASSET);
    expect(copied).toEqual({
      metadata: { updatedAsset: { id: ids[354890] } },
      locators: { updatedAsset: { id: ids[356887] } },
      genealogy: { updatedAsset: { id: ids[356830] } },
    });
    const read = await ok(`{ assets(input: { where: { ids: [${ids[354890]}, ${ids[356887]}, ${ids[356830]}] } }) { assets { id
      metadata { metadata { field { name } } } locators { totalCount } ... on ClipAsset { parentAsset { id } } } } }`);
    expect(read.assets.assets).toEqual([
      { id: ids[354890], metadata: { metadata: [{ field: { name: 'Genre' } }] }, locators: { totalCount: 0 } },
      { id: ids[356887], metadata: { metadata: [] }, locators: { totalCount: 1 } },
      { id: ids[356830], metadata: { metadata: [] }, locators: { totalCount: 0 }, parentAsset: { id: grandParent } },
    ]);
  });

  it('updateAssets: the status by its name', async () => {
    expect((await run(UPDATE_ASSETS)).updateAssets.assets).toEqual([{ id: ids[17392], name: 'Asset 17392', status: { name: 'Archive' } }]);
  });

  it('linkAssetsToCategories and linkAssetToRunningOrderCategory', async () => {
    expect((await run(LINK_ASSETS)).linkAssetsToCategories.assets).toEqual([{ id: ids[17392], name: 'Asset 17392' }]);
    expect((await run(LINK_RUNNING_ORDER)).linkAssetToRunningOrderCategory.asset).toEqual({ id: ids[2004], name: 'Asset 2004' });
  });

  it('removeLinksFromCategories: To review links of the approved videos of two vendors', async () => {
    const incoming = await newCategory('Incoming');
    const vendors = [await newCategory('VendorA', incoming), await newCategory('VendorB', incoming)];
    const status = (value: string) => `{ field: { tagName: "TitleStatus" }, value: ["${value}"] }`;
    const approved = [
      await newAsset('createVideoAssets', 'A approved', vendors[0]!, status('4')),
      await newAsset('createVideoAssets', 'B approved', vendors[1]!, status('4')),
    ];
    const pending = await newAsset('createVideoAssets', 'A pending', vendors[0]!, status('3'));
    await ok(
      `mutation { linkAssetsToCategories(input: { assetsWith: { ids: [${[...approved, pending]}] }, linkedCategoriesWith: { ids: [${toReview}] } }) { assets { id } } }`,
    );
    expect(idsOf((await run(REMOVE_LINKS)).removeLinksFromCategories.assets)).toEqual(idsOf(approved.map((id) => ({ id }))));
    const left = await ok(
      `{ categories(input: { where: { ids: [${toReview}] } }) { categories { assets(input: { where: { ids: [${[...approved, pending]}] } }) { assets { id } } } } }`,
    );
    expect(left.categories.categories[0].assets.assets).toEqual([{ id: pending }]);
  });

  it('deleteAssets: the video assets of category 67', async () => {
    const video = await newAsset('createVideoAssets', 'Deleted', ids[67]!);
    const { deleteAssets } = await run(DELETE_ASSETS);
    expect(deleteAssets.deletedAssetIds).toContain(video);
    const left = await ok(`{ assets(input: { where: { categoriesWith: { ids: [${ids[67]}] } } }) { assets { __typename } } }`);
    expect(left.assets.assets.every((asset: { __typename: string }) => asset.__typename !== 'VideoAsset')).toBe(true);
  });
});
