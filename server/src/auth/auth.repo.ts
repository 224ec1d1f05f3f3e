import type { Queryable } from '../db';
import type { CommuneRole } from '../contract/auth';
import type { RoleGrant } from './policy';

/** What sign-in needs of an account. */
export interface UserAuthRow {
  id: string;
  email: string;
  passwordHash: string;
  superadmin: boolean;
  disabled: boolean;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpEnabled: boolean;
  totpLastStep: number | null;
}

interface UserDbRow {
  id: string;
  email: string;
  password_hash: string;
  superadmin: boolean;
  disabled_at: Date | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: string | null;
}

function toUser(r: UserDbRow): UserAuthRow {
  return {
    id: r.id,
    email: r.email,
    passwordHash: r.password_hash,
    superadmin: r.superadmin,
    disabled: r.disabled_at !== null,
    totpSecret: r.totp_secret,
    totpPendingSecret: r.totp_pending_secret,
    totpEnabled: r.totp_enabled_at !== null && r.totp_secret !== null,
    totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
  };
}

const USER_COLUMNS = `id, email, password_hash, superadmin, disabled_at, totp_secret, totp_pending_secret,
  totp_enabled_at, totp_last_step`;

/** An account by (lower-cased) email, disabled or not. */
export async function findUserByEmail(db: Queryable, email: string): Promise<UserAuthRow | undefined> {
  const { rows } = await db.query<UserDbRow>(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1`, [email]);
  return rows[0] && toUser(rows[0]);
}

/** An account by id. */
export async function findUserById(db: Queryable, id: string): Promise<UserAuthRow | undefined> {
  const { rows } = await db.query<UserDbRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] && toUser(rows[0]);
}

/** The roles a user holds, with their communes. */
export async function listRoles(db: Queryable, userId: string): Promise<RoleGrant[]> {
  const { rows } = await db.query<{
    commune_id: number;
    slug: string;
    name: string;
    role: CommuneRole;
    require_admin_totp: boolean;
  }>(
    `SELECT ur.commune_id, c.slug, c.name, ur.role, c.require_admin_totp
       FROM user_roles ur JOIN communes c ON c.id = ur.commune_id
      WHERE ur.user_id = $1
      ORDER BY c.name, c.id, array_position(ARRAY['crew', 'supervisor', 'admin'], ur.role)`,
    [userId],
  );
  return rows.map((r) => ({
    communeId: r.commune_id,
    communeSlug: r.slug,
    communeName: r.name,
    role: r.role,
    requireAdminTotp: r.require_admin_totp,
  }));
}

/** A new session row. */
export interface NewSession {
  idHash: Buffer;
  userId: string;
  maxSeconds: number;
  remember: boolean;
  mfa: boolean;
  ip: string | null;
  userAgent: string | null;
}

/** Stores a session; returns its absolute expiry. */
export async function insertSession(db: Queryable, s: NewSession): Promise<Date> {
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO sessions (id_hash, user_id, expires_at, remember, mfa, ip, user_agent)
     VALUES ($1, $2, now() + make_interval(secs => $3), $4, $5, $6, $7)
     RETURNING expires_at`,
    [s.idHash, s.userId, s.maxSeconds, s.remember, s.mfa, s.ip, s.userAgent?.slice(0, 400) ?? null],
  );
  return rows[0]!.expires_at;
}

/** A live session with its user (enabled), as read on every staff request. */
export interface SessionRow {
  userId: string;
  email: string;
  superadmin: boolean;
  totpEnabled: boolean;
  mfa: boolean;
  remember: boolean;
  expiresAt: Date;
  /** last_seen_at is more than a minute old: worth touching. */
  stale: boolean;
}

/**
 * The session with this id hash when it is still alive: before its absolute expiry, seen within
 * the idle timeout, and its user not disabled. Time is the database's, for every instance alike.
 */
export async function findLiveSession(
  db: Queryable,
  idHash: Buffer,
  idleSeconds: number,
): Promise<SessionRow | undefined> {
  const { rows } = await db.query<{
    user_id: string;
    email: string;
    superadmin: boolean;
    totp_enabled: boolean;
    mfa: boolean;
    remember: boolean;
    expires_at: Date;
    stale: boolean;
  }>(
    `SELECT s.user_id, u.email, u.superadmin, (u.totp_enabled_at IS NOT NULL AND u.totp_secret IS NOT NULL) AS totp_enabled,
            s.mfa, s.remember, s.expires_at, s.last_seen_at < now() - interval '60 seconds' AS stale
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = $1
        AND s.expires_at > now()
        AND s.last_seen_at > now() - make_interval(secs => $2)
        AND u.disabled_at IS NULL`,
    [idHash, idleSeconds],
  );
  const r = rows[0];
  return (
    r && {
      userId: r.user_id,
      email: r.email,
      superadmin: r.superadmin,
      totpEnabled: r.totp_enabled,
      mfa: r.mfa,
      remember: r.remember,
      expiresAt: r.expires_at,
      stale: r.stale,
    }
  );
}

/** Records activity on a session (pushes its idle expiry back). */
export async function touchSession(db: Queryable, idHash: Buffer): Promise<void> {
  await db.query('UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1', [idHash]);
}

/** Marks a session as verified with the second factor. */
export async function markSessionMfa(db: Queryable, idHash: Buffer): Promise<void> {
  await db.query('UPDATE sessions SET mfa = true WHERE id_hash = $1', [idHash]);
}

/** Ends one session. */
export async function deleteSession(db: Queryable, idHash: Buffer): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

/** Ends every session of a user, except possibly one; returns how many ended. */
export async function deleteUserSessions(db: Queryable, userId: string, except?: Buffer): Promise<number> {
  const { rowCount } = await db.query(
    'DELETE FROM sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR id_hash <> $2)',
    [userId, except ?? null],
  );
  return rowCount ?? 0;
}

/** Deletes sessions past their absolute expiry or idle for longer than `idleSeconds`. */
export async function deleteExpiredSessions(db: Queryable, idleSeconds: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1)`,
    [idleSeconds],
  );
  return rowCount ?? 0;
}

/** Replaces a user's password hash. */
export async function setPasswordHash(db: Queryable, userId: string, passwordHash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [
    userId,
    passwordHash,
  ]);
}

/** Records the TOTP step just used, unless a later one was recorded (concurrent sign-ins). */
export async function useTotpStep(db: Queryable, userId: string, step: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE users SET totp_last_step = $2
      WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
    [userId, step],
  );
  return rowCount === 1;
}

/** Stores a TOTP secret waiting for its first code. */
export async function setPendingTotp(db: Queryable, userId: string, secret: string): Promise<void> {
  await db.query('UPDATE users SET totp_pending_secret = $2, updated_at = now() WHERE id = $1', [
    userId,
    secret,
  ]);
}

/** Turns the pending secret into the account's second factor. */
export async function enableTotp(db: Queryable, userId: string, step: number): Promise<void> {
  await db.query(
    `UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled_at = now(),
                      totp_last_step = $2, updated_at = now()
      WHERE id = $1 AND totp_pending_secret IS NOT NULL`,
    [userId, step],
  );
}

/** Removes the account's second factor. */
export async function disableTotp(db: Queryable, userId: string): Promise<void> {
  await db.query(
    `UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL,
                      totp_last_step = NULL, updated_at = now()
      WHERE id = $1`,
    [userId],
  );
}
