/**
 * The project check every resolver makes before it reads or writes a project's data. A project the caller
 * has no role in answers NOT_FOUND, exactly as a project that does not exist, so ids cannot be probed.
 */
import { cognitiveCloudError, notFound } from '../../core/errors.ts';
import type { Principal } from '../../core/identity.ts';
import { can, isRole, PERMISSIONS, type Permission, type Role } from './permissions.ts';

export function roleIn(principal: Principal, projectId: string): Role | undefined {
  const role = principal.kind === 'user' || principal.kind === 'apiKey' ? principal.roles[projectId] : undefined;
  return isRole(role) ? role : undefined;
}

export function requireAuthenticated(principal: Principal): asserts principal is Extract<Principal, { roles: unknown }> {
  if (principal.kind !== 'user' && principal.kind !== 'apiKey') {
    throw cognitiveCloudError('UNAUTHENTICATED', 'Authentication required: send an API key or a token as "Authorization: Bearer ..."');
  }
}

/** Returns the caller's role in the project, or throws UNAUTHENTICATED, NOT_FOUND or FORBIDDEN. */
export function authorize(principal: Principal, projectId: string, permission: Permission, argumentName = 'project_id'): Role {
  requireAuthenticated(principal);
  const role = roleIn(principal, projectId);
  if (!role) throw notFound('Project', argumentName);
  if (!can(role, permission)) {
    throw cognitiveCloudError('FORBIDDEN', `Role ${role} may not: ${PERMISSIONS[permission].description}`, { permission });
  }
  return role;
}
