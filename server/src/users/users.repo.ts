import type { Queryable } from '../db';
import type { CommuneRole } from '../contract/auth';
import type { CommuneSettings, CommuneUserView } from '../contract/staff';

/** The users holding a role in a commune, with only their roles there. */
export async function listCommuneUsers(db: Queryable, communeId: number): Promise<CommuneUserView[]> {
  const { rows } = await db.query<{
    id: string;
    email: string;
    roles: CommuneRole[];
    disabled: boolean;
    totp_enabled: boolean;
    created_at: Date;
  }>(
    `SELECT u.id, u.email, u.disabled_at IS NOT NULL AS disabled, u.totp_enabled_at IS NOT NULL AS totp_enabled,
            u.created_at,
            array_agg(ur.role ORDER BY array_position(ARRAY['crew', 'supervisor', 'admin'], ur.role)) AS roles
       FROM users u JOIN user_roles ur ON ur.user_id = u.id
      WHERE ur.commune_id = $1
      GROUP BY u.id
      ORDER BY u.email`,
    [communeId],
  );
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    roles: r.roles,
    disabled: r.disabled,
    totpEnabled: r.totp_enabled,
    createdAt: r.created_at.toISOString(),
  }));
}

/** One user as a commune's admins see them, when they hold a role there. */
export async function findCommuneUser(
  db: Queryable,
  communeId: number,
  userId: string,
): Promise<CommuneUserView | undefined> {
  return (await listCommuneUsers(db, communeId)).find((u) => u.id === userId);
}

/** An account's identity and standing. */
export interface UserRow {
  id: string;
  email: string;
  superadmin: boolean;
  disabled: boolean;
}

/** An account by email. */
export async function findUser(db: Queryable, email: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<{ id: string; email: string; superadmin: boolean; disabled: boolean }>(
    'SELECT id, email, superadmin, disabled_at IS NOT NULL AS disabled FROM users WHERE email = $1',
    [email],
  );
  return rows[0];
}

/** An account by id. */
export async function findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    'SELECT id, email, superadmin, disabled_at IS NOT NULL AS disabled FROM users WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** Creates an account unless the email has one; returns the new id, or undefined. */
export async function insertUser(
  db: Queryable,
  u: { email: string; passwordHash: string; superadmin: boolean },
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, superadmin) VALUES ($1, $2, $3)
     ON CONFLICT (email) DO NOTHING RETURNING id`,
    [u.email, u.passwordHash, u.superadmin],
  );
  return rows[0]?.id;
}

/** Grants a role; false when the user already held it. */
export async function insertRole(
  db: Queryable,
  userId: string,
  communeId: number,
  role: CommuneRole,
  grantedBy: string | null,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO user_roles (user_id, commune_id, role, granted_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [userId, communeId, role, grantedBy],
  );
  return rowCount === 1;
}

/** Revokes a role; false when the user did not hold it. */
export async function deleteRole(
  db: Queryable,
  userId: string,
  communeId: number,
  role: CommuneRole,
): Promise<boolean> {
  const { rowCount } = await db.query(
    'DELETE FROM user_roles WHERE user_id = $1 AND commune_id = $2 AND role = $3',
    [userId, communeId, role],
  );
  return rowCount === 1;
}

/** Enabled admins of a commune (to keep at least one). */
export async function countActiveAdmins(db: Queryable, communeId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM user_roles ur JOIN users u ON u.id = ur.user_id
      WHERE ur.commune_id = $1 AND ur.role = 'admin' AND u.disabled_at IS NULL`,
    [communeId],
  );
  return rows[0]!.n;
}

/** The communes where a user holds any role. */
export async function userCommuneIds(db: Queryable, userId: string): Promise<number[]> {
  const { rows } = await db.query<{ commune_id: number }>(
    'SELECT DISTINCT commune_id FROM user_roles WHERE user_id = $1 ORDER BY commune_id',
    [userId],
  );
  return rows.map((r) => r.commune_id);
}

/** Disables or re-enables an account; false when it already was. */
export async function setDisabled(db: Queryable, userId: string, disabled: boolean): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE users SET disabled_at = CASE WHEN $2 THEN now() END, updated_at = now()
      WHERE id = $1 AND (disabled_at IS NOT NULL) <> $2`,
    [userId, disabled],
  );
  return rowCount === 1;
}

/** Makes an account a superadmin or not. */
export async function setSuperadmin(db: Queryable, userId: string, superadmin: boolean): Promise<void> {
  await db.query('UPDATE users SET superadmin = $2, updated_at = now() WHERE id = $1', [userId, superadmin]);
}

/** A commune's settings (security, photos, retention, privacy contact). */
export async function getCommuneSettings(
  db: Queryable,
  communeId: number,
): Promise<CommuneSettings | undefined> {
  const { rows } = await db.query<{
    require_admin_totp: boolean;
    photos_public: boolean;
    contact_retention_months: number;
    location_retention_years: number;
    privacy_contact: string | null;
  }>(
    `SELECT require_admin_totp, photos_public, contact_retention_months, location_retention_years, privacy_contact
       FROM communes WHERE id = $1`,
    [communeId],
  );
  const r = rows[0];
  return (
    r && {
      requireAdminTotp: r.require_admin_totp,
      photosPublic: r.photos_public,
      contactRetentionMonths: r.contact_retention_months,
      locationRetentionYears: r.location_retention_years,
      privacyContact: r.privacy_contact,
    }
  );
}

/** Turns the admins' second-factor requirement on or off. */
export async function setRequireAdminTotp(db: Queryable, communeId: number, on: boolean): Promise<void> {
  await db.query('UPDATE communes SET require_admin_totp = $2 WHERE id = $1', [communeId, on]);
}

/** Every account with its roles (for the command-line tool). */
export async function listAllUsers(
  db: Queryable,
  communeId: number | undefined,
): Promise<Array<UserRow & { roles: string[] }>> {
  const { rows } = await db.query<UserRow & { roles: string[] | null }>(
    `SELECT u.id, u.email, u.superadmin, u.disabled_at IS NOT NULL AS disabled,
            array_remove(array_agg(c.slug || ':' || ur.role ORDER BY c.slug, ur.role), NULL) AS roles
       FROM users u
       LEFT JOIN user_roles ur ON ur.user_id = u.id
       LEFT JOIN communes c ON c.id = ur.commune_id
      WHERE $1::int IS NULL OR u.id IN (SELECT user_id FROM user_roles WHERE commune_id = $1)
      GROUP BY u.id
      ORDER BY u.email`,
    [communeId ?? null],
  );
  return rows.map((r) => ({ ...r, roles: r.roles ?? [] }));
}
