import { describe, expect, it } from 'vitest';
import { newTotpSecret, totpCode, totpUri, verifyTotp } from '../../../server/src/auth/totp';

// RFC 6238 appendix B's SHA-1 secret ("12345678901234567890"), base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP', () => {
  it('matches the RFC 6238 test vectors (6 digits)', () => {
    expect(totpCode(RFC_SECRET, 59_000)).toBe('287082');
    expect(totpCode(RFC_SECRET, 1_111_111_109_000)).toBe('081804');
    expect(totpCode(RFC_SECRET, 2_000_000_000_000)).toBe('279037');
  });

  it('accepts the current code and one step of drift, and returns its step', () => {
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30_000);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now), null, now)).toBe(step);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now - 30_000), null, now)).toBe(step - 1);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now + 30_000), null, now)).toBe(step + 1);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now - 90_000), null, now)).toBeUndefined();
    expect(verifyTotp(RFC_SECRET, '000000', null, now)).toBeUndefined();
  });

  it('refuses a code of a step already used (replay)', () => {
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30_000);
    const code = totpCode(RFC_SECRET, now);
    expect(verifyTotp(RFC_SECRET, code, step, now)).toBeUndefined();
    expect(verifyTotp(RFC_SECRET, code, step - 1, now)).toBe(step);
  });

  it('makes 160-bit secrets and otpauth URIs for authenticator apps', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    expect(totpUri(secret, 'chef@mairie.example')).toMatch(
      new RegExp(
        `^otpauth://totp/Vigie:chef%40mairie\\.example\\?issuer=Vigie&secret=${secret}&algorithm=SHA1&digits=6&period=30$`,
      ),
    );
  });
});
