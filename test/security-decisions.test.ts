/**
 * The gateway's decision for the Permissions rows whose operations do not exist yet (jobs, billing info,
 * paying invoices), at module level: a field guarded by a row declares `@requiresScopes` with the row's roles
 * (requirementOf), and decide() must then allow exactly the roles of the row, per project.
 */
import { describe, expect, it } from 'vitest';
import { decide, readSupergraphPolicy, type Requirement } from '../gateway/pipeline/authorization/supergraph-policy.ts';
import type { Principal } from '../core/identity.ts';
import { can, PERMISSIONS, ROLES, type Permission } from '../subgraphs/kit/permissions.ts';

/** What a field guarded by `permission` declares: `@requiresScopes` with each role of that Permissions row. */
function requirementOf(permission: Permission): Requirement {
  return { kind: 'scopes', anyOf: PERMISSIONS[permission].roles.map((role) => [role]) };
}

const NOT_YET_SERVED: Permission[] = [
  'VIEW_JOBS',
  'CREATE_JOBS',
  'VIEW_BILLING_INFO',
  'EDIT_BILLING_INFO',
  'CLEAR_BILLING_INFO',
  'VIEW_INVOICES',
  'PAY_INVOICES',
];
const PROJECT = { id: 'p1', argumentName: 'project_id' };

describe('decisions for Permissions rows not yet served end to end', () => {
  for (const permission of NOT_YET_SERVED) {
    for (const role of ROLES) {
      const principals: Principal[] = [
        { kind: 'apiKey', keyId: 'k', userId: null, roles: { p1: role } },
        { kind: 'user', userId: 'u', roles: { p1: role, p2: 'ADMIN' } },
      ];
      it(`${permission}: ${role} is ${can(role, permission) ? 'allowed' : 'denied'} in its project`, () => {
        for (const principal of principals) {
          const decision = decide([requirementOf(permission)], principal, PROJECT, permission);
          expect(decision.allowed).toBe(can(role, permission));
          if (!decision.allowed) expect(decision.code).toBe('FORBIDDEN');
        }
      });
    }
  }

  it('answers NOT_FOUND in a project where the caller has no role, and UNAUTHENTICATED to anonymous callers', () => {
    const key: Principal = { kind: 'apiKey', keyId: 'k', userId: null, roles: { p2: 'ADMIN' } };
    expect(decide([requirementOf('VIEW_JOBS')], key, PROJECT, 'get_jobs')).toMatchObject({
      allowed: false,
      code: 'NOT_FOUND',
      argumentName: 'project_id',
    });
    expect(decide([requirementOf('VIEW_JOBS')], { kind: 'anonymous' }, PROJECT, 'get_jobs')).toMatchObject({
      allowed: false,
      code: 'UNAUTHENTICATED',
    });
    expect(decide([{ kind: 'authenticated' }], { kind: 'anonymous' }, undefined, 'get_me')).toMatchObject({
      allowed: false,
      code: 'UNAUTHENTICATED',
    });
  });

  it('lets a caller through where the project is unknown (get_job(id)) only with the role in some project', () => {
    const financeHere: Principal = { kind: 'user', userId: 'u', roles: { p1: 'FINANCE', p2: 'READONLY' } };
    const developerSomewhere: Principal = { kind: 'user', userId: 'u', roles: { p1: 'FINANCE', p2: 'DEVELOPER' } };
    expect(decide([requirementOf('CREATE_JOBS')], financeHere, undefined, 'create_job').allowed).toBe(false);
    expect(decide([requirementOf('CREATE_JOBS')], developerSomewhere, undefined, 'create_job').allowed).toBe(true);
  });

  it('reads the same requirement back from a supergraph that declares it, renamed by @link(as:) too', () => {
    const scopes = PERMISSIONS.PAY_INVOICES.roles.map((role) => `["${role}"]`).join(', ');
    const policy = readSupergraphPolicy(`
      schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "roles", for: SECURITY) { query: Query }
      type Query { pay_invoice(project_id: String!): Boolean @roles(scopes: [${scopes}]) }`);
    expect(policy.ofField('Query', 'pay_invoice')).toEqual([requirementOf('PAY_INVOICES')]);
  });
});
