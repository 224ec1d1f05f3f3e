import type { Pool } from 'pg';
import type { CommuneRole } from '../contract/auth';
import { withTransaction, type Queryable } from '../db';
import { AuthorizationError, ConflictError, ValidationError } from '../errors';
import { insertAudit, type AuditEntry } from '../audit/audit.repo';
import { deleteUserSessions, setPasswordHash, disableTotp } from '../auth/auth.repo';
import { checkNewPassword } from '../auth/auth.service';
import { hashPassword } from '../auth/passwords';
import { can, type Principal } from '../auth/policy';
import * as repo from './users.repo';

/**
 * Account administration, shared by the admins' JSON API and the command-line tool. Each
 * change is written to the audit log with who made it: a signed-in user (API) or the CLI.
 */

/** Who makes a change, for the audit log. */
export type Actor = Pick<AuditEntry, 'actorKind' | 'actorUserId' | 'requestId' | 'ip'>;

/** The command-line tool, run by whoever has access to the server. */
export const CLI_ACTOR: Actor = { actorKind: 'cli', actorUserId: null, requestId: null, ip: null };

async function audit(db: Queryable, actor: Actor, e: Omit<AuditEntry, keyof Actor>): Promise<void> {
  await insertAudit(db, { ...actor, ...e });
}

/** What it takes to create an account (or add a role to an existing one). */
export interface NewUser {
  email: string;
  /** Required for a new account; ignored when the address already has one. */
  password?: string | undefined;
  /** The commune role to grant, if any. */
  commune?: { id: number; role: CommuneRole } | undefined;
  superadmin?: boolean;
}

/**
 * Creates an account with the role, or, when the address already has an account, adds the
 * role to it (its password stays as it is). Returns the user id and whether it was created.
 */
export async function createUser(
  pool: Pool,
  actor: Actor,
  u: NewUser,
): Promise<{ id: string; created: boolean }> {
  const existing = await repo.findUser(pool, u.email);
  let hash: string | undefined;
  if (!existing) {
    if (!u.password)
      throw ValidationError('password: is required for a new account', 'password', 'invalid_request');
    checkNewPassword(u.password, u.email);
    hash = await hashPassword(u.password);
  }
  return withTransaction(pool, async (tx) => {
    let id = existing?.id;
    let created = false;
    if (!id) {
      id = await repo.insertUser(tx, {
        email: u.email,
        passwordHash: hash!,
        superadmin: u.superadmin ?? false,
      });
      if (!id)
        throw ConflictError(
          'An account with this email was just created; try again.',
          'email_taken',
          'email',
        );
      created = true;
      await audit(tx, actor, {
        action: 'user_created',
        outcome: 'success',
        communeId: u.commune?.id ?? null,
        objectType: 'user',
        objectId: id,
        data: { superadmin: u.superadmin ?? false },
      });
    } else if (u.superadmin && !existing?.superadmin) {
      await repo.setSuperadmin(tx, id, true);
      await audit(tx, actor, {
        action: 'role_granted',
        outcome: 'success',
        objectType: 'user',
        objectId: id,
        data: { role: 'superadmin' },
      });
    }
    if (u.commune) await grantIn(tx, actor, id, u.commune.id, u.commune.role);
    return { id, created };
  });
}

async function grantIn(
  db: Queryable,
  actor: Actor,
  userId: string,
  communeId: number,
  role: CommuneRole,
): Promise<boolean> {
  const granted = await repo.insertRole(db, userId, communeId, role, actor.actorUserId ?? null);
  if (granted)
    await audit(db, actor, {
      action: 'role_granted',
      outcome: 'success',
      communeId,
      objectType: 'user',
      objectId: userId,
      data: { role },
    });
  return granted;
}

/** Grants a role in a commune (idempotent); true when it was new. */
export function grantRole(
  pool: Pool,
  actor: Actor,
  userId: string,
  communeId: number,
  role: CommuneRole,
): Promise<boolean> {
  return withTransaction(pool, (tx) => grantIn(tx, actor, userId, communeId, role));
}

/**
 * Revokes a role in a commune (idempotent); true when it was held. With `keepOneAdmin`, the
 * last enabled admin of a commune cannot lose the role (409), so a commune is never left
 * without anyone to manage it from the API.
 */
