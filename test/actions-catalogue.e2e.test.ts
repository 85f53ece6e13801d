import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from './helpers/accounts-platform.ts';
import { ADMIN_KEY, startActionsPlatform, type ActionsPlatform } from './helpers/actions-platform.ts';

const ACTION_FIELDS =
  'id name description category cost_unit cost_amount json_schema model trigger_word is_featured is_new is_popular is_trending is_highly_rated popular_score rating_count rating_total total_count deprecated category_details { id name }';
const RATING_FIELDS = 'id action_id user_id rating comment created_at updated_at action { id } user { id first_name last_name }';

describe('the catalogue, ratings and suggestions', () => {
  let platform: ActionsPlatform;
  let token: string;
  beforeAll(async () => {
    platform = await startActionsPlatform();
    token = await login(platform, 'owner@localhost');
    await platform.ok(token, 'mutation { update_user_profile(first_name: "Ada", last_name: "Lovelace") { id } }');
  }, 60_000);
  afterAll(() => platform?.stop());

  it('lists at least 15 actions in at least 5 categories, each with its JSON Schema and price', async () => {
    const { list_actions: actions } = await platform.ok(ADMIN_KEY, `{ list_actions(limit: 100) { ${ACTION_FIELDS} } }`);
    expect(actions.length).toBeGreaterThanOrEqual(15);
    expect(new Set(actions.map((action: any) => action.category)).size).toBeGreaterThanOrEqual(5);
    for (const action of actions) {
      expect(action.json_schema).toMatchObject({ type: 'object', additionalProperties: false });
      expect(action.cost_amount).toBeGreaterThan(0);
      expect(action.total_count).toBe(actions.length);
      expect(action.category_details.id).toBe(action.category);
    }
    const ids = actions.map((action: any) => action.id);
    for (const id of [
      'image-resize',
      'image-thumbnail',
      'image-convert',
      'image-metadata',
      'image-ocr',
      'image-moderation',
      'text-sentiment',
      'text-language',
      'qr-code',
      'email-verify',
      'pdf-from-text',
      'archive-zip',
      'file-hash',
    ]) {
      expect(ids).toContain(id);
    }
    const { list_action_categories: categories } = await platform.ok(
      ADMIN_KEY,
      '{ list_action_categories { id background_color stroke_color } }',
    );
    expect(categories.map((category: any) => category.id).sort()).toEqual(
      [...new Set(actions.map((action: any) => action.category))].sort(),
    );
  });

  it('filters by categories, search keyword and collection, and pages with total_count', async () => {
    const images = (await platform.ok(ADMIN_KEY, '{ list_actions(categories: ["image"], limit: 2) { id category total_count } }'))
      .list_actions;
    expect(images).toHaveLength(2);
    expect(images.every((action: any) => action.category === 'image' && action.total_count === 5)).toBe(true);
    const searched = (await platform.ok(ADMIN_KEY, '{ list_actions(search_keyword: "thumbnial") { id } }')).list_actions;
    expect(searched[0].id).toBe('image-thumbnail');
    const featured = (await platform.ok(ADMIN_KEY, '{ list_actions(collection: FEATURED) { id is_featured } }')).list_actions;
    expect(featured.length).toBeGreaterThan(0);
    expect(featured.every((action: any) => action.is_featured)).toBe(true);
    const bad = await platform.as(ADMIN_KEY, '{ list_actions(limit: 1000) { id } }');
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'limit' });
  });

  it('makes the actions with recent jobs POPULAR and TRENDING, with success rate and cost from those jobs', async () => {
    for (let n = 0; n < 3; n++) await platform.runJob(ADMIN_KEY, 'qr-code', { text: `code ${n}` });
    await platform.runJob(ADMIN_KEY, 'file-hash', { file: 'data:,hello' });
    const popular = (await platform.ok(ADMIN_KEY, '{ list_actions(collection: POPULAR) { id popular_score } }')).list_actions;
    expect(popular[0]).toEqual({ id: 'qr-code', popular_score: 3 });
    const trending = (await platform.ok(ADMIN_KEY, '{ list_actions(collection: TRENDING) { id } }')).list_actions.map(
      (action: any) => action.id,
    );
    expect(trending).toEqual(expect.arrayContaining(['qr-code', 'file-hash']));
    const action = (
      await platform.ok(
        ADMIN_KEY,
        '{ get_action(id: "qr-code") { success_rate average_cost average_duration total_job_statistics { total_jobs total_completed_jobs total_cost } project_job_statistics { total_jobs } jobs { id action_id } } }',
      )
    ).get_action;
    expect(action).toMatchObject({
      success_rate: 1,
      average_cost: 0.01,
      total_job_statistics: { total_jobs: '3', total_completed_jobs: '3', total_cost: 0.03 },
      project_job_statistics: { total_jobs: '3' },
    });
    expect(action.average_duration).toBeGreaterThanOrEqual(0);
    expect(action.jobs).toHaveLength(3);
  });

  it('ranks the catalogue for a prompt, typos tolerated, best first', async () => {
    const ask = async (prompt: string) =>
      (
        await platform.ok(ADMIN_KEY, 'query ($p: String!) { suggest_actions_for_prompt(prompt: $p) { id } }', { p: prompt })
      ).suggest_actions_for_prompt.map((action: any) => action.id);
    expect((await ask('resize my photo to 200 pixels wide'))[0]).toBe('image-resize');
    expect((await ask('what language is this text'))[0]).toBe('text-language');
    expect((await ask('make a qr cod for my website'))[0]).toBe('qr-code');
    expect((await ask('is this emial address real?'))[0]).toBe('email-verify');
    expect(await ask('zzzzqqqq')).toEqual([]);
  });

  it('keeps one rating per user and action, a second replacing the first, with the rater as a PublicUser', async () => {
    const ADD = `mutation ($a: String!, $r: Float!, $c: String) { add_action_rating(action_id: $a, rating: $r, comment: $c) { ${RATING_FIELDS} } }`;
    const first = (await platform.ok(token, ADD, { a: 'pdf-from-text', r: 5, c: 'Great' })).add_action_rating;
    expect(first).toMatchObject({
      action_id: 'pdf-from-text',
      rating: 5,
      comment: 'Great',
      action: { id: 'pdf-from-text' },
      user: { first_name: 'Ada', last_name: 'Lovelace' },
    });
    const second = (await platform.ok(token, ADD, { a: 'pdf-from-text', r: 3, c: null })).add_action_rating;
    expect(second).toMatchObject({ id: first.id, rating: 3, comment: null });

    const mine = await platform.ok(
      token,
      `query { get_user_action_rating(action_id: "pdf-from-text") { id rating } list_user_action_ratings { id } get_me { ratings { id rating } } }`,
    );
    expect(mine).toEqual({
      get_user_action_rating: { id: first.id, rating: 3 },
      list_user_action_ratings: [{ id: first.id }],
      get_me: { ratings: [{ id: first.id, rating: 3 }] },
    });

    const other = await login(platform, 'rater@example.com');
    await platform.ok(other, ADD, { a: 'pdf-from-text', r: 5 });
    const action = (
      await platform.ok(
        token,
        '{ get_action(id: "pdf-from-text") { rating_count rating_total rating_stats { rating count } user_rating { rating } ratings { rating user { id } } } }',
      )
    ).get_action;
    expect(action).toMatchObject({ rating_count: 2, rating_total: 8, user_rating: { rating: 3 } });
    expect(action.rating_stats).toEqual([1, 2, 3, 4, 5].map((rating) => ({ rating, count: rating === 3 || rating === 5 ? 1 : 0 })));
    expect(action.ratings).toHaveLength(2);

    const stolen = await platform.as(other, 'mutation ($id: String!) { delete_action_rating(id: $id) }', { id: first.id });
    expect(stolen.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(
      (await platform.ok(token, 'mutation ($id: String!) { delete_action_rating(id: $id) }', { id: first.id })).delete_action_rating,
    ).toBe(true);
    expect((await platform.ok(token, '{ get_user_action_rating(action_id: "pdf-from-text") { id } }')).get_user_action_rating).toBeNull();
  });

  it('marks an action with 3 ratings averaging 4 or more HIGHLY_RATED', async () => {
    const raters = await Promise.all(['a@example.com', 'b@example.com', 'c@example.com'].map((email) => login(platform, email)));
    for (const rater of raters) await platform.ok(rater, 'mutation { add_action_rating(action_id: "text-language", rating: 4) { id } }');
    const highly = (await platform.ok(ADMIN_KEY, '{ list_actions(collection: HIGHLY_RATED) { id is_highly_rated } }')).list_actions;
    expect(highly).toEqual([{ id: 'text-language', is_highly_rated: true }]);
  });

  it('refuses ratings from an API key, which has no user, and ratings out of 1..5', async () => {
    const byKey = await platform.as(ADMIN_KEY, 'mutation { add_action_rating(action_id: "qr-code", rating: 4) { id } }');
    expect(byKey.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(byKey.body.errors?.[0]?.message).toMatch(/API key has no user/);
    for (const rating of [0, 6, 2.5]) {
      const { body } = await platform.as(token, 'mutation ($r: Float!) { add_action_rating(action_id: "qr-code", rating: $r) { id } }', {
        r: rating,
      });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'rating' });
    }
    const unknown = await platform.as(token, 'mutation { add_action_rating(action_id: "nope", rating: 4) { id } }');
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
