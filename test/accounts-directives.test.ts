/**
 * Every root field of accounts declares who may call it (a field without these directives would be public),
 * and each @requiresScopes lists exactly the roles the Permissions table gives its permission.
 */
import { readFileSync } from 'node:fs';
import { Kind, parse, type ConstDirectiveNode, type ObjectTypeDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS, type Permission } from '../subgraphs/kit/permissions.ts';

/** The permission each root field needs, from the Permissions table; 'authenticated' = any caller. */
const ACCESS: Record<string, Permission | 'authenticated' | 'public'> = {
  get_me: 'authenticated',
  get_project: 'VIEW_PROJECT',
  is_valid_api_key: 'authenticated',
  list_api_keys: 'VIEW_API_KEYS',
  list_project_members: 'VIEW_TEAM_MEMBERS',
  list_role_permissions: 'authenticated',
  list_user_projects: 'authenticated',
  login_with_email_otp: 'public',
  add_project_member: 'INVITE_TEAM_MEMBERS',
  create_api_key: 'CREATE_API_KEYS',
  create_profile_picture_upload: 'authenticated',
  create_project: 'authenticated',
  delete_api_key: 'DELETE_API_KEYS',
  logout: 'authenticated',
  remove_project_member: 'REMOVE_TEAM_MEMBERS',
  send_email_otp: 'public',
  set_default_project: 'VIEW_PROJECT',
  update_api_key: 'EDIT_API_KEYS',
  update_project: 'EDIT_PROJECT',
  update_project_member: 'EDIT_TEAM_MEMBERS',
  update_user_profile: 'authenticated',
};

function accessOf(directives: readonly ConstDirectiveNode[] | undefined): string | string[][] {
  const scopes = directives?.find((d) => d.name.value === 'requiresScopes');
  if (scopes) {
    const value = scopes.arguments?.find((a) => a.name.value === 'scopes')?.value;
    if (value?.kind !== Kind.LIST) throw new Error('@requiresScopes without a scopes list');
    return value.values.map((alternative) =>
      alternative.kind === Kind.LIST ? alternative.values.map((scope) => (scope.kind === Kind.STRING ? scope.value : '?')) : ['?'],
    );
  }
  return directives?.some((d) => d.name.value === 'authenticated') ? 'authenticated' : 'public';
}

describe('accounts schema authorization directives', () => {
  const document = parse(readFileSync(new URL('../subgraphs/accounts/schema.graphql', import.meta.url), 'utf8'));
  const roots = document.definitions.filter(
    (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && ['Query', 'Mutation'].includes(d.name.value),
  );
  const fields = roots.flatMap((root) => root.fields ?? []);

  it('covers the 21 operations of the seed', () => {
    expect(fields.map((f) => f.name.value).sort()).toEqual(Object.keys(ACCESS).sort());
  });

  it.each(Object.entries(ACCESS))('%s is %s', (name, access) => {
    const field = fields.find((f) => f.name.value === name)!;
    const expected = access === 'authenticated' || access === 'public' ? access : PERMISSIONS[access].roles.map((role) => [role]);
    expect(accessOf(field.directives)).toEqual(expected);
  });
});
