import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, JOB_FIELDS, startActionsPlatform, type ActionsPlatform } from './helpers/actions-platform.ts';
import { login } from './helpers/accounts-platform.ts';

const GET_JOB = `query ($id: String!) { get_job(id: $id) { ${JOB_FIELDS} action { id name } } }`;
const RUN =
  'mutation ($a: String!, $p: JSON, $project: String) { run_job(action_id: $a, payload: $p, project_id: $project) { id status } }';

describe('jobs through the gateway', () => {
  let platform: ActionsPlatform;
  beforeAll(async () => (platform = await startActionsPlatform()), 60_000);
  afterAll(() => platform?.stop());

  const jobCount = async () => (await platform.subgraphs.actions!.store.db.selectFrom('jobs').select('id').execute()).length;

  it('runs text-sentiment and waits for the result', async () => {
    const job = await platform.runJob(
      ADMIN_KEY,
      'text-sentiment',
      { text: 'I love this wonderful, excellent product' },
      { projectId: platform.projectId },
    );
    expect(job).toMatchObject({
      action_id: 'text-sentiment',
      project_id: platform.projectId,
      status: 'COMPLETED',
      error_message: null,
      billing_request_quantity: 1,
      billing_request_cost: 0.01,
    });
    expect(job.response.label).toBe('positive');
    expect(job.response.score).toBeGreaterThan(0);
    expect(Date.parse(job.finished_at)).toBeGreaterThanOrEqual(Date.parse(job.started_at));
    expect(job.request).toEqual({ text: 'I love this wonderful, excellent product' });
  });

  it('without wait_for_result answers QUEUED at once; the job completes in the background', async () => {
    const job = await platform.runJob(ADMIN_KEY, 'text-sentiment', { text: 'This is terrible and awful' }, { wait: false });
    expect(job.status).toBe('QUEUED');
    expect(job.response).toBeNull();
    let current = job;
    for (let tries = 0; tries < 200 && current.status !== 'COMPLETED'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      current = (await platform.ok(ADMIN_KEY, GET_JOB, { id: job.id })).get_job;
    }
    expect(current).toMatchObject({
      status: 'COMPLETED',
      response: { label: 'negative' },
      action: { id: 'text-sentiment', name: 'Text sentiment' },
    });
  });

  it('refuses a bad payload naming its JSON path, and creates no job', async () => {
    const before = await jobCount();
    const cases = [
      [{ text: 42 }, '$.text'],
      [{}, '$.text'],
      [{ text: 'fine', extra: true }, '$.extra'],
    ] as const;
    for (const [payload, path] of cases) {
      const { body } = await platform.as(ADMIN_KEY, RUN, { a: 'text-sentiment', p: payload });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'payload', jsonPath: path });
      expect(body.errors?.[0]?.message).toContain(path);
    }
    const nested = await platform.as(ADMIN_KEY, RUN, { a: 'archive-zip', p: { files: [{ name: '../escape', text: 'x' }] } });
    expect(nested.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', jsonPath: '$.files[0].name' });
    const unknown = await platform.as(ADMIN_KEY, RUN, { a: 'no-such-action', p: {} });
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'action_id' });
    expect(await jobCount()).toBe(before);
  });

  it("takes the API key's project when project_id is left out, and requires it from a user", async () => {
    const job = await platform.runJob(ADMIN_KEY, 'text-statistics', { text: 'One two three. Four five.' });
    expect(job).toMatchObject({ project_id: platform.projectId, status: 'COMPLETED', response: { words: 5, sentences: 2 } });
    const token = await login(platform, 'owner@localhost');
    const { body } = await platform.as(token, RUN, { a: 'text-statistics', p: { text: 'x' } });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'project_id' });
    const withProject = await platform.as(token, RUN, { a: 'text-statistics', p: { text: 'x' }, project: platform.projectId });
    expect(withProject.body.data.run_job.status).toBe('QUEUED');
  });

  it('lets roles that may create jobs run them, and every role view them', async () => {
    const job = await platform.runJob(ADMIN_KEY, 'text-sentiment', { text: 'ok' });
    for (const role of ['DEVELOPER'] as const) {
      const key = await platform.keyWithRole(role);
      expect((await platform.runJob(key, 'text-sentiment', { text: 'good' })).status).toBe('COMPLETED');
    }
    for (const role of ['READONLY', 'FINANCE'] as const) {
      const key = await platform.keyWithRole(role);
      const before = await jobCount();
      const { body } = await platform.as(key, RUN, { a: 'text-sentiment', p: { text: 'nope' } });
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await jobCount()).toBe(before);
      expect((await platform.ok(key, GET_JOB, { id: job.id })).get_job.id).toBe(job.id);
    }
  });

  it("keeps projects apart: another project's job is NOT_FOUND, its list and statistics too", async () => {
    const job = await platform.runJob(ADMIN_KEY, 'text-sentiment', { text: 'mine' });
    const stranger = await login(platform, 'stranger@example.com');
    const project = (await platform.ok(stranger, 'mutation { create_project(name: "Theirs") { id } }')).create_project.id;
    const theirKey = (
      await platform.ok(stranger, 'mutation ($p: String!) { create_api_key(project_id: $p, name: "k", role: DEVELOPER) }', { p: project })
    ).create_api_key;

    const read = await platform.as(theirKey, GET_JOB, { id: job.id });
    expect(read.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'id' });
    const missing = await platform.as(theirKey, GET_JOB, { id: 'no-such-job' });
    expect(missing.body.errors?.[0]?.message).toBe(read.body.errors?.[0]?.message);
    const list = await platform.as(theirKey, 'query ($p: String!) { list_jobs(project_id: $p) { id } }', { p: platform.projectId });
    expect(list.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const run = await platform.as(theirKey, RUN, { a: 'text-sentiment', p: { text: 'x' }, project: platform.projectId });
    expect(run.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const stats = await platform.as(theirKey, 'query ($p: String!) { get_project_job_statistics(project_id: $p) { total_jobs } }', {
      p: platform.projectId,
    });
    expect(stats.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const own = await platform.runJob(theirKey, 'text-sentiment', { text: 'theirs' });
    const theirList = (await platform.ok(theirKey, 'query ($p: String!) { list_jobs(project_id: $p) { id total_count } }', { p: project }))
      .list_jobs;
    expect(theirList).toEqual([{ id: own.id, total_count: 1 }]);
  });

  it('lists jobs newest first, filtered by status or action, with total_count, and counts them in statistics', async () => {
    const failed = await platform.runJob(ADMIN_KEY, 'image-metadata', { image: 'data:image/png;base64,bm90IGFuIGltYWdl' });
    expect(failed.status).toBe('FAILED');
    expect(failed.error_message).toMatch(/unsupported image format|Input buffer/i);
    expect(failed.billing_request_cost).toBeNull();

    const list = (
      await platform.ok(ADMIN_KEY, 'query ($p: String!) { list_jobs(project_id: $p, filter: "FAILED") { id status total_count } }', {
        p: platform.projectId,
      })
    ).list_jobs;
    expect(list).toEqual([{ id: failed.id, status: 'FAILED', total_count: 1 }]);
    const byAction = (
      await platform.ok(ADMIN_KEY, 'query ($p: String!) { list_jobs(project_id: $p, filter: "image-metadata", limit: 1) { id } }', {
        p: platform.projectId,
      })
    ).list_jobs;
    expect(byAction).toEqual([{ id: failed.id }]);
    const all = (
      await platform.ok(ADMIN_KEY, 'query ($p: String!) { list_jobs(project_id: $p, limit: 100) { id created_at total_count } }', {
        p: platform.projectId,
      })
    ).list_jobs;
    expect(all[0].id).toBe(failed.id);
    expect(all.map((job: any) => job.created_at)).toEqual([...all.map((job: any) => job.created_at)].sort().reverse());

    const stats = (
      await platform.ok(
        ADMIN_KEY,
        'query ($p: String!) { get_project_job_statistics(project_id: $p) { total_jobs total_completed_jobs total_failed_jobs total_cost average_cost } }',
        { p: platform.projectId },
      )
    ).get_project_job_statistics;
    expect(Number(stats.total_failed_jobs)).toBe(1);
    expect(Number(stats.total_jobs)).toBe(all[0].total_count);
    expect(Number(stats.total_completed_jobs)).toBeGreaterThanOrEqual(5);
    expect(stats.total_cost).toBeCloseTo(Number(stats.total_completed_jobs) * 0.01, 5);
  });
});
