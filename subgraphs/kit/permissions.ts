/**
 * The Permissions table of the Cognitive Cloud seed (000_cac65fb56352725f.txt, "Permissions"), the one
 * source of truth for roles: `list_role_permissions` returns it, and the gateway and every subgraph enforce
 * it through `can()`.
 */
export const ROLES = ['ADMIN', 'DEVELOPER', 'READONLY', 'FINANCE'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  EDIT_PROJECT: { description: "Edit a project's details", roles: ['ADMIN'] },
  VIEW_PROJECT: { description: "View a project's dashboard", roles: ['ADMIN', 'DEVELOPER', 'READONLY', 'FINANCE'] },
  VIEW_JOBS: { description: 'View jobs', roles: ['ADMIN', 'DEVELOPER', 'READONLY', 'FINANCE'] },
  CREATE_JOBS: { description: 'Create jobs', roles: ['ADMIN', 'DEVELOPER'] },
  VIEW_API_KEYS: { description: 'View API keys', roles: ['ADMIN', 'DEVELOPER'] },
  CREATE_API_KEYS: { description: 'Create API keys', roles: ['ADMIN', 'DEVELOPER'] },
  EDIT_API_KEYS: { description: 'Edit API keys', roles: ['ADMIN', 'DEVELOPER'] },
  DELETE_API_KEYS: { description: 'Delete API keys', roles: ['ADMIN', 'DEVELOPER'] },
  VIEW_TEAM_MEMBERS: { description: 'View team members', roles: ['ADMIN', 'DEVELOPER', 'READONLY', 'FINANCE'] },
  INVITE_TEAM_MEMBERS: { description: 'Invite team members', roles: ['ADMIN'] },
  EDIT_TEAM_MEMBERS: { description: 'Edit team members', roles: ['ADMIN'] },
  REMOVE_TEAM_MEMBERS: { description: 'Remove team members', roles: ['ADMIN'] },
  VIEW_BILLING_INFO: { description: 'View billing info', roles: ['ADMIN', 'FINANCE'] },
  EDIT_BILLING_INFO: { description: 'Edit billing info', roles: ['ADMIN', 'FINANCE'] },
  CLEAR_BILLING_INFO: { description: 'Clear billing info', roles: ['ADMIN', 'FINANCE'] },
  VIEW_INVOICES: { description: 'View invoices', roles: ['ADMIN', 'DEVELOPER', 'READONLY', 'FINANCE'] },
  PAY_INVOICES: { description: 'Pay invoices', roles: ['ADMIN', 'FINANCE'] },
  // Not in the seed's table, which has no media rows: media's choice, in subgraphs/media/README.md.
  VIEW_MEDIA_LIBRARIES: {
    description: 'View media libraries, assets and custom domains',
    roles: ['ADMIN', 'DEVELOPER', 'READONLY', 'FINANCE'],
  },
  EDIT_MEDIA_LIBRARIES: {
    description: 'Create, change and delete media libraries, assets and custom domains',
    roles: ['ADMIN', 'DEVELOPER'],
  },
  // Not in the seed's table, which has no CDN rows: the cdn subgraph's choice, in subgraphs/cdn/README.md.
  VIEW_CDN: { description: 'View distributions, invalidations and certificates', roles: ['ADMIN', 'DEVELOPER', 'READONLY', 'FINANCE'] },
  EDIT_CDN: { description: 'Create, change and delete distributions, invalidations and certificates', roles: ['ADMIN', 'DEVELOPER'] },
} as const satisfies Record<string, { description: string; roles: readonly Role[] }>;

export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: string | undefined, permission: Permission): boolean {
  return isRole(role) && (PERMISSIONS[permission].roles as readonly Role[]).includes(role);
}