export async function revokeRole(
  pool: Pool,
  actor: Actor,
  userId: string,
  communeId: number,
  role: CommuneRole,
  keepOneAdmin: boolean,
): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    const revoked = await repo.deleteRole(tx, userId, communeId, role);
    if (!revoked) return false;
    if (keepOneAdmin && role === 'admin' && (await repo.countActiveAdmins(tx, communeId)) === 0)
      throw ConflictError(
        'This is the last admin of the commune: grant the role to someone else first.',
        'last_admin',
      );
    await audit(tx, actor, {
      action: 'role_revoked',
      outcome: 'success',
      communeId,
      objectType: 'user',
      objectId: userId,
      data: { role },
    });
    return true;
  });
}

/** Disables an account and ends all its sessions at once; true when it was enabled. */
export async function disableUser(
  pool: Pool,
  actor: Actor,
  userId: string,
  communeId: number | null,
): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    const changed = await repo.setDisabled(tx, userId, true);
    const ended = await deleteUserSessions(tx, userId);
    if (changed)
      await audit(tx, actor, {
        action: 'user_disabled',
        outcome: 'success',
        communeId,
        objectType: 'user',
        objectId: userId,
        data: { sessionsEnded: ended },
      });
    return changed;
  });
}

/** Re-enables an account; true when it was disabled. */
export async function enableUser(
  pool: Pool,
  actor: Actor,
  userId: string,
  communeId: number | null,
): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    const changed = await repo.setDisabled(tx, userId, false);
    if (changed)
      await audit(tx, actor, {
        action: 'user_enabled',
        outcome: 'success',
        communeId,
        objectType: 'user',
        objectId: userId,
      });
    return changed;
  });
}

/** Sets a new password (operator reset) and ends the account's sessions. */
export async function resetPassword(
  pool: Pool,
  actor: Actor,
  userId: string,
  email: string,
  password: string,
): Promise<void> {
  checkNewPassword(password, email);
  const hash = await hashPassword(password);
  await withTransaction(pool, async (tx) => {
    await setPasswordHash(tx, userId, hash);
    await deleteUserSessions(tx, userId);
    await audit(tx, actor, {
      action: 'password_reset',
      outcome: 'success',
      objectType: 'user',
      objectId: userId,
    });
  });
}

/** Removes an account's second factor (lost phone) and ends its sessions. */
export async function resetTotp(pool: Pool, actor: Actor, userId: string): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await disableTotp(tx, userId);
    await deleteUserSessions(tx, userId);
    await audit(tx, actor, {
      action: 'totp_reset',
      outcome: 'success',
      objectType: 'user',
      objectId: userId,
    });
  });
}

/** Turns a commune's second-factor requirement for admins on or off. */
export async function setRequireAdminTotp(
  pool: Pool,
  actor: Actor,
  communeId: number,
  on: boolean,
): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await repo.setRequireAdminTotp(tx, communeId, on);
    await audit(tx, actor, {
      action: 'settings_changed',
      outcome: 'success',
      communeId,
      objectType: 'commune',
      objectId: String(communeId),
      data: { requireAdminTotp: on },
    });
  });
}

/**
 * An account is deployment-wide: a commune admin may disable or re-enable it only when every
 * role it holds is in a commune they administer, and never a superadmin's (otherwise: revoke its
 * roles in their commune; a superadmin can disable it). Nobody disables their own account.
 */
async function assertAccountInScope(pool: Pool, principal: Principal, userId: string): Promise<void> {
  const target = await repo.findUserById(pool, userId);
  const communes = await repo.userCommuneIds(pool, userId);
  if (
    (target?.superadmin && !principal.superadmin) ||
    !communes.every((c) => can(principal, 'users:manage', c))
  )
    throw AuthorizationError('This account also works for other communes: revoke its roles here instead.');
}

/** Disables an account on behalf of a commune admin (see assertAccountInScope). */
export async function disableUserFor(
  pool: Pool,
  actor: Actor,
  principal: Principal,
  userId: string,
  communeId: number,
): Promise<void> {
  if (userId === principal.userId)
    throw ConflictError('You cannot disable your own account.', 'cannot_disable_self');
  await assertAccountInScope(pool, principal, userId);
  await disableUser(pool, actor, userId, communeId);
}

/** Re-enables an account on behalf of a commune admin (see assertAccountInScope). */
export async function enableUserFor(
  pool: Pool,
  actor: Actor,
  principal: Principal,
  userId: string,
  communeId: number,
): Promise<void> {
  await assertAccountInScope(pool, principal, userId);
  await enableUser(pool, actor, userId, communeId);
}
