/** Checks of arguments and callers shared by the accounts resolvers; each error names the argument. */
import { requireAuthenticated } from '../kit/authorize.ts';
import { badUserInput, cognitiveCloudError } from '../kit/errors.ts';
import type { Principal } from '../kit/identity.ts';
import { PERMISSIONS, type Role } from '../kit/permissions.ts';
import { isEmail } from './settings.ts';

export const MAX_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 2000;

export function requireText(value: string, argumentName: string, maxLength = MAX_NAME_LENGTH): string {
  const trimmed = value.trim();
  if (trimmed === '') throw badUserInput(argumentName, 'must not be empty');
  if (trimmed.length > maxLength) throw badUserInput(argumentName, `must be at most ${maxLength} characters`);
  return trimmed;
}

/** Emails are compared lower-cased: Ada@Example.com and ada@example.com are one user. */
export function requireEmail(value: string, argumentName = 'email'): string {
  const email = value.trim().toLowerCase();
  if (!isEmail(email)) throw badUserInput(argumentName, 'must be an email address');
  return email;
}

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
