/**
 * Projects and members through the gateway: adding by email, changing roles, the last ADMIN protected,
 * the Permissions table as list_role_permissions, what one user may see of another, and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../subgraphs/kit/permissions.ts';
import { ADMIN_KEY, login, startAccountsPlatform, type AccountsPlatform } from './helpers/accounts-platform.ts';

const ADD =
  'mutation ($p: String!, $email: String!, $role: Role!) { add_project_member(project_id: $p, email: $email, role: $role) { id user_id project_id role user { email } project { id } } }';
const UPDATE =
  'mutation ($p: String!, $u: String!, $role: Role!) { update_project_member(project_id: $p, user_id: $u, role: $role) { user_id role } }';
const REMOVE = 'mutation ($p: String!, $u: String!) { remove_project_member(project_id: $p, user_id: $u) }';
const MEMBERS = 'query ($p: String!) { list_project_members(project_id: $p) { user_id role } }';

let platform: AccountsPlatform;
let token: string;
let projectId: string;
let ownerId: string;
beforeAll(async () => {
  platform = await startAccountsPlatform();
  token = await login(platform, 'founder@example.com');
  projectId = (await platform.ok(token, 'mutation { create_project(name: "Team", description: "Our work") { id } }')).create_project.id;
  ownerId = (await platform.ok(token, '{ get_me { id } }')).get_me.id;
});
afterAll(() => platform?.stop());

function errorOf(response: { body: { errors?: { extensions?: Record<string, any> }[] } }) {
  return response.body.errors?.[0]?.extensions;
}

async function members(): Promise<{ user_id: string; role: string }[]> {
  return (await platform.ok(token, MEMBERS, { p: projectId })).list_project_members;
}

describe('project members', () => {
  it('adds a person by email (a user from then on), who finds the project at first login', async () => {
    const added = (await platform.ok(token, ADD, { p: projectId, email: 'Colleague@Example.com', role: 'DEVELOPER' })).add_project_member;
    expect(added).toMatchObject({
      project_id: projectId,
      role: 'DEVELOPER',
      user: { email: 'colleague@example.com' },
      project: { id: projectId },
    });

    const colleague = await login(platform, 'colleague@example.com');
    const me = await platform.ok(
      colleague,
      '{ get_me { id default_project_id default_project { id name } projects { id my_role } } list_user_projects { project_id role } }',
    );
    expect(me.get_me).toEqual({
      id: added.user_id,
      default_project_id: projectId,
      default_project: { id: projectId, name: 'Team' },
      projects: [{ id: projectId, my_role: 'DEVELOPER' }],
    });
    expect(me.list_user_projects).toEqual([{ project_id: projectId, role: 'DEVELOPER' }]);
  });

  it('refuses adding someone twice, naming email', async () => {
    const before = await members();
    expect(errorOf(await platform.as(token, ADD, { p: projectId, email: 'colleague@example.com', role: 'READONLY' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'email',
    });
    expect(await members()).toEqual(before);
  });

  it('never removes or demotes the last ADMIN; with a second ADMIN both are allowed', async () => {
    expect(errorOf(await platform.as(token, UPDATE, { p: projectId, u: ownerId, role: 'DEVELOPER' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'role',
    });
    expect(errorOf(await platform.as(token, REMOVE, { p: projectId, u: ownerId }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'user_id',
    });
    expect((await members()).find((m) => m.user_id === ownerId)?.role).toBe('ADMIN');

    const second = (await platform.ok(token, ADD, { p: projectId, email: 'deputy@example.com', role: 'ADMIN' })).add_project_member.user_id;
    expect((await platform.ok(token, UPDATE, { p: projectId, u: second, role: 'FINANCE' })).update_project_member).toEqual({
      user_id: second,
      role: 'FINANCE',
    });
    expect(errorOf(await platform.as(token, REMOVE, { p: projectId, u: ownerId }))?.code).toBe('BAD_USER_INPUT');
    await platform.ok(token, UPDATE, { p: projectId, u: second, role: 'ADMIN' });
    expect(await platform.ok(token, REMOVE, { p: projectId, u: second })).toEqual({ remove_project_member: true });
    expect((await members()).map((m) => m.user_id)).not.toContain(second);
  });

  it('a removed member loses the project as default and no longer sees it', async () => {
    const leaver = await login(platform, 'leaver@example.com');
    const leaverId = (await platform.ok(token, ADD, { p: projectId, email: 'leaver@example.com', role: 'READONLY' })).add_project_member
      .user_id;
    expect((await platform.ok(leaver, '{ get_me { default_project_id } }')).get_me.default_project_id).toBe(projectId);
    await platform.ok(token, REMOVE, { p: projectId, u: leaverId });
    expect((await platform.ok(leaver, '{ get_me { default_project_id projects { id } } }')).get_me).toEqual({
      default_project_id: null,
      projects: [],
    });
    expect(errorOf(await platform.as(leaver, MEMBERS, { p: projectId }))?.code).toBe('NOT_FOUND');
  });

  it('a READONLY member sees the members but changes nothing', async () => {
    const viewer = await login(platform, 'viewer@example.com');
    const viewerId = (await platform.ok(token, ADD, { p: projectId, email: 'viewer@example.com', role: 'READONLY' })).add_project_member
      .user_id;
    expect((await platform.ok(viewer, MEMBERS, { p: projectId })).list_project_members.length).toBeGreaterThan(1);
    expect(errorOf(await platform.as(viewer, UPDATE, { p: projectId, u: viewerId, role: 'ADMIN' }))?.code).toBe('FORBIDDEN');
    expect(
      errorOf(
        await platform.as(viewer, 'mutation ($p: String!) { update_project(project_id: $p, name: "Mine now") { id } }', { p: projectId }),
      )?.code,
    ).toBe('FORBIDDEN');
    expect(errorOf(await platform.as(viewer, ADD, { p: projectId, email: 'friend@example.com', role: 'READONLY' }))?.code).toBe(
      'FORBIDDEN',
    );
  });

  it("shows another user's projects only where the caller is a member too", async () => {
    const mine = (await platform.ok(token, 'mutation { create_project(name: "Founder only") { id } }')).create_project.id;
    const colleague = await login(platform, 'colleague@example.com');
    const seen = await platform.ok(
      colleague,
      'query ($p: String!) { list_project_members(project_id: $p) { user { id email projects { id } } } }',
      { p: projectId },
    );
    const founder = seen.list_project_members.find((m: any) => m.user.id === ownerId).user;
    expect(founder.projects.map((p: any) => p.id)).toEqual([projectId]);
    expect(JSON.stringify(seen)).not.toContain(mine);
  });

  it('bad input answers BAD_USER_INPUT / NOT_FOUND naming the argument and changes nothing', async () => {
    const before = await members();
    expect(errorOf(await platform.as(token, ADD, { p: projectId, email: 'nope', role: 'READONLY' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'email',
    });
    expect(errorOf(await platform.as(token, UPDATE, { p: projectId, u: 'no-such-user', role: 'READONLY' }))).toMatchObject({
      code: 'NOT_FOUND',
      argumentName: 'user_id',
    });
    expect(errorOf(await platform.as(token, REMOVE, { p: projectId, u: 'no-such-user' }))).toMatchObject({
      code: 'NOT_FOUND',
      argumentName: 'user_id',
    });
    expect(errorOf(await platform.as(token, ADD, { p: 'no-such-project', email: 'a@example.com', role: 'READONLY' }))).toMatchObject({
      code: 'NOT_FOUND',
      argumentName: 'project_id',
    });
    expect((await platform.as(token, ADD, { p: projectId, email: 'a@example.com', role: 'OWNER' })).body.errors?.[0]?.message).toMatch(
      /OWNER/,
    );
    expect(await members()).toEqual(before);
    expect(
      await platform.subgraphs
        .accounts!.store.db.selectFrom('users')
        .select('id')
        .where('email', 'in', ['nope', 'a@example.com'])
        .execute(),
    ).toEqual([]);
  });
});

describe('projects', () => {
  it('update_project changes name and description; an omitted description stays, null clears it', async () => {
    const UPDATE_PROJECT =
      'mutation ($p: String!, $name: String!, $d: String) { update_project(project_id: $p, name: $name, description: $d) { name description my_role owner { id } } }';
    expect(
      (
        await platform.ok(token, 'mutation ($p: String!) { update_project(project_id: $p, name: " Renamed ") { name description } }', {
          p: projectId,
        })
      ).update_project,
    ).toEqual({ name: 'Renamed', description: 'Our work' });
    expect((await platform.ok(token, UPDATE_PROJECT, { p: projectId, name: 'Renamed', d: null })).update_project).toEqual({
      name: 'Renamed',
      description: null,
      my_role: 'ADMIN',
      owner: { id: ownerId },
    });
    expect(errorOf(await platform.as(token, UPDATE_PROJECT, { p: projectId, name: '  ', d: 'x' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'name',
    });
    expect(errorOf(await platform.as(token, 'mutation { create_project(name: "") { id } }'))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'name',
    });
    expect((await platform.ok(token, 'query ($id: String!) { get_project(id: $id) { name } }', { id: projectId })).get_project.name).toBe(
      'Renamed',
    );
  });

  it('set_default_project takes a project of the caller only', async () => {
    const other = (await platform.ok(ADMIN_KEY, '{ get_me { default_project_id } }')).get_me.default_project_id;
    const refused = await platform.as(token, 'mutation ($p: String!) { set_default_project(project_id: $p) }', { p: other });
    expect(errorOf(refused)).toMatchObject({ code: 'NOT_FOUND', argumentName: 'project_id' });
    expect(await platform.ok(token, 'mutation ($p: String!) { set_default_project(project_id: $p) }', { p: projectId })).toEqual({
      set_default_project: true,
    });
    expect((await platform.ok(token, '{ get_me { default_project_id } }')).get_me.default_project_id).toBe(projectId);
  });

  it('an API key cannot create projects nor act as a person', async () => {
    expect(errorOf(await platform.as(ADMIN_KEY, 'mutation { create_project(name: "x") { id } }'))?.code).toBe('FORBIDDEN');
    expect(errorOf(await platform.as(ADMIN_KEY, 'mutation { update_user_profile(first_name: "A", last_name: "B") { id } }'))?.code).toBe(
      'FORBIDDEN',
    );
  });
});

describe('profile', () => {
  it('update_user_profile sets names; empty names change nothing', async () => {
    const UPDATE_PROFILE =
      'mutation ($f: String!, $l: String!) { update_user_profile(first_name: $f, last_name: $l) { first_name last_name } }';
    expect((await platform.ok(token, UPDATE_PROFILE, { f: 'Ada', l: 'Lovelace' })).update_user_profile).toEqual({
      first_name: 'Ada',
      last_name: 'Lovelace',
    });
    expect(errorOf(await platform.as(token, UPDATE_PROFILE, { f: '', l: 'X' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'first_name',
    });
    expect(errorOf(await platform.as(token, UPDATE_PROFILE, { f: 'X', l: ' ' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'last_name',
    });
    expect((await platform.ok(token, '{ get_me { first_name last_name } }')).get_me).toEqual({ first_name: 'Ada', last_name: 'Lovelace' });
  });
});

describe('list_role_permissions', () => {
  it('is the Permissions table of kit/permissions.ts, one row per role and permission', async () => {
    const rows: { id: string; role_id: string; permission_id: string }[] = (
      await platform.ok(token, '{ list_role_permissions { id role_id permission_id } }')
    ).list_role_permissions;
    const expected = Object.entries(PERMISSIONS).flatMap(([permission, { roles }]) => roles.map((role) => `${role}:${permission}`));
    expect(rows.map((row) => `${row.role_id}:${row.permission_id}`).sort()).toEqual(expected.sort());
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    expect(rows).toContainEqual(expect.objectContaining({ role_id: 'FINANCE', permission_id: 'PAY_INVOICES' }));
    expect(rows).not.toContainEqual(expect.objectContaining({ role_id: 'DEVELOPER', permission_id: 'EDIT_PROJECT' }));
  });
});
