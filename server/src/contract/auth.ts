import { z } from 'zod';

/**
 * Staff accounts: sign-in, the signed-in user, roles. Shared by the staff sign-in screen and
 * the server. Residents never sign in (their device keeps a reporter token).
 */

/** Password rules (NIST SP 800-63B): a minimum length and a common-passwords check, nothing else. */
export const PASSWORD_LIMITS = {
  /** Minimum length, characters. */
  minLength: 12,
  /** Maximum length, characters (long passphrases welcome; this only bounds the work). */
  maxLength: 256,
} as const;

/** Roles a user can hold in a commune. */
export const COMMUNE_ROLES = ['crew', 'supervisor', 'admin'] as const;
export const CommuneRole = z.enum(COMMUNE_ROLES);
export type CommuneRole = z.infer<typeof CommuneRole>;

/** An email address as typed at sign-in: trimmed, compared lower-cased. */
export const Email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an email address'))
  .transform((s) => s.toLowerCase());

/** A password as typed (the common-passwords check runs on the server). */
export const Password = z
  .string()
  .min(PASSWORD_LIMITS.minLength, `must be at least ${PASSWORD_LIMITS.minLength} characters`)
  .max(PASSWORD_LIMITS.maxLength, `must be at most ${PASSWORD_LIMITS.maxLength} characters`);

/** A 6-digit TOTP code (spaces allowed, as authenticator apps show "123 456"). */
export const TotpCode = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'must be the 6-digit code of your authenticator app'));

/** Body of `POST /api/auth/login`. */
export const LoginBody = z
  .object({
    /** The account's email address (case does not matter). */
    email: Email,
    /** The password. Not checked for length here: a wrong one gets the same answer as any other. */
    password: z.string().min(1, 'is required').max(PASSWORD_LIMITS.maxLength),
    /** Keep the session after the browser is closed (up to the absolute lifetime). Off by default. */
    remember: z.boolean().default(false),
    /** The current TOTP code, when the account has a second factor. */
    totp: TotpCode.optional(),
  })
  .strict();
export type LoginBody = z.input<typeof LoginBody>;

/** Body of `POST /api/auth/password`. */
export const ChangePasswordBody = z
  .object({
    /** The password in use now. */
    currentPassword: z.string().min(1, 'is required').max(PASSWORD_LIMITS.maxLength),
    /** The new password (at least 12 characters, not a common password). */
    newPassword: Password,
  })
  .strict();
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

/** Body of `POST /api/auth/totp/enable`. */
export const TotpEnableBody = z
  .object({
    /** A code from the authenticator app, proving it holds the new secret. */
    code: TotpCode,
  })
  .strict();

/** Body of `POST /api/auth/totp/disable`. */
export const TotpDisableBody = z
  .object({
    /** The account's password. */
    password: z.string().min(1, 'is required').max(PASSWORD_LIMITS.maxLength),
    /** A current code from the authenticator app. */
    code: TotpCode,
  })
  .strict();

/** A role held in a commune, as the signed-in user sees it. */
export const RoleView = z.object({
  commune: z.object({ id: z.number().int(), slug: z.string(), name: z.string() }),
  role: CommuneRole,
  /** False for an admin role that needs a second factor this session did not use. */
  active: z.boolean(),
});
export type RoleView = z.infer<typeof RoleView>;

/** Answer of `GET /api/auth/me` and `POST /api/auth/login`. */
export const MeAnswer = z.object({
  user: z.object({
    id: z.string(),
    email: z.string(),
    /** Deployment-wide operator. */
    superadmin: z.boolean(),
    totpEnabled: z.boolean(),
  }),
  roles: z.array(RoleView),
  session: z.object({
    /** Signed in with the second factor. */
    mfa: z.boolean(),
    remember: z.boolean(),
    /** Absolute end of the session (ISO 8601, UTC). */
    expiresAt: z.string(),
    /** The session ends after this many seconds without a request. */
    idleTimeoutSeconds: z.number().int(),
  }),
});
export type MeAnswer = z.infer<typeof MeAnswer>;

/** Answer of `POST /api/auth/totp/setup`: add this to an authenticator app, then confirm a code. */
export const TotpSetupAnswer = z.object({
  /** Base32 secret, for manual entry. */
  secret: z.string(),
  /** otpauth:// URI (for a QR code). */
  uri: z.string(),
});
export type TotpSetupAnswer = z.infer<typeof TotpSetupAnswer>;

/** Error codes of the sign-in flow the staff screen explains. */
export const AUTH_ERROR_CODES = [
  'invalid_credentials',
  'totp_required',
  'invalid_totp',
  'rate_limited',
  'https_required',
  'csrf_rejected',
] as const;
