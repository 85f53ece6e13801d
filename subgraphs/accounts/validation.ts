/**
 * Checks of callers and roles shared by the accounts resolvers; each error names the argument. Text and
 * email arguments are checked by kit/validation.ts.
 */
import { requireAuthenticated } from '../kit/authorize.ts';
import { cognitiveCloudError } from '../../core/errors.ts';
import type { Principal } from '../../core/identity.ts';
import { PERMISSIONS, type Role } from '../kit/permissions.ts';

/** Descriptions may span lines; names are single-line text (kit/validation.ts), 200 characters at most. */
export const MAX_DESCRIPTION_LENGTH = 2000;

/** Operations on the caller's own profile and session are for people; an API key acts within its project. */
export function requireUser(principal: Principal): Extract<Principal, { kind: 'user' }> {
  requireAuthenticated(principal);
  if (principal.kind !== 'user') {
    throw cognitiveCloudError('FORBIDDEN', 'This operation is for a logged-in user; an API key may not use it');
  }
  return principal;
}

/**
 * One role may grant another when it holds every permission of it (the Permissions table decides, so
 * DEVELOPER may grant READONLY but not FINANCE, whose billing rights it lacks).
 */
export function mayGrant(granter: Role, role: Role): boolean {
  return Object.values(PERMISSIONS).every((permission) => {
    const roles: readonly Role[] = permission.roles;
    return !roles.includes(role) || roles.includes(granter);
  });
}

/** Refuses granting (or touching a key or member that has) a role above the caller's own. */
export function requireMayGrant(granter: Role, role: Role, argumentName: string): void {
  if (!mayGrant(granter, role)) {
    throw cognitiveCloudError('FORBIDDEN', `Role ${granter} may not grant or change the role ${role}`, { argumentName });
  }
}
