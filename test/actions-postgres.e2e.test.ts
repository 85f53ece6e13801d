import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from './helpers/accounts-platform.ts';
import { ADMIN_KEY, startActionsPlatform, type ActionsPlatform } from './helpers/actions-platform.ts';
import { startPostgres, type PostgresServer } from './helpers/postgres.ts';

describe('the actions subgraph and its worker on PostgreSQL', () => {
  let postgres: PostgresServer;
  let platform: ActionsPlatform;
  beforeAll(async () => {
    postgres = await startPostgres();
    platform = await startActionsPlatform({ DATABASE_URL: await postgres.createDatabase() });
  }, 90_000);
  afterAll(async () => {
    await platform?.stop();
    await postgres?.stop();
  });

  it('runs jobs, charges them, counts them in statistics and keeps ratings, with the same queries', async () => {
    const done = await platform.runJob(ADMIN_KEY, 'text-sentiment', { text: 'lovely' });
    expect(done).toMatchObject({ status: 'COMPLETED', response: { label: 'positive' }, billing_request_cost: 0.01 });
    const failed = await platform.runJob(ADMIN_KEY, 'image-metadata', { image: 'data:image/png;base64,AAAA' });
    expect(failed.status).toBe('FAILED');

    const stats = await platform.ok(
      ADMIN_KEY,
      'query ($p: String!) { get_project_job_statistics(project_id: $p) { total_jobs total_completed_jobs total_failed_jobs total_cost } list_jobs(project_id: $p, filter: "COMPLETED") { id total_count } }',
      { p: platform.projectId },
    );
    expect(stats.get_project_job_statistics).toEqual({
      total_jobs: '2',
      total_completed_jobs: '1',
      total_failed_jobs: '1',
      total_cost: 0.01,
    });
    expect(stats.list_jobs).toEqual([{ id: done.id, total_count: 1 }]);

    const popular = (await platform.ok(ADMIN_KEY, '{ list_actions(collection: POPULAR) { id success_rate average_cost } }')).list_actions;
    expect(popular).toEqual(
      expect.arrayContaining([
        { id: 'text-sentiment', success_rate: 1, average_cost: 0.01 },
        { id: 'image-metadata', success_rate: 0, average_cost: null },
      ]),
    );

    const token = await login(platform, 'owner@localhost');
    await platform.ok(token, 'mutation { add_action_rating(action_id: "qr-code", rating: 2) { id } }');
    const rated = (await platform.ok(token, 'mutation { add_action_rating(action_id: "qr-code", rating: 4) { rating } }'))
      .add_action_rating;
    expect(rated).toEqual({ rating: 4 });
    const action = (await platform.ok(token, '{ get_action(id: "qr-code") { rating_count rating_total rating_stats { rating count } } }'))
      .get_action;
    expect(action).toMatchObject({ rating_count: 1, rating_total: 4 });
    expect(action.rating_stats[3]).toEqual({ rating: 4, count: 1 });

    const spend = async () =>
      (await platform.ok(ADMIN_KEY, 'query ($id: String!) { get_project(id: $id) { current_spend } }', { id: platform.projectId }))
        .get_project.current_spend;
    let current = await spend();
    for (let tries = 0; tries < 200 && current !== 0.01; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      current = await spend();
    }
    expect(current).toBe(0.01);
  }, 60_000);
});
