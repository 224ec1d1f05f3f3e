import { describe, expect, it } from 'vitest';
import {
  can,
  communesWhere,
  isActive,
  refusal,
  ROLE_PERMISSIONS,
  type Principal,
  type RoleGrant,
} from '../../../server/src/auth/policy';

const grant = (communeId: number, role: RoleGrant['role'], requireAdminTotp = false): RoleGrant => ({
  communeId,
  communeSlug: `c${communeId}`,
  communeName: `C${communeId}`,
  role,
  requireAdminTotp,
});
const principal = (roles: RoleGrant[], over: Partial<Principal> = {}): Principal => ({
  userId: 'u',
  email: 'u@example.org',
  superadmin: false,
  totpEnabled: false,
  mfa: false,
  roles,
  ...over,
});

describe('auth policy', () => {
  it('gives each role its permissions in its own commune only', () => {
    const crew = principal([grant(1, 'crew')]);
    expect(can(crew, 'reports:read', 1)).toBe(true);
    expect(can(crew, 'reports:status', 1)).toBe(true);
    expect(can(crew, 'reports:contact', 1)).toBe(false);
    expect(can(crew, 'users:manage', 1)).toBe(false);
    expect(can(crew, 'reports:read', 2)).toBe(false);
    const sup = principal([grant(1, 'supervisor')]);
    expect(can(sup, 'reports:moderate', 1)).toBe(true);
    expect(can(sup, 'reports:contact', 1)).toBe(true);
    expect(can(sup, 'users:manage', 1)).toBe(false);
    const admin = principal([grant(1, 'admin')]);
    expect(can(admin, 'users:manage', 1)).toBe(true);
    expect(can(admin, 'reports:contact', 1)).toBe(true);
    expect(can(admin, 'reports:status', 1)).toBe(false);
  });

  it('never lets crews see contact data', () => {
    expect(ROLE_PERMISSIONS.crew).not.toContain('reports:contact');
  });

  it('combines roles held in several communes, commune by commune', () => {
    const p = principal([grant(1, 'crew'), grant(2, 'supervisor'), grant(3, 'admin')]);
    expect(communesWhere(p, 'reports:read')).toEqual([1, 2, 3]);
    expect(communesWhere(p, 'reports:contact')).toEqual([2, 3]);
    expect(communesWhere(p, 'users:manage')).toEqual([3]);
    expect(can(p, 'reports:contact', 1)).toBe(false);
  });

  it('gives a superadmin everything, everywhere', () => {
    const root = principal([], { superadmin: true });
    expect(can(root, 'users:manage', 99)).toBe(true);
    expect(communesWhere(root, 'reports:read')).toBe('all');
    expect(refusal(root, 'audit:read', 5)).toBeUndefined();
  });

  it('answers "not found" outside the user\u2019s communes and "forbidden" inside them', () => {
    const crew = principal([grant(1, 'crew')]);
    expect(refusal(crew, 'users:manage', 1)).toBe('forbidden');
    expect(refusal(crew, 'users:manage', 2)).toBe('not_found');
    expect(refusal(crew, 'reports:read', 2)).toBe('not_found');
    expect(refusal(crew, 'reports:read', 1)).toBeUndefined();
  });

  it('ignores an admin role that needs a second factor the session did not use', () => {
    const g = grant(1, 'admin', true);
    expect(isActive(principal([g]), g)).toBe(false);
    expect(can(principal([g]), 'users:manage', 1)).toBe(false);
    expect(refusal(principal([g]), 'users:manage', 1)).toBe('forbidden');
    expect(can(principal([g], { mfa: true }), 'users:manage', 1)).toBe(true);
    // Other roles in that commune are unaffected.
    const crew = grant(1, 'crew', true);
    expect(can(principal([crew]), 'reports:read', 1)).toBe(true);
  });
});
