/**
 * The accounts flows whose SQL differs most between databases (upserted codes, counted tries, RETURNING,
 * counts, batched last-use writes, the single-use claim of an upload URL), run on PostgreSQL through DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, latestCode, login, startAccountsPlatform, type AccountsPlatform } from './helpers/accounts-platform.ts';
import { startPostgres, type PostgresServer } from './helpers/postgres.ts';
import { POSTGRES } from './helpers/servers.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe.skipIf(POSTGRES.skip)(POSTGRES.title('accounts on PostgreSQL'), () => {
  let postgres: PostgresServer;
  let platform: AccountsPlatform;
  beforeAll(async () => {
    postgres = await startPostgres();
    platform = await startAccountsPlatform({ DATABASE_URL: await postgres.createDatabase() });
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
    await postgres?.stop();
  });

  it('logs in, counts wrong tries, and keeps the last ADMIN', async () => {
    const token = await login(platform, 'pg@example.com');
    const project = (await platform.ok(token, 'mutation { create_project(name: "On Postgres") { id } }')).create_project.id;
    const me = (await platform.ok(token, '{ get_me { id default_project_id } }')).get_me;
    expect(me.default_project_id).toBe(project);
    const demote = await platform.as(
      token,
      'mutation ($p: String!, $u: String!) { update_project_member(project_id: $p, user_id: $u, role: READONLY) { role } }',
      { p: project, u: me.id },
    );
    expect(demote.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'role' });

    const email = 'pg-guesser@example.com';
    await platform.query('mutation ($email: String!) { send_email_otp(email: $email) }', { email });
    const otp = Number(latestCode(platform, email));
    const LOGIN = 'query ($email: String!, $otp: Float!) { login_with_email_otp(email: $email, otp: $otp) }';
    for (let attempt = 0; attempt < 5; attempt++) await platform.query(LOGIN, { email, otp: otp === 999_999 ? 100_000 : otp + 1 });
    expect((await platform.query(LOGIN, { email, otp })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('creates, uses, changes and deletes a key', async () => {
    const key = (
      await platform.ok(ADMIN_KEY, 'mutation ($p: String!) { create_api_key(project_id: $p, name: "pg", role: READONLY) }', {
        p: platform.projectId,
      })
    ).create_api_key;
    expect((await platform.internal('/internal/authenticate/api-key', { key })).body.principal.roles).toEqual({
      [platform.projectId]: 'READONLY',
    });
    const listed = await platform.ok(
      ADMIN_KEY,
      'query ($p: String!) { list_api_keys(project_id: $p) { id name last_used_at } get_project(id: $p) { total_api_keys } }',
      { p: platform.projectId },
    );
    const row = listed.list_api_keys.find((k: any) => k.name === 'pg');
    expect(row.last_used_at).not.toBeNull();
    expect(listed.get_project.total_api_keys).toBe(2);
    await platform.ok(ADMIN_KEY, 'mutation ($id: String!) { update_api_key(id: $id, name: "pg2", role: DEVELOPER) { id } }', {
      id: row.id,
    });
    expect((await platform.internal('/internal/authenticate/api-key', { key })).body.principal.roles).toEqual({
      [platform.projectId]: 'DEVELOPER',
    });
    await platform.ok(ADMIN_KEY, 'mutation ($id: String!) { delete_api_key(id: $id) }', { id: row.id });
    expect((await platform.internal('/internal/authenticate/api-key', { key })).status).toBe(401);
  });

  it('takes a profile picture once: the second PUT of its URL is refused', async () => {
    const token = await login(platform, 'pg-picture@example.com');
    const url = new URL(
      (await platform.ok(token, 'mutation { create_profile_picture_upload(content_type: "image/png") }')).create_profile_picture_upload,
    );
    const put = () =>
      fetch(`${platform.accountsOrigin}${url.pathname}${url.search}`, {
        method: 'PUT',
        headers: { 'content-type': 'image/png' },
        body: new Uint8Array(PNG),
      });
    expect((await put()).status).toBe(200);
    expect((await put()).status).toBe(409);
    expect((await platform.ok(token, '{ get_me { picture } }')).get_me.picture).toContain(url.pathname);
  });
});
