/**
 * The project check of billing's resolvers: kit/authorize.ts, plus one case of its own. A project created
 * in the same request as the query that reads it (`create_project { current_spend }`) is newer than the
 * caller's signed principal, whose roles were computed before it existed. For such a project billing
 * `@requires` accounts' `Project.my_role`, which accounts computes from its store: the gateway builds that
 * representation from accounts' answer (clients cannot send `_entities`), so it is trusted, and only for a
 * signed-in user (an API key's project never changes) in a project the principal does not know yet.
 */
import { authorize, roleIn } from '../kit/authorize.ts';
import { cognitiveCloudError } from '../../core/errors.ts';
import type { Principal } from '../../core/identity.ts';
import { can, isRole, PERMISSIONS, type Permission, type Role } from '../kit/permissions.ts';

export interface ProjectReference {
  id: string;
  /** From accounts, through `@requires(fields: "my_role")`. */
  my_role?: unknown;
}

export function authorizeProject(principal: Principal, project: ProjectReference, permission: Permission, argumentName = 'id'): Role {
  const known = roleIn(principal, project.id);
  const reported = principal.kind === 'user' && !known && isRole(project.my_role) ? project.my_role : undefined;
  if (!reported) return authorize(principal, project.id, permission, argumentName);
  if (!can(reported, permission)) {
    throw cognitiveCloudError('FORBIDDEN', `Role ${reported} may not: ${PERMISSIONS[permission].description}`, { permission });
  }
  return reported;
}
