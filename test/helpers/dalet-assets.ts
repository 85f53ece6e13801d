/**
 * Assets for the Dalet tests of other sections (media, subscriptions): a video asset made by the
 * administrator through the gateway with `createVideoAssets`, in the category of the given full name.
 */
import type { DaletPlatform } from './dalet-platform.ts';

export async function createTestAsset(platform: DaletPlatform, name: string, categoryFullName: string): Promise<string> {
  const found = await platform.ok(
    platform.adminToken,
    'query ($fullNames: [String]) { categories(input: { where: { fullNames: $fullNames } }) { categories { id } } }',
    { fullNames: [categoryFullName] },
  );
  const categoryId = found.categories.categories[0].id;
  const made = await platform.ok(
    platform.adminToken,
    'mutation ($name: String!, $categoryId: ID!) { createVideoAssets(input: { assets: { assetName: $name, categoryId: $categoryId } }) { assets { id } } }',
    { name, categoryId },
  );
  return made.createVideoAssets.assets[0].id;
}
