import type { Request } from 'express';
import type { Pool } from 'pg';
import type { SecurityConfig } from '../config';
import type { ChangePasswordBody, MeAnswer, TotpSetupAnswer } from '../contract/auth';
import { withTransaction } from '../db';
import {
  AppError,
  ConflictError,
  InvalidCredentialsError,
  InvalidTotpError,
  TotpRequiredError,
  ValidationError,
} from '../errors';
import { auditRequest } from '../audit/audit.service';
import { consume, forget } from '../http/rate-limit';
import * as repo from './auth.repo';
import { passwordProblem, PASSWORD_MESSAGES, hashPassword, verifyDummy, verifyPassword } from './passwords';
import { isActive, type Principal } from './policy';
import type { StaffSession } from './request';
import { hashSessionId, newSessionId } from './sessions';
import { newTotpSecret, totpUri, verifyTotp } from './totp';

/** What the auth service needs: the database, the limits, and a clock (for TOTP codes). */
export interface AuthDeps {
  pool: Pool;
  security: SecurityConfig;
  /** Milliseconds since the epoch; tests can fake it. */
  now?: () => number;
}

/** What sign-in asks for. */
export interface SignInInput {
  email: string;
  password: string;
  remember: boolean;
  totp?: string | undefined;
}

/** A new session, to be sent as a cookie. */
export interface SignedIn {
  sessionId: string;
  principal: Principal;
  session: StaffSession;
}

const LOGIN_IP = 'login_ip';
const LOGIN_ACCOUNT = 'login_account';

/**
 * Signs a staff member in. Every failure (unknown email, wrong password, disabled account)
 * gives the same 401 after the same work (an unknown email still costs one argon2
 * verification). Attempts are throttled per client address and per account (429 with
 * Retry-After), counted before the password is even looked at. A success resets the account's
 * count, ends the session the browser had (no fixation) and starts a new one.
 */
export async function signIn(
  deps: AuthDeps,
  input: SignInInput,
  req: Request,
  previous: Buffer | undefined,
): Promise<SignedIn> {
  const { login } = deps.security;
  const fail = async (reason: string, userId: string | null, err: AppError): Promise<never> => {
    await auditRequest(deps.pool, req, {
      actorKind: userId ? 'user' : 'anonymous',
      actorUserId: userId,
      action: 'sign_in',
      outcome: 'failure',
      objectType: 'user',
      objectId: userId,
      data: { reason },
    });
    throw err;
  };
  try {
    await consume(
      deps.pool,
      { bucket: LOGIN_IP, max: login.perIp, windowSeconds: login.windowSeconds },
      req.ip ?? '',
    );
    await consume(
      deps.pool,
      { bucket: LOGIN_ACCOUNT, max: login.perAccount, windowSeconds: login.windowSeconds },
      input.email,
    );
  } catch (err) {
    if (err instanceof AppError && err.status === 429) return fail('rate_limited', null, err);
    throw err;
  }

  const user = await repo.findUserByEmail(deps.pool, input.email);
  if (!user) {
    await verifyDummy(input.password);
    return fail('unknown_account', null, InvalidCredentialsError());
  }
  if (!(await verifyPassword(user.passwordHash, input.password)))
    return fail('wrong_password', user.id, InvalidCredentialsError());
  if (user.disabled) return fail('disabled', user.id, InvalidCredentialsError());

  let mfa = false;
  if (user.totpEnabled && user.totpSecret) {
    if (!input.totp) return fail('totp_required', user.id, TotpRequiredError());
    const step = verifyTotp(user.totpSecret, input.totp, user.totpLastStep, (deps.now ?? Date.now)());
    if (step === undefined || !(await repo.useTotpStep(deps.pool, user.id, step)))
      return fail('wrong_totp', user.id, InvalidTotpError());
    mfa = true;
  }

  await forget(deps.pool, LOGIN_ACCOUNT, input.email);
  const sessionId = newSessionId();
  const idHash = hashSessionId(sessionId);
  const expiresAt = await withTransaction(deps.pool, async (tx) => {
    if (previous) await repo.deleteSession(tx, previous);
    return repo.insertSession(tx, {
      idHash,
      userId: user.id,
      maxSeconds: deps.security.sessionMaxSeconds,
      remember: input.remember,
      mfa,
      ip: req.ip ?? null,
      userAgent: req.get('user-agent') ?? null,
    });
  });
  await auditRequest(deps.pool, req, {
    actorKind: 'user',
    actorUserId: user.id,
    action: 'sign_in',
    outcome: 'success',
    objectType: 'user',
    objectId: user.id,
    data: { remember: input.remember, mfa },
  });
  const roles = await repo.listRoles(deps.pool, user.id);
  return {
    sessionId,
    principal: {
      userId: user.id,
      email: user.email,
      superadmin: user.superadmin,
      totpEnabled: user.totpEnabled,
      roles,
      mfa,
    },
    session: { idHash, remember: input.remember, mfa, expiresAt },
  };
}

/** The principal and session behind a session id hash, when the session is alive. */
export async function loadSession(
  deps: AuthDeps,
  idHash: Buffer,
): Promise<{ principal: Principal; session: StaffSession } | undefined> {
  const s = await repo.findLiveSession(deps.pool, idHash, deps.security.sessionIdleSeconds);
  if (!s) return undefined;
  if (s.stale) await repo.touchSession(deps.pool, idHash);
  const roles = await repo.listRoles(deps.pool, s.userId);
  return {
    principal: {
      userId: s.userId,
      email: s.email,
      superadmin: s.superadmin,
      totpEnabled: s.totpEnabled,
      roles,
      mfa: s.mfa,
    },
    session: { idHash, remember: s.remember, mfa: s.mfa, expiresAt: s.expiresAt },
  };
}

