import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  passwordProblem,
  verifyDummy,
  verifyPassword,
} from '../../../server/src/auth/passwords';

describe('password policy', () => {
  it('accepts long passwords and passphrases without composition rules', () => {
    for (const p of [
      'correct horse battery staple',
      'tartiflette du jeudi',
      'xk2#Lq9!pZ7m',
      'ŝŭpèr-lông-ünîcödé',
    ]) {
      expect(passwordProblem(p), p).toBeUndefined();
    }
  });

  it('refuses passwords under 12 characters (counting characters, not bytes)', () => {
    expect(passwordProblem('elevenchars')).toBe('too_short');
    expect(passwordProblem('ééééééééééé')).toBe('too_short');
    expect(passwordProblem('x'.repeat(257))).toBe('too_long');
  });

  it('refuses the offline list of common passwords, also with a short suffix', () => {
    expect(passwordProblem('1qaz2wsx3edc')).toBe('common');
    expect(passwordProblem('QAZWSXEDCRFV')).toBe('common');
    expect(passwordProblem('password1234')).toBe('common');
    expect(passwordProblem('sunshine2024!')).toBe('common');
    expect(passwordProblem('iloveyou1234')).toBe('common');
    expect(passwordProblem('123456789012')).toBe('common');
    // A common word with a long random tail is a different matter.
    expect(passwordProblem('dragon78213984756')).toBeUndefined();
  });

  it('refuses repetitions, sequences and keyboard runs', () => {
    expect(passwordProblem('aaaaaaaaaaaaaaa')).toBe('repetitive');
    expect(passwordProblem('abababababab')).toBe('repetitive');
    expect(passwordProblem('xyzxyzxyzxyz')).toBe('repetitive');
    expect(passwordProblem('123412341234')).toBeDefined();
    expect(passwordProblem('876543210987')).toBe('repetitive');
    expect(passwordProblem('987654321098')).toBe('repetitive');
    expect(passwordProblem('abcdefghijklm')).toBe('repetitive');
    expect(passwordProblem('azertyuiopqsd')).toBe('repetitive');
    expect(passwordProblem('mlkjhgfdsqpoiu')).toBe('repetitive');
  });

  it('refuses the service name and the user\u2019s own email', () => {
    expect(passwordProblem('vigievigie12', [])).toBe('context');
    expect(passwordProblem('jean.dupont2024', ['jean.dupont@mairie.fr', 'jean.dupont'])).toBe('context');
  });
});

describe('argon2id hashing', () => {
  it('hashes with argon2id, 19 MiB, 2 passes, and verifies', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapler')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
    // Salted: the same password never gives the same hash.
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
  });

  it('spends about one verification on unknown accounts', async () => {
    const hash = await hashPassword('some password here');
    await verifyDummy('warm-up');
    const t0 = performance.now();
    await verifyPassword(hash, 'wrong');
    const real = performance.now() - t0;
    const t1 = performance.now();
    expect(await verifyDummy('wrong')).toBe(false);
    const dummy = performance.now() - t1;
    expect(dummy).toBeGreaterThan(real * 0.4);
  });
});
