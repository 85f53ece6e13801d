/**
 * API keys through the gateway: created (plaintext once, only a hash stored), used, masked, changed and
 * deleted with immediate effect (checked on accounts' internal route, as the gateway sees keys), every
 * escalation refused, other projects' keys out of reach, bad input changing nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, login, startAccountsPlatform, type AccountsPlatform } from './helpers/accounts-platform.ts';
import { postSigned, startSubgraph } from './helpers/platform.ts';

const CREATE = 'mutation ($p: String!, $name: String!, $role: Role) { create_api_key(project_id: $p, name: $name, role: $role) }';
const LIST = 'query ($p: String!) { list_api_keys(project_id: $p) { id name masked_key role last_used_at project_id project { id } } }';
const UPDATE =
  'mutation ($id: String!, $name: String!, $role: Role!) { update_api_key(id: $id, name: $name, role: $role) { id name role masked_key } }';
const DELETE = 'mutation ($id: String!) { delete_api_key(id: $id) }';

let platform: AccountsPlatform;
let projectId: string;
beforeAll(async () => {
  platform = await startAccountsPlatform();
  projectId = platform.projectId;
});
afterAll(() => platform?.stop());

async function createKey(credential: string, role: string | null, name = `key ${role}`, project = projectId): Promise<string> {
  return (await platform.ok(credential, CREATE, { p: project, name, role })).create_api_key;
}

async function keyRow(name: string) {
  return platform.subgraphs.accounts!.store.db.selectFrom('api_keys').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
}

function errorOf(response: { body: { errors?: { extensions?: Record<string, any> }[] } }) {
  return response.body.errors?.[0]?.extensions;
}

async function keyCount(): Promise<number> {
  const { n } = await platform.subgraphs
    .accounts!.store.db.selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

describe('API keys', () => {
  it('are shown in plain text once, stored as a hash, listed masked, and work at once', async () => {
    const key = await createKey(ADMIN_KEY, 'DEVELOPER', 'ci');
    expect(key).toMatch(/^cc_[\w-]{43}$/);
    const row = await keyRow('ci');
    expect(JSON.stringify(row)).not.toContain(key);

    const listed = (await platform.ok(ADMIN_KEY, LIST, { p: projectId })).list_api_keys.find((k: any) => k.name === 'ci');
    expect(listed).toMatchObject({ role: 'DEVELOPER', project_id: projectId, project: { id: projectId }, last_used_at: null });
    expect(listed.masked_key).toBe(`${key.slice(0, 6)}...${key.slice(-4)}`);
    expect(JSON.stringify(await platform.ok(ADMIN_KEY, LIST, { p: projectId }))).not.toContain(key);

    expect(await platform.ok(key, '{ is_valid_api_key }')).toEqual({ is_valid_api_key: true });
    const used = (await platform.ok(key, LIST, { p: projectId })).list_api_keys.find((k: any) => k.name === 'ci');
    expect(Date.parse(used.last_used_at)).toBeGreaterThan(Date.parse(row.created_at) - 1);
    const project = await platform.ok(
      key,
      'query ($id: String!) { get_project(id: $id) { total_api_keys list_recently_used_api_keys { name } } }',
      { id: projectId },
    );
    expect(project.get_project.total_api_keys).toBe(await keyCount());
    expect(project.get_project.list_recently_used_api_keys.map((k: any) => k.name)).toContain('ci');
  });

  it('defaults to the DEVELOPER role when none is given', async () => {
    await createKey(ADMIN_KEY, null, 'no role given');
    expect((await keyRow('no role given')).role).toBe('DEVELOPER');
  });

  it('take a new name and role at once (update), and stop working at once (delete)', async () => {
    const key = await createKey(ADMIN_KEY, 'DEVELOPER', 'to rotate');
    const { id } = await keyRow('to rotate');
    const updated = await platform.ok(ADMIN_KEY, UPDATE, { id, name: 'rotated', role: 'READONLY' });
    expect(updated.update_api_key).toMatchObject({ id, name: 'rotated', role: 'READONLY' });
    const seen = await platform.internal('/internal/authenticate/api-key', { key });
    expect(seen.body.principal).toMatchObject({ kind: 'apiKey', keyId: id, roles: { [projectId]: 'READONLY' } });
    expect(errorOf(await platform.as(key, LIST, { p: projectId }))?.code).toBe('FORBIDDEN');

    expect(await platform.ok(ADMIN_KEY, DELETE, { id })).toEqual({ delete_api_key: true });
    expect((await platform.internal('/internal/authenticate/api-key', { key })).status).toBe(401);
    expect((await platform.ok(ADMIN_KEY, LIST, { p: projectId })).list_api_keys.map((k: any) => k.id)).not.toContain(id);
  });

  it('is_valid_api_key is false for a logged-in user, who is no API key', async () => {
    const token = await login(platform, 'keyless@example.com');
    expect(await platform.ok(token, '{ is_valid_api_key }')).toEqual({ is_valid_api_key: false });
  });
});

describe('no caller grants a role above their own', () => {
  let developerKey: string;
  let adminKeyId: string;
  beforeAll(async () => {
    developerKey = await createKey(ADMIN_KEY, 'DEVELOPER', 'developer');
    adminKeyId = (await keyRow('Bootstrap admin key')).id;
  });

  it('a DEVELOPER key cannot create an ADMIN or a FINANCE key, but can create a DEVELOPER or READONLY one', async () => {
    const before = await keyCount();
    for (const role of ['ADMIN', 'FINANCE']) {
      const refused = await platform.as(developerKey, CREATE, { p: projectId, name: `escalate ${role}`, role });
      expect(errorOf(refused)).toMatchObject({ code: 'FORBIDDEN', argumentName: 'role' });
      expect(refused.body.data).toBeNull();
    }
    expect(await keyCount()).toBe(before);
    await createKey(developerKey, 'READONLY', 'dev made readonly');
    await createKey(developerKey, 'DEVELOPER', 'dev made developer');
    expect(await keyCount()).toBe(before + 2);
  });

  it('a DEVELOPER key cannot promote a key (itself included) to ADMIN, nor rename, demote or delete an ADMIN key', async () => {
    const own = await keyRow('developer');
    expect(errorOf(await platform.as(developerKey, UPDATE, { id: own.id, name: 'developer', role: 'ADMIN' }))).toMatchObject({
      code: 'FORBIDDEN',
      argumentName: 'role',
    });
    expect(errorOf(await platform.as(developerKey, UPDATE, { id: adminKeyId, name: 'pwned', role: 'READONLY' }))).toMatchObject({
      code: 'FORBIDDEN',
      argumentName: 'id',
    });
    expect(errorOf(await platform.as(developerKey, DELETE, { id: adminKeyId }))).toMatchObject({ code: 'FORBIDDEN', argumentName: 'id' });
    expect(await keyRow('Bootstrap admin key')).toMatchObject({ role: 'ADMIN' });
    expect((await keyRow('developer')).role).toBe('DEVELOPER');
  });

  it('a DEVELOPER key cannot add, promote or remove members', async () => {
    const add = await platform.as(
      developerKey,
      'mutation ($p: String!) { add_project_member(project_id: $p, email: "x@example.com", role: READONLY) { id } }',
      { p: projectId },
    );
    expect(errorOf(add)?.code).toBe('FORBIDDEN');
    const owner = await platform.subgraphs
      .accounts!.store.db.selectFrom('users')
      .select('id')
      .where('email', '=', 'owner@localhost')
      .executeTakeFirstOrThrow();
    const promote = await platform.as(
      developerKey,
      'mutation ($p: String!, $u: String!) { update_project_member(project_id: $p, user_id: $u, role: DEVELOPER) { id } }',
      { p: projectId, u: owner.id },
    );
    expect(errorOf(promote)?.code).toBe('FORBIDDEN');
    const remove = await platform.as(
      developerKey,
      'mutation ($p: String!, $u: String!) { remove_project_member(project_id: $p, user_id: $u) }',
      { p: projectId, u: owner.id },
    );
    expect(errorOf(remove)?.code).toBe('FORBIDDEN');
  });

  it('READONLY and FINANCE keys cannot create, see, change or delete keys', async () => {
    const own = await keyRow('developer');
    for (const role of ['READONLY', 'FINANCE']) {
      const key = await createKey(ADMIN_KEY, role, `${role} key`);
      expect(errorOf(await platform.as(key, CREATE, { p: projectId, name: 'mine', role: 'READONLY' }))?.code).toBe('FORBIDDEN');
      expect(errorOf(await platform.as(key, LIST, { p: projectId }))?.code).toBe('FORBIDDEN');
      expect(errorOf(await platform.as(key, UPDATE, { id: own.id, name: 'x', role: 'READONLY' }))?.code).toBe('FORBIDDEN');
      expect(errorOf(await platform.as(key, DELETE, { id: own.id }))?.code).toBe('FORBIDDEN');
      const project = await platform.ok(
        key,
        'query ($id: String!) { get_project(id: $id) { my_role total_api_keys list_recently_used_api_keys { id } } }',
        { id: projectId },
      );
      expect(project.get_project).toEqual({ my_role: role, total_api_keys: null, list_recently_used_api_keys: [] });
    }
    expect((await keyRow('developer')).name).toBe('developer');
  });
});

describe("another project's keys", () => {
  it('are NOT_FOUND: not listed, changed nor deleted, and the project itself is not shown', async () => {
    const token = await login(platform, 'outsider@example.com');
    const other = (await platform.ok(token, 'mutation { create_project(name: "Elsewhere") { id } }')).create_project.id;
    const outsiderKey = await createKey(token, 'ADMIN', 'outsider admin', other);
    const victim = await keyRow('Bootstrap admin key');

    for (const credential of [outsiderKey, token]) {
      expect(errorOf(await platform.as(credential, LIST, { p: projectId }))).toMatchObject({
        code: 'NOT_FOUND',
        argumentName: 'project_id',
      });
      expect(errorOf(await platform.as(credential, UPDATE, { id: victim.id, name: 'x', role: 'READONLY' }))).toMatchObject({
        code: 'NOT_FOUND',
        argumentName: 'id',
      });
      expect(errorOf(await platform.as(credential, DELETE, { id: victim.id }))).toMatchObject({ code: 'NOT_FOUND', argumentName: 'id' });
      expect(errorOf(await platform.as(credential, CREATE, { p: projectId, name: 'sneaky', role: 'READONLY' }))).toMatchObject({
        code: 'NOT_FOUND',
      });
      const project = await platform.as(credential, 'query ($id: String!) { get_project(id: $id) { id name } }', { id: projectId });
      expect(errorOf(project)?.code).toBe('NOT_FOUND');
      expect(JSON.stringify(project.body)).not.toContain('Default project');
    }
    expect(await keyRow('Bootstrap admin key')).toEqual(victim);
  });
});

describe('bad input', () => {
  it('answers BAD_USER_INPUT or NOT_FOUND naming the argument, and creates or changes nothing', async () => {
    const before = await keyCount();
    const target = await keyRow('ci');
    expect(errorOf(await platform.as(ADMIN_KEY, CREATE, { p: projectId, name: '   ', role: 'READONLY' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'name',
    });
    expect(errorOf(await platform.as(ADMIN_KEY, CREATE, { p: projectId, name: 'x'.repeat(201), role: 'READONLY' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'name',
    });
    expect(errorOf(await platform.as(ADMIN_KEY, CREATE, { p: 'no-such-project', name: 'x', role: 'READONLY' }))).toMatchObject({
      code: 'NOT_FOUND',
      argumentName: 'project_id',
    });
    const unknownRole = await platform.as(ADMIN_KEY, CREATE, { p: projectId, name: 'x', role: 'SUPERUSER' });
    expect(unknownRole.body.errors?.[0]?.message).toMatch(/SUPERUSER/);
    expect(unknownRole.body.data).toBeUndefined();
    expect(errorOf(await platform.as(ADMIN_KEY, UPDATE, { id: 'no-such-key', name: 'x', role: 'READONLY' }))).toMatchObject({
      code: 'NOT_FOUND',
      argumentName: 'id',
    });
    expect(errorOf(await platform.as(ADMIN_KEY, UPDATE, { id: target.id, name: '', role: 'READONLY' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'name',
    });
    expect(errorOf(await platform.as(ADMIN_KEY, DELETE, { id: 'no-such-key' }))).toMatchObject({ code: 'NOT_FOUND', argumentName: 'id' });
    expect(await keyCount()).toBe(before);
    expect(await keyRow('ci')).toEqual(target);
  });

  it('anonymous callers are UNAUTHENTICATED', async () => {
    expect(errorOf(await platform.query(CREATE, { p: projectId, name: 'x', role: 'READONLY' }))?.code).toBe('UNAUTHENTICATED');
    expect(errorOf(await platform.query('{ is_valid_api_key }'))?.code).toBe('UNAUTHENTICATED');
  });
});

describe('last use of a key', () => {
  it('is kept in memory between batches and written to the database when the service stops', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'accounts-last-used-'));
    try {
      const env = { BOOTSTRAP_ADMIN_KEY: ADMIN_KEY };
      const first = await startSubgraph('accounts', dataDir, env);
      const response = await postSigned(`${new URL(first.url).origin}/internal/authenticate/api-key`, 'accounts', { key: ADMIN_KEY });
      expect(response.status).toBe(200);
      const unwritten = await first.service.store.db.selectFrom('api_keys').select('last_used_at').executeTakeFirstOrThrow();
      expect(unwritten.last_used_at).toBeNull();
      await first.service.stop();

      const second = await startSubgraph('accounts', dataDir, env);
      const written = await second.service.store.db.selectFrom('api_keys').select('last_used_at').executeTakeFirstOrThrow();
      expect(written.last_used_at).not.toBeNull();
      await second.service.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
