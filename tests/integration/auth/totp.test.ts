import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../../server/src/auth/totp';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { call, cookieOf, createStaff, signIn, type TestUser } from '../../support/staff';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
// A controllable clock: each test step moves it by whole 30-second TOTP periods.
let clock = Date.UTC(2026, 10, 20, 8, 0, 0);
const tick = () => (clock += 30_000);

beforeAll(async () => {
  srv = await startTestServer({ now: () => clock });
  commune = await createTestCommune(srv.pool, randomCentre());
});
afterAll(async () => {
  await srv?.close();
});

/** Enrols a second factor for a user through the API; returns the secret. */
async function enrol(user: TestUser): Promise<string> {
  const cookie = await signIn(srv.url, user);
  const setup = await call(srv.url, '/api/auth/totp/setup', { method: 'POST', cookie });
  expect(setup.status).toBe(200);
  const { secret, uri } = setup.json as { secret: string; uri: string };
  expect(uri).toMatch(/^otpauth:\/\/totp\/Vigie:.+\?.*secret=/);
  expect(
    (await call(srv.url, '/api/auth/totp/enable', { method: 'POST', cookie, json: { code: '000000' } }))
      .status,
  ).toBe(401);
  const ok = await call(srv.url, '/api/auth/totp/enable', {
    method: 'POST',
    cookie,
    json: { code: totpCode(secret, clock) },
  });
  expect(ok.status).toBe(204);
  tick();
  return secret;
}

const login = (body: Record<string, unknown>) =>
  call(srv.url, '/api/auth/login', { method: 'POST', json: body });

describe('TOTP second factor', () => {
  it('asks for the code after a right password, and signs in with it', async () => {
    const user = await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]);
    const secret = await enrol(user);
    const first = await login({ email: user.email, password: user.password });
    expect(first.status).toBe(401);
    expect(first.json).toMatchObject({ error: { code: 'totp_required', field: 'totp' } });
    expect(first.headers.get('set-cookie')).toBeNull();
    const wrong = await login({ email: user.email, password: user.password, totp: '123456' });
    expect(wrong.json).toMatchObject({ error: { code: 'invalid_totp' } });
    const code = totpCode(secret, clock);
    const ok = await login({
      email: user.email,
      password: user.password,
      totp: `${code.slice(0, 3)} ${code.slice(3)}`,
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ user: { totpEnabled: true }, session: { mfa: true } });
  });

  it('never accepts the same code twice (replay)', async () => {
    const user = await createStaff(srv.pool, [{ communeId: commune.id, role: 'crew' }]);
    const secret = await enrol(user);
    const code = totpCode(secret, clock);
    expect((await login({ email: user.email, password: user.password, totp: code })).status).toBe(200);
    const again = await login({ email: user.email, password: user.password, totp: code });
    expect(again.status).toBe(401);
    expect(again.json).toMatchObject({ error: { code: 'invalid_totp' } });
    tick();
    expect(
      (await login({ email: user.email, password: user.password, totp: totpCode(secret, clock) })).status,
    ).toBe(200);
  });

  it('a wrong password with a right code gets the same answer as any wrong password', async () => {
    const user = await createStaff(srv.pool, [{ communeId: commune.id, role: 'crew' }]);
    const secret = await enrol(user);
    const res = await login({
      email: user.email,
      password: 'wrong password 42',
      totp: totpCode(secret, clock),
    });
    expect(res.json).toEqual({
      error: { code: 'invalid_credentials', message: 'Email or password is incorrect.' },
    });
  });

  it('can be turned off with the password and a current code', async () => {
    const user = await createStaff(srv.pool, [{ communeId: commune.id, role: 'crew' }]);
    const secret = await enrol(user);
    const res = await login({ email: user.email, password: user.password, totp: totpCode(secret, clock) });
    const cookie = cookieOf(res);
    tick();
    const bad = await call(srv.url, '/api/auth/totp/disable', {
      method: 'POST',
      cookie,
      json: { password: 'wrong password 42', code: totpCode(secret, clock) },
    });
    expect(bad.status).toBe(401);
    const off = await call(srv.url, '/api/auth/totp/disable', {
      method: 'POST',
      cookie,
      json: { password: user.password, code: totpCode(secret, clock) },
    });
    expect(off.status).toBe(204);
    expect((await login({ email: user.email, password: user.password })).status).toBe(200);
  });
});

