import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../core/identity.ts';
import { chargeRow } from './helpers/billing-platform.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';

const userId = randomUUID();
const projectId = randomUUID();
const otherProjectId = randomUUID();
const caller: Principal = { kind: 'user', userId, roles: { [projectId]: 'READONLY' } };

describe('a query spanning two subgraphs through the gateway', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({ subgraphs: ['accounts', 'billing'], authenticate: async () => caller });
    const now = new Date().toISOString();
    const accounts = platform.subgraphs.accounts!.store.db;
    await accounts
      .insertInto('users')
      .values({
        id: userId,
        email: 'ada@example.com',
        first_name: 'Ada',
        last_name: null,
        default_project_id: projectId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    for (const id of [projectId, otherProjectId]) {
      await accounts
        .insertInto('projects')
        .values({ id, name: `project ${id.slice(0, 4)}`, description: null, owner_user_id: userId, created_at: now, updated_at: now })
        .execute();
    }
    await platform.subgraphs
      .billing!.store.db.insertInto('charges')
      .values([chargeRow(projectId, 125), chargeRow(projectId, 250), chargeRow(otherProjectId, 9900)])
      .execute();
  });
  afterAll(() => platform?.stop());

  it('joins accounts and billing fields of one project', async () => {
    const { status, body } = await platform.query('query ($id: String!) { get_project(id: $id) { id name my_role current_spend } }', {
      id: projectId,
    });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.get_project).toEqual({
      id: projectId,
      name: `project ${projectId.slice(0, 4)}`,
      my_role: 'READONLY',
      current_spend: 3.75,
    });
  });

  it('answers NOT_FOUND for a project the caller has no role in, and never shows its data', async () => {
    const { body } = await platform.query('query ($id: String!) { get_project(id: $id) { id name current_spend } }', {
      id: otherProjectId,
    });
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'id' });
    expect(JSON.stringify(body)).not.toContain('99');
  });

  it('passes the request id to the client', async () => {
    const { headers } = await platform.query('{ __typename }', undefined, { 'x-request-id': 'trace-123' });
    expect(headers.get('x-request-id')).toBe('trace-123');
  });
});
