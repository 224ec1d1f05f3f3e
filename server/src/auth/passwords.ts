import crypto from 'node:crypto';
import { hash, verify, type Options } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { PASSWORD_LIMITS } from '../contract/auth';

/**
 * argon2id with the OWASP parameters: 19 MiB of memory, 2 passes, one lane. About 30 ms here:
 * slow enough to make guessing a stolen hash expensive, fast enough for a sign-in.
 * (`algorithm: 2` is Argon2id; the package's enum is a const enum that isolated modules can't read.)
 */
export const ARGON2_OPTIONS: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** True when `password` matches the stored hash; false for any malformed hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time of one real verification on a password that matches nothing. Used for unknown
 * accounts, so "no such email" and "wrong password" take about as long as each other.
 */
export async function verifyDummy(password: string): Promise<false> {
  dummy ??= hashPassword(crypto.randomBytes(32).toString('base64url'));
  await verifyPassword(await dummy, password);
  return false;
}

let common: Set<string> | undefined;

/**
 * The 49,000 most common passwords (zxcvbn's list, shipped in @zxcvbn-ts/language-common: no
 * network call), lower-cased.
 */
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/** Why a new password is refused; undefined when it is acceptable. */
export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'repetitive' | 'context';

/**
 * Checks a new password the NIST SP 800-63B way: long enough, not a known common password (also
 * with up to six digits or symbols added at the end, "password1234!"), not one character
 * or a sequence repeated, not the service's name or the user's email. No composition rules.
 */
export function passwordProblem(
  password: string,
  context: readonly string[] = [],
): PasswordProblem | undefined {
  const length = [...password].length;
  if (length < PASSWORD_LIMITS.minLength) return 'too_short';
  if (length > PASSWORD_LIMITS.maxLength) return 'too_long';
  const lower = password.toLowerCase();
  const list = commonPasswords();
  const base = lower.replace(/[\d\W_]{1,6}$/u, '');
  if (list.has(lower) || (base.length >= 4 && list.has(base))) return 'common';
  if (new Set(lower).size <= 2 || isRepeatedChunk(lower) || isSequence(lower) || isKeyboardWalk(lower))
    return 'repetitive';
  const words = ['vigie', ...context.map((c) => c.toLowerCase())].filter((w) => w.length >= 4);
  const letters = lower.replace(/[\d\W_]+/gu, '');
  // Only the word (repeated or not) with digits or symbols around it: "vigievigie12", "Jean.Dupont2024".
  if (
    words.some(
      (w) => lower === w || (letters !== '' && letters.replaceAll(w.replace(/[\d\W_]+/gu, ''), '') === ''),
    )
  )
    return 'context';
  return undefined;
}

/** "abcabcabcabc", "123412341234": a short chunk repeated. */
function isRepeatedChunk(s: string): boolean {
  for (let size = 1; size <= 4; size++) {
    const chunk = s.slice(0, size);
    if (chunk.repeat(Math.ceil(s.length / size)).slice(0, s.length) === s) return true;
  }
  return false;
}

/** "123456789012", "abcdefghijkl", "987654321098": one step up or down each character. */
function isSequence(s: string): boolean {
  const codes = [...s].map((c) => c.codePointAt(0)!);
  const digits = /^\d+$/.test(s);
  const diffs = new Set(codes.slice(1).map((c, i) => (digits ? (c - codes[i]! + 10) % 10 : c - codes[i]!)));
  return diffs.size === 1 && (digits ? diffs.has(1) || diffs.has(9) : diffs.has(1) || diffs.has(-1));
}

/** Keys in keyboard order (QWERTY and AZERTY rows run together), forwards and backwards. */
const KEYBOARD_WALKS = [
  '1234567890qwertyuiopasdfghjklzxcvbnm',
  '1234567890azertyuiopqsdfghjklmwxcvbn',
].flatMap((w) => [w, [...w].reverse().join('')]);

/** "qwertyuiopasdf", "azertyuiopqsd": a run along the keyboard. */
function isKeyboardWalk(s: string): boolean {
  return KEYBOARD_WALKS.some((w) => w.includes(s));
}

/** The message shown for each problem (English; the staff screen translates by code). */
export const PASSWORD_MESSAGES: Record<PasswordProblem, string> = {
  too_short: `must be at least ${PASSWORD_LIMITS.minLength} characters`,
  too_long: `must be at most ${PASSWORD_LIMITS.maxLength} characters`,
  common: 'is too common: choose a longer phrase of unrelated words',
  repetitive: 'is a repetition or a sequence: choose a longer phrase of unrelated words',
  context: 'must not be your email or the name of the service',
};
