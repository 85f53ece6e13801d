/** accounts' entities are loaded in batches: one query per type for all representations of a request. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../core/identity.ts';
import { startAccountsInProcess, type AccountsInProcess } from './helpers/accounts-in-process.ts';

let accounts: AccountsInProcess;
const projectIds = [randomUUID(), randomUUID(), randomUUID()];
const memberIds = Array.from({ length: 6 }, () => randomUUID());
const strangerId = randomUUID();
const admin: Principal = { kind: 'user', userId: memberIds[0]!, roles: Object.fromEntries(projectIds.map((id) => [id, 'ADMIN'])) };

beforeAll(async () => {
  accounts = await startAccountsInProcess();
  const now = new Date().toISOString();
  const user = (id: string, n: number) => ({
    id,
    email: `user${n}@example.com`,
    first_name: `User ${n}`,
    last_name: null,
    default_project_id: null,
    picture_file: null,
    created_at: now,
    updated_at: now,
  });
  await accounts.db
    .insertInto('users')
    .values([...memberIds, strangerId].map(user))
    .execute();
  await accounts.db
    .insertInto('projects')
    .values(
      projectIds.map((id, n) => ({
        id,
        name: `Project ${n}`,
        description: null,
        owner_user_id: memberIds[0]!,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  await accounts.db
    .insertInto('project_members')
    .values(
      memberIds.map((userId) => ({
        id: randomUUID(),
        project_id: projectIds[0]!,
        user_id: userId,
        role: 'DEVELOPER' as const,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
});
afterAll(() => accounts?.stop());

const ENTITIES =
  'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id first_name } ... on PublicUser { id first_name } ... on Project { id name } } }';

async function entities(representations: object[]) {
  accounts.queries.length = 0;
  const result = await accounts.query(admin, ENTITIES, { representations });
  return { result, queries: [...accounts.queries] };
}

describe('entity references', () => {
  it('of six users cost one query for the users and one for who the caller shares a project with', async () => {
    const { result, queries } = await entities(memberIds.map((id) => ({ __typename: 'User', id })));
    expect(result.errors).toBeUndefined();
    expect(result.data._entities.map((user: { id: string }) => user.id)).toEqual(memberIds);
    expect(queries.filter((sql) => /from "users"/.test(sql))).toHaveLength(1);
    expect(queries).toHaveLength(2);
  });

  it('still refuse, one by one, users the caller shares no project with', async () => {
    const { result } = await entities([
      { __typename: 'User', id: memberIds[1] },
      { __typename: 'User', id: strangerId },
    ]);
    expect(result.data._entities).toEqual([{ id: memberIds[1], first_name: 'User 1' }, null]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions.code).toBe('NOT_FOUND');
    expect(result.errors![0].path).toEqual(['_entities', 1]);
  });

  it('of three projects and six public users cost one query each', async () => {
    const { result, queries } = await entities([
      ...projectIds.map((id) => ({ __typename: 'Project', id })),
      ...memberIds.map((id) => ({ __typename: 'PublicUser', id })),
    ]);
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toHaveLength(9);
    expect(queries.filter((sql) => /from "projects"/.test(sql))).toHaveLength(1);
    expect(queries.filter((sql) => /from "users"/.test(sql))).toHaveLength(1);
  });

  it('of the members of a project load their users in one query', async () => {
    accounts.queries.length = 0;
    const result = await accounts.query(
      admin,
      'query ($id: String!) { list_project_members(project_id: $id) { user { id } project { id } } }',
      { id: projectIds[0] },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.list_project_members).toHaveLength(6);
    expect(accounts.queries.filter((sql) => /from "users"/.test(sql))).toHaveLength(1);
    expect(accounts.queries.filter((sql) => /from "projects"/.test(sql))).toHaveLength(1);
  });
});