describe('a commune that requires a second factor for its admins', () => {
  it('gives admin rights there only to sessions verified with TOTP', async () => {
    const strict = await createTestCommune(srv.pool, randomCentre());
    const admin = await createStaff(srv.pool, [{ communeId: strict.id, role: 'admin' }]);
    const other = await createStaff(srv.pool, [{ communeId: strict.id, role: 'admin' }]);
    const cookie = await signIn(srv.url, admin);
    const users = `/api/staff/communes/${strict.slug}/users`;
    expect((await call(srv.url, users, { cookie })).status).toBe(200);

    // The admin turns the requirement on: their own session (no TOTP) loses admin rights at once.
    const on = await call(srv.url, `/api/staff/communes/${strict.slug}/settings`, {
      method: 'PATCH',
      cookie,
      json: { requireAdminTotp: true },
    });
    expect(on.status).toBe(200);
    expect(on.json).toMatchObject({ requireAdminTotp: true });
    expect((await call(srv.url, users, { cookie })).status).toBe(403);
    const me = await call(srv.url, '/api/auth/me', { cookie });
    expect(me.json).toMatchObject({ roles: [{ role: 'admin', active: false }] });

    // Without TOTP, signing in again does not help; enrolling does (the session is upgraded).
    const otherCookie = await signIn(srv.url, other);
    expect((await call(srv.url, users, { cookie: otherCookie })).status).toBe(403);
    const secret = await enrol(admin);
    const verified = await login({
      email: admin.email,
      password: admin.password,
      totp: totpCode(secret, clock),
    });
    expect(verified.status).toBe(200);
    expect(verified.json).toMatchObject({ session: { mfa: true }, roles: [{ role: 'admin', active: true }] });
    expect((await call(srv.url, users, { cookie: cookieOf(verified) })).status).toBe(200);
  });

  it('does not let crews or supervisors change the setting', async () => {
    const c = await createTestCommune(srv.pool, randomCentre());
    const sup = await createStaff(srv.pool, [{ communeId: c.id, role: 'supervisor' }]);
    const cookie = await signIn(srv.url, sup);
    const res = await call(srv.url, `/api/staff/communes/${c.slug}/settings`, {
      method: 'PATCH',
      cookie,
      json: { requireAdminTotp: true },
    });
    expect(res.status).toBe(403);
    const { rows } = await srv.pool.query('SELECT require_admin_totp FROM communes WHERE id = $1', [c.id]);
    expect(rows[0].require_admin_totp).toBe(false);
  });
});

describe('password changes', () => {
  it('changes the password, keeps this session and ends the others', async () => {
    const user = await createStaff(srv.pool, [{ communeId: commune.id, role: 'crew' }]);
    const here = await signIn(srv.url, user);
    const elsewhere = await signIn(srv.url, user);
    const newPassword = `new-${crypto.randomBytes(9).toString('base64url')}`;
    const res = await call(srv.url, '/api/auth/password', {
      method: 'POST',
      cookie: here,
      json: { currentPassword: user.password, newPassword },
    });
    expect(res.status).toBe(204);
    expect((await call(srv.url, '/api/auth/me', { cookie: here })).status).toBe(200);
    expect((await call(srv.url, '/api/auth/me', { cookie: elsewhere })).status).toBe(401);
    expect((await login({ email: user.email, password: user.password })).status).toBe(401);
    expect((await login({ email: user.email, password: newPassword })).status).toBe(200);
  });

  it.each([
    ['short', 'short pw', 'password_too_short'],
    ['common', 'qwertyuiopasdfgh', 'password_repetitive'],
    ['common with digits', 'sunshine2024', 'password_common'],
    ['in the common list', '1qaz2wsx3edc', 'password_common'],
    ['a repetition', 'abcabcabcabcabc', 'password_repetitive'],
  ])('refuses a %s new password (%s)', async (_what, newPassword, code) => {
    const user = await createStaff(srv.pool, [{ communeId: commune.id, role: 'crew' }]);
    const cookie = await signIn(srv.url, user);
    const res = await call(srv.url, '/api/auth/password', {
      method: 'POST',
      cookie,
      json: { currentPassword: user.password, newPassword },
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { field: 'newPassword' } });
    if (code !== 'password_too_short') expect(res.json).toMatchObject({ error: { code } });
  });

  it('stores argon2id hashes with at least 19 MiB of memory', async () => {
    const user = await createStaff(srv.pool, [{ communeId: commune.id, role: 'crew' }]);
    const { rows } = await srv.pool.query('SELECT password_hash FROM users WHERE id = $1', [user.id]);
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(rows[0].password_hash as string);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(19 * 1024);
    expect(rows[0].password_hash).not.toContain(user.password);
  });
});
