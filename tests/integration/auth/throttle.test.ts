import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, TEST_SECURITY, type TestServer } from '../../support/app';
import { createTestCommune, newToken, randomCentre } from '../../support/fixtures';
import { sendResidentReport as sendReport } from '../../support/resident';
import { auditRows, call, createStaff, newEmail, type TestUser } from '../../support/staff';

let direct: TestServer; // no proxy trusted: X-Forwarded-For is ignored
let proxied: TestServer; // one trusted proxy: the client address is its last X-Forwarded-For entry
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let crew: TestUser;

const limits = {
  login: { perAccount: 3, perIp: 6, windowSeconds: 86_400 },
  reports: { perToken: 2, perIp: 4, windowSeconds: 86_400 },
};

beforeAll(async () => {
  direct = await startTestServer({ security: { ...TEST_SECURITY, ...limits } });
  proxied = await startTestServer({ security: { ...TEST_SECURITY, ...limits }, trustProxyHops: 1 });
  commune = await createTestCommune(direct.pool, randomCentre());
  crew = await createStaff(direct.pool, [{ communeId: commune.id, role: 'crew' }]);
});
afterAll(async () => {
  await direct?.close();
  await proxied?.close();
});
beforeEach(async () => {
  // Counts are shared by every test on this database: start each test from zero.
  await direct.pool.query('DELETE FROM rate_limits');
});

const login = (srv: TestServer, email: string, password: string, headers: Record<string, string> = {}) =>
  call(srv.url, '/api/auth/login', { method: 'POST', json: { email, password }, headers });

describe('sign-in throttling', () => {
  it('answers 429 with Retry-After after too many attempts on one account, even with the right password', async () => {
    for (let i = 0; i < 3; i++)
      expect((await login(direct, crew.email, 'wrong password 123')).status).toBe(401);
    const blocked = await login(direct, crew.email, crew.password);
    expect(blocked.status).toBe(429);
    expect(blocked.json).toMatchObject({ error: { code: 'rate_limited' } });
    const retry = Number(blocked.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(86_400);
    expect(blocked.headers.get('set-cookie')).toBeNull();
    const rows = await auditRows(direct.pool, { action: 'sign_in' });
    expect(rows.at(-1)).toMatchObject({ outcome: 'failure', data: { reason: 'rate_limited' } });
  });

  it('throttles an unknown email exactly like an existing one (no account enumeration)', async () => {
    const ghost = newEmail();
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await login(direct, ghost, 'wrong password 123')).status);
    expect(codes).toEqual([401, 401, 401, 429]);
  });

  it('resets an account count after a successful sign-in', async () => {
    for (let i = 0; i < 2; i++) await login(direct, crew.email, 'wrong password 123');
    expect((await login(direct, crew.email, crew.password)).status).toBe(200);
    for (let i = 0; i < 2; i++)
      expect((await login(direct, crew.email, 'wrong password 123')).status).toBe(401);
  });

  it('throttles one address trying many accounts (password spraying)', async () => {
    const codes = [];
    for (let i = 0; i < 7; i++) codes.push((await login(direct, newEmail(), 'Summer2024!!')).status);
    expect(codes).toEqual([401, 401, 401, 401, 401, 401, 429]);
  });

  it('ignores X-Forwarded-For when no proxy is trusted: spoofed addresses do not reset the count', async () => {
    const codes = [];
    for (let i = 0; i < 7; i++) {
      codes.push(
        (await login(direct, newEmail(), 'Summer2024!!', { 'X-Forwarded-For': `198.51.100.${i}` })).status,
      );
    }
    expect(codes.at(-1)).toBe(429);
  });

  it('behind one trusted proxy, counts the address the proxy saw, not the one the client claims', async () => {
    const codes = [];
    for (let i = 0; i < 7; i++) {
      // The client sends "X-Forwarded-For: 10.0.0.i"; the proxy appends the real address.
      const xff = `10.0.0.${i}, 203.0.113.77`;
      codes.push((await login(proxied, newEmail(), 'Summer2024!!', { 'X-Forwarded-For': xff })).status);
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 401, 429]);
    // Another real client behind the same proxy is not affected.
    expect(
      (await login(proxied, newEmail(), 'Summer2024!!', { 'X-Forwarded-For': '203.0.113.78' })).status,
    ).toBe(401);
  });
});

describe('report upload limits (PUT /api/reports/:id)', () => {
  it('answers 429 with Retry-After past the limit per reporter token', async () => {
    const token = newToken();
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await sendReport(direct.url, commune.centre, { token })).status);
    expect(statuses).toEqual([201, 201, 429]);
    const blocked = await sendReport(direct.url, commune.centre, { token });
    expect(blocked.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Nothing was stored for the refused uploads.
    const { rows } = await direct.pool.query('SELECT count(*)::int AS n FROM reports WHERE id = $1', [
      blocked.id,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('answers 429 past the limit per address, whatever tokens or X-Forwarded-For are sent', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const r = await sendReport(direct.url, commune.centre, {
        headers: { 'X-Forwarded-For': `198.51.100.${i}` },
      });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
  });
});
