/**
 * Every row of the seed's Permissions table that our subgraphs can exercise, for every role, allowed and
 * denied, through the gateway, for API keys and for users; and cross-project reads and writes refused.
 * Expectations come from the table itself (can()), so the test and the enforcement cannot drift apart.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, ROLES, type Permission, type Role } from '../subgraphs/kit/permissions.ts';
import type { GraphQLResponse } from './helpers/platform.ts';
import { ADMIN_KEY, startSecurityPlatform, type SecurityPlatform } from './helpers/security-platform.ts';

interface Caller {
  label: string;
  role: Role;
  credential: string;
}

interface Row {
  permission: Permission;
  /** Runs the row's operation as `credential`; `check` tells whether it had its effect. */
  run(credential: string): Promise<{ response: GraphQLResponse; check?: () => Promise<boolean> }>;
}

let platform: SecurityPlatform;
let projectId: string;
let otherProjectId: string;
let otherOwnerToken: string;
const callers: Caller[] = [];

const admin = (query: string, variables?: Record<string, unknown>) => platform.ok(ADMIN_KEY, query, variables);

async function newKey(role: Role = 'READONLY'): Promise<string> {
  const name = `target-${randomUUID()}`;
  await admin('mutation ($p: String!, $n: String!, $r: Role) { create_api_key(project_id: $p, name: $n, role: $r) }', {
    p: projectId,
    n: name,
    r: role,
  });
  const { list_api_keys } = await admin('query ($p: String!) { list_api_keys(project_id: $p) { id name } }', { p: projectId });
  return list_api_keys.find((key: { name: string }) => key.name === name).id;
}

async function keyExists(id: string): Promise<boolean> {
  const { list_api_keys } = await admin('query ($p: String!) { list_api_keys(project_id: $p) { id } }', { p: projectId });
  return list_api_keys.some((key: { id: string }) => key.id === id);
}

async function newMember(): Promise<string> {
  const { add_project_member } = await admin(
    'mutation ($p: String!, $e: String!) { add_project_member(project_id: $p, email: $e, role: READONLY) { user_id } }',
    {
      p: projectId,
      e: `member-${randomUUID()}@example.com`,
    },
  );
  return add_project_member.user_id;
}

async function memberRole(userId: string): Promise<string | undefined> {
  const { list_project_members } = await admin('query ($p: String!) { list_project_members(project_id: $p) { user_id role } }', {
    p: projectId,
  });
  return list_project_members.find((member: { user_id: string }) => member.user_id === userId)?.role;
}

