/**
 * Hardening items 10 and 11: text inputs refuse control characters, emails are validated and normalised
 * once (a NUL byte cannot smuggle in another domain), and a member seen from another project shows
 * nothing of their other projects.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../core/identity.ts';
import { normalizeEmail, textProblem } from '../subgraphs/kit/validation.ts';
import { startAccountsInProcess, type AccountsInProcess } from './helpers/accounts-in-process.ts';

const NUL_EMAIL = 'victim@example.com\u0000.attacker.test';

let accounts: AccountsInProcess;
const projectA = randomUUID();
const projectB = randomUUID();
const memberId = randomUUID();
const adminOfBId = randomUUID();
const adminOfB: Principal = { kind: 'user', userId: adminOfBId, roles: { [projectB]: 'ADMIN' } };

beforeAll(async () => {
  accounts = await startAccountsInProcess();
  const now = new Date().toISOString();
  const stamp = { created_at: now, updated_at: now };
  await accounts.db
    .insertInto('users')
    .values([
      {
        id: memberId,
        email: 'member@example.com',
        first_name: 'Mem',
        last_name: 'Ber',
        default_project_id: null,
        picture_file: null,
        ...stamp,
      },
      {
        id: adminOfBId,
        email: 'admin-b@example.com',
        first_name: null,
        last_name: null,
        default_project_id: null,
        picture_file: null,
        ...stamp,
      },
    ])
    .execute();
  await accounts.db
    .insertInto('projects')
    .values([
      { id: projectA, name: 'A', description: null, owner_user_id: memberId, ...stamp },
      { id: projectB, name: 'B', description: null, owner_user_id: adminOfBId, ...stamp },
    ])
    .execute();
  await accounts.db
    .insertInto('project_members')
    .values([
      { id: randomUUID(), project_id: projectA, user_id: memberId, role: 'ADMIN', ...stamp },
      { id: randomUUID(), project_id: projectB, user_id: adminOfBId, role: 'ADMIN', ...stamp },
    ])
    .execute();
  await accounts.db.updateTable('users').set({ default_project_id: projectA }).where('id', '=', memberId).execute();
});
afterAll(() => accounts?.stop());

function refusal(result: { errors?: any[] }) {
  return result.errors?.map((error) => [error.extensions.code, error.extensions.argumentName]);
}

describe('emails', () => {
  it('with a NUL byte are refused by send_email_otp, and nothing is mailed', async () => {
    const result = await accounts.query({ kind: 'anonymous' }, 'mutation ($email: String!) { send_email_otp(email: $email) }', {
      email: NUL_EMAIL,
    });
    expect(refusal(result)).toEqual([['BAD_USER_INPUT', 'email']]);
    const outbox = join(accounts.dataDir, 'outbox');
    expect(existsSync(outbox) ? readdirSync(outbox) : []).toEqual([]);
  });

  it('with a NUL byte are refused by login_with_email_otp and add_project_member, and no user is stored', async () => {
    const login = await accounts.query(
      { kind: 'anonymous' },
      'query ($email: String!) { login_with_email_otp(email: $email, otp: 123456) }',
      { email: NUL_EMAIL },
    );
    expect(refusal(login)).toEqual([['BAD_USER_INPUT', 'email']]);
    const add = await accounts.query(
      adminOfB,
      'mutation ($p: String!, $email: String!) { add_project_member(project_id: $p, email: $email, role: READONLY) { id } }',
      { p: projectB, email: NUL_EMAIL },
    );
    expect(refusal(add)).toEqual([['BAD_USER_INPUT', 'email']]);
    expect(await accounts.db.selectFrom('users').select('email').where('email', 'like', '%attacker%').execute()).toEqual([]);
  });

  it('are normalised once: trimmed and lower-cased where they are stored', async () => {
    const add = await accounts.query(
      adminOfB,
      'mutation ($p: String!, $email: String!) { add_project_member(project_id: $p, email: $email, role: READONLY) { user { email } } }',
      { p: projectB, email: '  New.Person@Example.COM ' },
    );
    expect(add.data.add_project_member.user.email).toBe('new.person@example.com');
  });

  it('are validated by the library: display names, IP domains and spaces are not addresses', () => {
    expect(normalizeEmail('owner@localhost')).toBe('owner@localhost');
    expect(normalizeEmail(NUL_EMAIL)).toBeUndefined();
    expect(normalizeEmail('Ada <ada@example.com>')).toBeUndefined();
    expect(normalizeEmail('ada@[127.0.0.1]')).toBeUndefined();
    expect(normalizeEmail('a da@example.com')).toBeUndefined();
    expect(normalizeEmail('ada@exa\u202Emple.com')).toBeUndefined();
  });
});

describe('text inputs', () => {
  it.each([
    ['a NUL byte', 'Team\u0000Admin'],
    ['a line break', 'Team\nAdmin'],
    ['a right-to-left override', 'invoice\u202Efdp.exe'],
    ['a C1 control', 'Team\u0085'],
    ['a lone surrogate', 'Team \uD800'],
  ])('refuse %s in a project name', async (_what, name) => {
    const result = await accounts.query(
      adminOfB,
      'mutation ($p: String!, $name: String!) { update_project(project_id: $p, name: $name) { name } }',
      { p: projectB, name },
    );
    expect(refusal(result)).toEqual([['BAD_USER_INPUT', 'name']]);
  });

  it('allow line breaks and tabs in a description, not other controls', async () => {
    const update = (description: string) =>
      accounts.query(
        adminOfB,
        'mutation ($p: String!, $d: String) { update_project(project_id: $p, name: "B", description: $d) { description } }',
        { p: projectB, d: description },
      );
    expect((await update('line one\n\tline two')).data.update_project.description).toBe('line one\n\tline two');
    expect(refusal(await update('bell\u0007'))).toEqual([['BAD_USER_INPUT', 'description']]);
  });

  it('refuse control characters in a person name and an API key name', async () => {
    const member: Principal = { kind: 'user', userId: memberId, roles: { [projectA]: 'ADMIN' } };
    const profile = await accounts.query(member, 'mutation { update_user_profile(first_name: "Ma\\u0000llory", last_name: "X") { id } }');
    expect(refusal(profile)).toEqual([['BAD_USER_INPUT', 'first_name']]);
    const key = await accounts.query(member, 'mutation ($p: String!) { create_api_key(project_id: $p, name: "ci\\u001b[31m") }', {
      p: projectA,
    });
    expect(refusal(key)).toEqual([['BAD_USER_INPUT', 'name']]);
  });

  it('are explained by textProblem', () => {
    expect(textProblem('fine')).toBeUndefined();
    expect(textProblem('x'.repeat(201))).toBe('must be at most 200 characters');
    expect(textProblem('a\tb', { multiline: true })).toBeUndefined();
  });
});

describe('a member seen from another project', () => {
  const MEMBER_VIEW = 'user { id default_project_id default_project { id } projects { id } }';

  it('shows nothing of their other projects to the admin who added them', async () => {
    const result = await accounts.query(
      adminOfB,
      `mutation ($p: String!) { add_project_member(project_id: $p, email: "member@example.com", role: DEVELOPER) { ${MEMBER_VIEW} } }`,
      { p: projectB },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.add_project_member.user).toEqual({
      id: memberId,
      default_project_id: null,
      default_project: null,
      projects: [{ id: projectB }],
    });
  });

  it('shows nothing of them through the User entity either', async () => {
    const result = await accounts.query(
      adminOfB,
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { default_project_id projects { id } } } }',
      {
        r: [{ __typename: 'User', id: memberId }],
      },
    );
    expect(result.data._entities).toEqual([{ default_project_id: null, projects: [{ id: projectB }] }]);
  });

  it('still shows the member their own default project', async () => {
    const member: Principal = { kind: 'user', userId: memberId, roles: { [projectA]: 'ADMIN', [projectB]: 'DEVELOPER' } };
    const result = await accounts.query(member, '{ get_me { default_project_id default_project { id } } }');
    expect(result.data.get_me).toEqual({ default_project_id: projectA, default_project: { id: projectA } });
  });
});
