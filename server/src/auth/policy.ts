import type { CommuneRole } from '../contract/auth';

/**
 * Who may do what, where. Pure: no database, no Express. Every staff route asks this module,
 * so the rules live in one place and the authorisation matrix test checks them end to end.
 */

/** What an action needs. Later features (plans, categories, statistics) add theirs here. */
export type Permission =
  | 'reports:read'
  | 'reports:contact'
  | 'reports:status'
  | 'reports:moderate'
  | 'reports:triage'
  | 'reports:note'
  | 'photos:original'
  | 'reports:export'
  | 'reports:export_contact'
  | 'plans:read'
  | 'plans:write'
  | 'crews:read'
  | 'stats:read'
  | 'users:manage'
  | 'categories:manage'
  | 'settings:manage'
  | 'audit:read';

/**
 * Permissions of each role within its commune. Crews see and update the reports and plans of
 * their commune; supervisors also plan, triage, moderate, read statistics and reporters'
 * contact data; admins manage users, categories and settings and read reports with contact data.
 *
 * Reports (issue 6): `reports:triage` (category, priority, location, public updates to the
 * resident) and `reports:moderate` (any status, duplicates and merges, hiding, public text,
 * photos) are the supervisors'. Crews set the field statuses and write internal notes
 * (`reports:note`: what they saw on site). Admins run the commune, not its reports: they read
 * them and write internal notes (e.g. what a data-protection request changed), and they alone
 * open the original of a redacted photo (`photos:original`), which a redaction exists to keep
 * from everybody else; an admin who also triages holds the supervisor role too.
 */
export const ROLE_PERMISSIONS: Readonly<Record<CommuneRole, readonly Permission[]>> = {
  crew: ['reports:read', 'reports:status', 'reports:note', 'plans:read', 'crews:read'],
  supervisor: [
    'reports:read',
    'reports:contact',
    'reports:status',
    'reports:moderate',
    'reports:triage',
    'reports:note',
    'reports:export',
    'plans:read',
    'plans:write',
    'crews:read',
    'stats:read',
  ],
  admin: [
    'reports:read',
    'reports:contact',
    'reports:note',
    'photos:original',
    'reports:export',
    // Exports carry reporters' contact data for admins only (supervisors see it report by report).
    'reports:export_contact',
    'stats:read',
    'users:manage',
    'categories:manage',
    'settings:manage',
    'crews:read',
    'audit:read',
  ],
};

/** A role held in a commune. */
export interface RoleGrant {
  communeId: number;
  communeSlug: string;
  communeName: string;
  role: CommuneRole;
  /** The commune requires a second factor for its admins. */
  requireAdminTotp: boolean;
}

/** The signed-in staff member behind a request. */
export interface Principal {
  userId: string;
  email: string;
  superadmin: boolean;
  totpEnabled: boolean;
  roles: readonly RoleGrant[];
  /** This session was opened (or upgraded) with the second factor. */
  mfa: boolean;
}

/**
 * Whether a grant is in force for this session: an admin role in a commune that requires a
 * second factor counts only in a session verified with it.
 */
export function isActive(p: Pick<Principal, 'mfa'>, g: RoleGrant): boolean {
  return !(g.role === 'admin' && g.requireAdminTotp && !p.mfa);
}

/** True when the user holds any role (active or not) in the commune, or is a superadmin. */
export function belongsTo(p: Principal, communeId: number): boolean {
  return p.superadmin || p.roles.some((g) => g.communeId === communeId);
}

/** True when the user may do `permission` in the commune. */
export function can(p: Principal, permission: Permission, communeId: number): boolean {
  if (p.superadmin) return true;
  return p.roles.some(
    (g) => g.communeId === communeId && isActive(p, g) && ROLE_PERMISSIONS[g.role].includes(permission),
  );
}

/** The communes where the user may do `permission`; 'all' for a superadmin. */
export function communesWhere(p: Principal, permission: Permission): 'all' | number[] {
  if (p.superadmin) return 'all';
  const ids = p.roles
    .filter((g) => isActive(p, g) && ROLE_PERMISSIONS[g.role].includes(permission))
    .map((g) => g.communeId);
  return [...new Set(ids)].sort((a, b) => a - b);
}

/**
 * How a commune-scoped request is refused: 'not_found' when the user has nothing to do with the
 * commune (the same 404 as a missing object, so other communes' data stays invisible),
 * 'forbidden' when they belong to it but lack the permission, undefined when allowed.
 */
export function refusal(
  p: Principal,
  permission: Permission,
  communeId: number,
): 'not_found' | 'forbidden' | undefined {
  if (can(p, permission, communeId)) return undefined;
  return belongsTo(p, communeId) ? 'forbidden' : 'not_found';
}