/** Ends the request's session server-side. */
export async function signOut(deps: AuthDeps, req: Request): Promise<void> {
  if (!req.staffSession) return;
  await repo.deleteSession(deps.pool, req.staffSession.idHash);
  await auditRequest(deps.pool, req, {
    action: 'sign_out',
    outcome: 'success',
    objectType: 'user',
    objectId: req.principal?.userId ?? null,
  });
}

/** The signed-in user as the staff screen sees them. */
export function meAnswer(p: Principal, s: StaffSession, security: SecurityConfig): MeAnswer {
  return {
    user: { id: p.userId, email: p.email, superadmin: p.superadmin, totpEnabled: p.totpEnabled },
    roles: p.roles.map((g) => ({
      commune: { id: g.communeId, slug: g.communeSlug, name: g.communeName },
      role: g.role,
      active: isActive(p, g),
    })),
    session: {
      mfa: s.mfa,
      remember: s.remember,
      expiresAt: s.expiresAt.toISOString(),
      idleTimeoutSeconds: security.sessionIdleSeconds,
    },
  };
}

/** Throws a 400 naming `field` when a new password breaks the policy. */
export function checkNewPassword(password: string, email: string, field = 'password'): void {
  const problem = passwordProblem(password, [email, email.split('@')[0] ?? '']);
  if (problem) throw ValidationError(`${field}: ${PASSWORD_MESSAGES[problem]}`, field, `password_${problem}`);
}

/** Changes the signed-in user's password and ends their other sessions. */
export async function changePassword(
  deps: AuthDeps,
  req: Request,
  p: Principal,
  body: ChangePasswordBody,
): Promise<void> {
  const { login } = deps.security;
  await consume(
    deps.pool,
    { bucket: LOGIN_ACCOUNT, max: login.perAccount, windowSeconds: login.windowSeconds },
    p.email,
  );
  const user = await repo.findUserById(deps.pool, p.userId);
  if (!user || !(await verifyPassword(user.passwordHash, body.currentPassword))) {
    await auditRequest(deps.pool, req, {
      action: 'password_changed',
      outcome: 'failure',
      objectType: 'user',
      objectId: p.userId,
      data: { reason: 'wrong_password' },
    });
    throw new AppError(
      400,
      'wrong_password',
      'currentPassword: the current password is incorrect.',
      'currentPassword',
    );
  }
  checkNewPassword(body.newPassword, p.email, 'newPassword');
  const hash = await hashPassword(body.newPassword);
  await withTransaction(deps.pool, async (tx) => {
    await repo.setPasswordHash(tx, p.userId, hash);
    await repo.deleteUserSessions(tx, p.userId, req.staffSession?.idHash);
  });
  await forget(deps.pool, LOGIN_ACCOUNT, p.email);
  await auditRequest(deps.pool, req, {
    action: 'password_changed',
    outcome: 'success',
    objectType: 'user',
    objectId: p.userId,
  });
}

/** Starts TOTP enrolment: a new secret waits for a first valid code. */
export async function setupTotp(deps: AuthDeps, p: Principal): Promise<TotpSetupAnswer> {
  if (p.totpEnabled)
    throw ConflictError('A second factor is already set up; turn it off first.', 'totp_already_enabled');
  const secret = newTotpSecret();
  await repo.setPendingTotp(deps.pool, p.userId, secret);
  return { secret, uri: totpUri(secret, p.email) };
}

/** Confirms enrolment with a code; this session counts as verified with the second factor. */
export async function enableTotp(deps: AuthDeps, req: Request, p: Principal, code: string): Promise<void> {
  const user = await repo.findUserById(deps.pool, p.userId);
  if (!user?.totpPendingSecret)
    throw ConflictError('Start with POST /api/auth/totp/setup.', 'totp_not_started');
  const step = verifyTotp(user.totpPendingSecret, code, null, (deps.now ?? Date.now)());
  if (step === undefined) throw InvalidTotpError();
  await repo.enableTotp(deps.pool, p.userId, step);
  if (req.staffSession) await repo.markSessionMfa(deps.pool, req.staffSession.idHash);
  await auditRequest(deps.pool, req, {
    action: 'totp_enabled',
    outcome: 'success',
    objectType: 'user',
    objectId: p.userId,
  });
}

/** Removes the second factor, with the password and a current code. */
export async function disableTotp(
  deps: AuthDeps,
  req: Request,
  p: Principal,
  password: string,
  code: string,
): Promise<void> {
  const user = await repo.findUserById(deps.pool, p.userId);
  if (!user?.totpEnabled || !user.totpSecret)
    throw ConflictError('No second factor is set up.', 'totp_not_enabled');
  const passwordOk = await verifyPassword(user.passwordHash, password);
  const step = verifyTotp(user.totpSecret, code, user.totpLastStep, (deps.now ?? Date.now)());
  if (!passwordOk || step === undefined) {
    await auditRequest(deps.pool, req, {
      action: 'totp_disabled',
      outcome: 'failure',
      objectType: 'user',
      objectId: p.userId,
    });
    throw InvalidCredentialsError();
  }
  await repo.disableTotp(deps.pool, p.userId);
  await auditRequest(deps.pool, req, {
    action: 'totp_disabled',
    outcome: 'success',
    objectType: 'user',
    objectId: p.userId,
  });
}
