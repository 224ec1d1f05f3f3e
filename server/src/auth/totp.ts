import { Secret, TOTP } from 'otpauth';

/** RFC 6238 defaults every authenticator app understands: SHA-1, 6 digits, 30-second steps. */
const PERIOD = 30;

/** A new random TOTP secret (160 bits), base32 as apps expect it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads from a QR code. */
export function totpUri(secret: string, email: string): string {
  return new TOTP({
    issuer: 'Vigie',
    label: email,
    secret: Secret.fromBase32(secret),
    period: PERIOD,
  }).toString();
}

/** The code for a secret at a time (for tests and the CLI's checks). */
export function totpCode(secret: string, nowMs: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), period: PERIOD, timestamp: nowMs });
}

/**
 * Checks a code against a secret, allowing one step of clock drift either way. Returns the time
 * step the code belongs to, or undefined when it is wrong or that step (or a later one) was
 * already used: a code seen once, by an eavesdropper too, is never accepted again.
 */
export function verifyTotp(
  secret: string,
  code: string,
  lastStep: number | null,
  nowMs: number,
): number | undefined {
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secret),
    period: PERIOD,
    timestamp: nowMs,
    window: 1,
  });
  if (delta === null) return undefined;
  const step = Math.floor(nowMs / 1000 / PERIOD) + delta;
  if (lastStep !== null && step <= lastStep) return undefined;
  return step;
}
