import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../../client/src/offline/db';
import {
  generateToken,
  isValidToken,
  reporterToken,
  TOKEN_STORAGE_KEY,
} from '../../../client/src/offline/token';
import { ReporterToken } from '../../../server/src/contract/reports';
import { dbName } from './helpers';

const dbs: ReturnType<typeof openDb>[] = [];
afterEach(() => {
  dbs.splice(0).forEach((d) => d.close());
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

function fakeLocalStorage(): Map<string, string> {
  const map = new Map<string, string>();
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
  };
  return map;
}

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

describe('reporter token', () => {
  it('is 43 random base64url characters, which the contract accepts', () => {
    const a = generateToken(random);
    const b = generateToken(random);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(ReporterToken.safeParse(a).success).toBe(true);
    expect(isValidToken(a)).toBe(true);
    expect(isValidToken('short')).toBe(false);
    expect(isValidToken('x'.repeat(40) + ' y')).toBe(false);
  });

  it('is created once per device, kept in IndexedDB and mirrored to localStorage', async () => {
    const ls = fakeLocalStorage();
    const db = openDb(dbName());
    dbs.push(db);
    const first = await reporterToken(db, random);
    expect(await reporterToken(db, random)).toBe(first);
    expect(ls.get(TOKEN_STORAGE_KEY)).toBe(first);
  });

  it('is restored from localStorage if IndexedDB was cleared, so old reports stay "mine"', async () => {
    const ls = fakeLocalStorage();
    const kept = generateToken(random);
    ls.set(TOKEN_STORAGE_KEY, kept);
    const db = openDb(dbName());
    dbs.push(db);
    expect(await reporterToken(db, random)).toBe(kept);
  });

  it('puts the IndexedDB copy back into localStorage if localStorage was cleared', async () => {
    const db = openDb(dbName());
    dbs.push(db);
    const token = await reporterToken(db, random);
    const ls = fakeLocalStorage();
    expect(await reporterToken(db, random)).toBe(token);
    expect(ls.get(TOKEN_STORAGE_KEY)).toBe(token);
  });
});