const ROWS: Row[] = [
  {
    permission: 'VIEW_PROJECT',
    run: async (credential) => ({
      response: await platform.as(credential, 'query ($id: String!) { get_project(id: $id) { id name } }', { id: projectId }),
    }),
  },
  {
    permission: 'EDIT_PROJECT',
    run: async (credential) => {
      const description = `edited ${randomUUID()}`;
      const response = await platform.as(
        credential,
        'mutation ($p: String!, $d: String) { update_project(project_id: $p, name: "Default project", description: $d) { id } }',
        {
          p: projectId,
          d: description,
        },
      );
      const check = async () =>
        (await admin('query ($id: String!) { get_project(id: $id) { description } }', { id: projectId })).get_project.description ===
        description;
      return { response, check };
    },
  },
  {
    permission: 'VIEW_API_KEYS',
    run: async (credential) => ({
      response: await platform.as(credential, 'query ($p: String!) { list_api_keys(project_id: $p) { id masked_key } }', { p: projectId }),
    }),
  },
  {
    permission: 'CREATE_API_KEYS',
    run: async (credential) => ({
      response: await platform.as(credential, 'mutation ($p: String!) { create_api_key(project_id: $p, name: "made", role: READONLY) }', {
        p: projectId,
      }),
    }),
  },
  {
    permission: 'EDIT_API_KEYS',
    run: async (credential) => {
      const id = await newKey();
      const response = await platform.as(
        credential,
        'mutation ($id: String!) { update_api_key(id: $id, name: "renamed", role: READONLY) { id name } }',
        { id },
      );
      const check = async () =>
        (await admin('query ($p: String!) { list_api_keys(project_id: $p) { id name } }', { p: projectId })).list_api_keys.some(
          (key: { id: string; name: string }) => key.id === id && key.name === 'renamed',
        );
      return { response, check };
    },
  },
  {
    permission: 'DELETE_API_KEYS',
    run: async (credential) => {
      const id = await newKey();
      const response = await platform.as(credential, 'mutation ($id: String!) { delete_api_key(id: $id) }', { id });
      return { response, check: async () => !(await keyExists(id)) };
    },
  },
  {
    permission: 'VIEW_TEAM_MEMBERS',
    run: async (credential) => ({
      response: await platform.as(credential, 'query ($p: String!) { list_project_members(project_id: $p) { user_id role } }', {
        p: projectId,
      }),
    }),
  },
  {
    permission: 'INVITE_TEAM_MEMBERS',
    run: async (credential) => {
      const email = `invited-${randomUUID()}@example.com`;
      const response = await platform.as(
        credential,
        'mutation ($p: String!, $e: String!) { add_project_member(project_id: $p, email: $e, role: READONLY) { user_id } }',
        {
          p: projectId,
          e: email,
        },
      );
      const check = async () =>
        (
          await admin('query ($p: String!) { list_project_members(project_id: $p) { user { email } } }', { p: projectId })
        ).list_project_members.some((member: { user: { email: string } }) => member.user.email === email);
      return { response, check };
    },
  },
  {
    permission: 'EDIT_TEAM_MEMBERS',
    run: async (credential) => {
      const userId = await newMember();
      const response = await platform.as(
        credential,
        'mutation ($p: String!, $u: String!) { update_project_member(project_id: $p, user_id: $u, role: DEVELOPER) { role } }',
        {
          p: projectId,
          u: userId,
        },
      );
      return { response, check: async () => (await memberRole(userId)) === 'DEVELOPER' };
    },
  },
  {
    permission: 'REMOVE_TEAM_MEMBERS',
    run: async (credential) => {
      const userId = await newMember();
      const response = await platform.as(
        credential,
        'mutation ($p: String!, $u: String!) { remove_project_member(project_id: $p, user_id: $u) }',
        { p: projectId, u: userId },
      );
      return { response, check: async () => (await memberRole(userId)) === undefined };
    },
  },
  {
    // Billing's month-to-date spend is what the next invoice shows (subgraphs/billing/README.md).
    permission: 'VIEW_INVOICES',
    run: async (credential) => ({
      response: await platform.as(credential, 'query ($id: String!) { get_project(id: $id) { current_spend } }', { id: projectId }),
    }),
  },
];

beforeAll(async () => {
  platform = await startSecurityPlatform();
  projectId = platform.projectId;
  for (const role of ROLES) {
    const { create_api_key } = await admin(
      'mutation ($p: String!, $n: String!, $r: Role) { create_api_key(project_id: $p, name: $n, role: $r) }',
      { p: projectId, n: `${role} key`, r: role },
    );
    callers.push({ label: `${role} API key`, role, credential: create_api_key });
    const email = `${role.toLowerCase()}@example.com`;
    const token = await platform.login(email);
    await admin('mutation ($p: String!, $e: String!, $r: Role!) { add_project_member(project_id: $p, email: $e, role: $r) { id } }', {
      p: projectId,
      e: email,
      r: role,
    });
    callers.push({ label: `${role} user`, role, credential: token });
  }
  otherOwnerToken = await platform.login('other-owner@example.com');
  otherProjectId = (await platform.ok(otherOwnerToken, 'mutation { create_project(name: "Other company") { id } }')).create_project.id;
});
afterAll(() => platform?.stop());

describe('the Permissions table through the gateway', () => {
  for (const row of ROWS) {
    for (const role of ROLES) {
      for (const kind of ['API key', 'user'] as const) {
        const allowed = can(role, row.permission);
        it(`${row.permission}: ${role} ${kind} is ${allowed ? 'allowed' : 'denied'}`, async () => {
          const caller = callers.find((candidate) => candidate.label === `${role} ${kind}`)!;
          const { response, check } = await row.run(caller.credential);
          expect(response.status).toBe(200);
          if (allowed) {
            expect(response.body.errors).toBeUndefined();
          } else {
            expect(response.body.data).toBeNull();
            expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
            // Refused by the gateway itself: no subgraph answered.
            expect(response.body.errors?.[0]?.extensions?.serviceName).toBeUndefined();
          }
          if (check) expect(await check()).toBe(allowed);
        });
      }
    }
  }
});

