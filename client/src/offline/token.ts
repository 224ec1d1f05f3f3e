import { LIMITS } from '../../../server/src/contract/limits';
import { kvGet, kvSet, type VigieDb } from './db';

/** localStorage key of the token's copy (the service worker only sees IndexedDB; the page sees both). */
export const TOKEN_STORAGE_KEY = 'vigie.reporterToken';

/** Bytes of randomness in a reporter token (32 bytes = 43 base64url characters). */
const TOKEN_BYTES = 32;

/** A new device secret: 32 random bytes, base64url, printable ASCII as the contract requires. */
export function generateToken(randomBytes: (n: number) => Uint8Array): string {
  const bytes = randomBytes(TOKEN_BYTES);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const token = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  if (token.length < LIMITS.minReporterToken) throw new Error('reporter token too short');
  return token;
}

/** Whether a stored value can serve as a token (a corrupted or truncated one is replaced). */
export function isValidToken(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= LIMITS.minReporterToken &&
    value.length <= LIMITS.maxReporterToken &&
    /^[\x21-\x7e]+$/.test(value)
  );
}

function readMirror(): string | undefined {
  try {
    const v = globalThis.localStorage?.getItem(TOKEN_STORAGE_KEY);
    return isValidToken(v) ? v : undefined;
  } catch {
    return undefined; // storage disabled, or the service worker (no localStorage)
  }
}

function writeMirror(token: string): void {
  try {
    globalThis.localStorage?.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // best effort: IndexedDB holds the authoritative copy
  }
}

/**
 * The device's reporter token: created once, kept in IndexedDB and mirrored to localStorage,
 * so losing one of the two stores does not orphan the person's reports.
 */
export async function reporterToken(
  db: VigieDb,
  randomBytes: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)),
): Promise<string> {
  const token = await db.transaction('rw', db.kv, async () => {
    const stored = await kvGet(db, 'reporterToken');
    if (isValidToken(stored)) return stored;
    const chosen = readMirror() ?? generateToken(randomBytes);
    await kvSet(db, 'reporterToken', chosen);
    return chosen;
  });
  if (readMirror() !== token) writeMirror(token);
  return token;
}
