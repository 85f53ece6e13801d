/**
 * For the asset structures tests: a Dalet platform with an editor (in EDITORS: every right on "To review")
 * and an outsider (PUBLIC only: View on "To review"), and `create`, which makes one asset of a kind through
 * its create mutation and answers its id.
 */
import { startDaletPlatform, type DaletPlatform } from './dalet-platform.ts';

export interface StructuresPlatform {
  platform: DaletPlatform;
  editor: { id: string; token: string };
  outsider: { id: string; token: string };
  /** "CATEGORIES/To review": the editor may change what is there, the outsider only View it. */
  toReview: string;
  /** The editor's private category: hidden from the outsider. */
  editorPrivate: string;
  /** `create<Kind>Assets` with one asset; `fields` beside assetName and categoryId (To review unless given). */
  create(token: string, kind: string, fields?: Record<string, unknown>): Promise<string>;
}

/** `subgraphEnv`: dalet's settings (DATABASE_URL for Postgres). */
export async function startStructuresPlatform(subgraphEnv: Record<string, string> = {}): Promise<StructuresPlatform> {
  const platform = await startDaletPlatform(subgraphEnv);
  const editor = await platform.newUser('editor');
  const outsider = await platform.newUser('outsider');
  await platform.ok(
    platform.adminToken,
    `mutation { addUsersToUserGroups(input: { users: { ids: [${editor.id}] }, userGroups: { names: ["EDITORS"] } }) { addedAssociations { users { id } } } }`,
  );
  const categories = await platform.ok(
    platform.adminToken,
    `{ categories(input: { where: { fullNames: ["CATEGORIES/To review"] } }) { categories { id } }
       users(input: { where: { ids: [${editor.id}] } }) { users { privateCategory { id } } } }`,
  );
  const toReview = categories.categories.categories[0].id as string;
  const editorPrivate = categories.users.users[0].privateCategory.id as string;
  let made = 0;
  const create = async (token: string, kind: string, fields: Record<string, unknown> = {}) => {
    made += 1;
    const input = { assetName: `${kind} ${made}`, ...(kind === 'TrackStack' ? {} : { categoryId: toReview }), ...fields };
    const data = await platform.ok(
      token,
      `mutation ($input: Create${kind}AssetsInput!) { create${kind}Assets(input: $input) { assets { id } } }`,
      { input: { assets: [input] } },
    );
    return data[`create${kind}Assets`].assets[0].id as string;
  };
  return { platform, editor, outsider, toReview, editorPrivate, create };
}