describe('another project', () => {
  const caller = (label: string) => callers.find((candidate) => candidate.label === label)!.credential;

  it('is not read by id, by alias beside an allowed field, by fragment or by variable', async () => {
    for (const credential of [ADMIN_KEY, caller('ADMIN user'), caller('READONLY API key')]) {
      const direct = await platform.as(credential, 'query ($id: String!) { get_project(id: $id) { name } }', { id: otherProjectId });
      expect(direct.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'id' });

      const aliased = await platform.as(
        credential,
        'query ($mine: String!, $theirs: String!) { mine: get_project(id: $mine) { id } theirs: get_project(id: $theirs) { name } }',
        {
          mine: projectId,
          theirs: otherProjectId,
        },
      );
      expect(aliased.body.data).toBeNull();
      expect(aliased.body.errors?.map((error) => error.path)).toEqual([['theirs']]);

      const viaFragment = await platform.as(
        credential,
        'query ($q: String!) { ...Members } fragment Members on Query { list_project_members(project_id: $q) { user_id } }',
        {
          q: otherProjectId,
        },
      );
      expect(viaFragment.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'project_id' });
      expect(JSON.stringify([direct.body, aliased.body, viaFragment.body])).not.toContain('Other company');
    }
  });

  it('is not changed: its project, members and keys stay as they are', async () => {
    const { create_api_key: otherKey } = await platform.ok(
      otherOwnerToken,
      'mutation ($p: String!) { create_api_key(project_id: $p, name: "theirs", role: ADMIN) }',
      { p: otherProjectId },
    );
    const otherKeyId = (await platform.ok(otherKey, 'query ($p: String!) { list_api_keys(project_id: $p) { id } }', { p: otherProjectId }))
      .list_api_keys[0].id;

    const rename = await platform.as(ADMIN_KEY, 'mutation ($p: String!) { update_project(project_id: $p, name: "Taken over") { id } }', {
      p: otherProjectId,
    });
    expect(rename.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'project_id' });
    const invite = await platform.as(
      ADMIN_KEY,
      'mutation ($p: String!) { add_project_member(project_id: $p, email: "spy@example.com", role: ADMIN) { id } }',
      { p: otherProjectId },
    );
    expect(invite.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const createKey = await platform.as(
      caller('ADMIN user'),
      'mutation ($p: String!) { create_api_key(project_id: $p, name: "spy", role: ADMIN) }',
      { p: otherProjectId },
    );
    expect(createKey.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // The gateway cannot tell which project a key id belongs to: the caller is ADMIN somewhere, so accounts decides.
    const deleteKey = await platform.as(ADMIN_KEY, 'mutation ($id: String!) { delete_api_key(id: $id) }', { id: otherKeyId });
    expect(deleteKey.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', serviceName: 'accounts' });
    const renameKey = await platform.as(
      caller('DEVELOPER user'),
      'mutation ($id: String!) { update_api_key(id: $id, name: "mine", role: READONLY) { id } }',
      { id: otherKeyId },
    );
    expect(renameKey.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const after = await platform.ok(
      otherKey,
      'query ($p: String!) { get_project(id: $p) { name members { user { email } role } } list_api_keys(project_id: $p) { name role } }',
      { p: otherProjectId },
    );
    expect(after.get_project.name).toBe('Other company');
    expect(after.get_project.members).toEqual([{ user: { email: 'other-owner@example.com' }, role: 'ADMIN' }]);
    expect(after.list_api_keys).toEqual([{ name: 'theirs', role: 'ADMIN' }]);
  });

  it('cannot be reached through entity references or a batch', async () => {
    const entities = await platform.as(ADMIN_KEY, 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Project { name } } }', {
      r: [{ __typename: 'Project', id: otherProjectId }],
    });
    expect(entities.status).toBe(400);
    expect(entities.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const batch = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify([{ query: '{ get_me { id } }' }, { query: `{ get_project(id: "${otherProjectId}") { name } }` }]),
    });
    expect(batch.status).toBe(400);
    expect(await batch.text()).not.toContain('Other company');
  });
});
