/**
 * The media flows whose SQL differs most between databases (the search with LIKE ... ESCAPE, counts,
 * bigint sizes, the queue's claims, cascaded deletes), run on PostgreSQL through DATABASE_URL.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from './helpers/accounts-platform.ts';
import { startMediaPlatform, type MediaPlatform } from './helpers/media-platform.ts';
import { startPostgres, type PostgresServer } from './helpers/postgres.ts';

describe('media on PostgreSQL', () => {
  let postgres: PostgresServer;
  let platform: MediaPlatform;
  beforeAll(async () => {
    postgres = await startPostgres();
    platform = await startMediaPlatform({ DATABASE_URL: await postgres.createDatabase() });
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
    await postgres?.stop();
  });

  it('uploads, processes, searches, counts and deletes', async () => {
    const library = await platform.createLibrary('IMAGE');
    const png = await sharp({ create: { width: 12, height: 7, channels: 4, background: '#00000000' } })
      .png()
      .toBuffer();
    const { assetId } = await platform.upload(library, png, 'image/png', 'Sunset_1.png');
    await platform.upload(library, png, 'image/png', 'sunrise.png');
    const asset = await platform.settled(assetId);
    expect(asset).toMatchObject({ status: 'READY', size: png.length, width: 12, height: 7 });
    const tags = asset.asset_enhancements
      .find((row: any) => row.enhancement_id === 'image-tags')
      .image_tags.map((tag: { name: string }) => tag.name);
    expect(tags).toContain('transparent');

    const search = await platform.ok(
      ADMIN_KEY,
      'query ($lib: String!) { a: list_assets(library_id: $lib, search_keyword: "SUN") { name total_count } b: list_assets(library_id: $lib, search_keyword: "t_1") { name } get_library(id: $lib) { total_media_assets } }',
      { lib: library },
    );
    expect(search.a).toHaveLength(2);
    expect(search.a[0].total_count).toBe(2);
    expect(search.b).toEqual([{ name: 'Sunset_1.png' }]);
    expect(search.get_library.total_media_assets).toBe(2);

    await platform.ok(ADMIN_KEY, 'mutation ($id: String!) { delete_library(id: $id) }', { id: library });
    expect(platform.storedFiles().filter((file) => file.includes(library))).toEqual([]);
    const gone = await platform.as(ADMIN_KEY, 'query ($id: String!) { get_asset(id: $id) { id } }', { id: assetId });
    expect(gone.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
