import crypto from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { auditRows, call, cookieOf, createStaff, newEmail, signIn, type TestUser } from '../../support/staff';

let srv: TestServer;
let communeId: number;
let crew: TestUser;

beforeAll(async () => {
  srv = await startTestServer();
  communeId = (await createTestCommune(srv.pool, randomCentre())).id;
  crew = await createStaff(srv.pool, [{ communeId, role: 'crew' }]);
});
afterAll(async () => {
  await srv?.close();
});

const login = (body: Record<string, unknown>, cookie?: string) =>
  call(srv.url, '/api/auth/login', { method: 'POST', json: body, cookie });

function sessionHash(cookie: string): Buffer {
  return crypto.createHash('sha256').update(cookie.split('=')[1]!).digest();
}

async function sessionRow(cookie: string) {
  const { rows } = await srv.pool.query('SELECT * FROM sessions WHERE id_hash = $1', [sessionHash(cookie)]);
  return rows[0] as Record<string, unknown> | undefined;
}

describe('POST /api/auth/login', () => {
  it('signs a staff member in with an HttpOnly, SameSite=Lax session cookie that ends with the browser by default', async () => {
    const res = await login({ email: crew.email.toUpperCase(), password: crew.password });
    expect(res.status).toBe(200);
    const set = res.headers.get('set-cookie')!;
    // Plain-HTTP loopback: no __Host- prefix and no Secure (browsers would drop the cookie).
    expect(set).toMatch(/^vigie_sid=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json).toMatchObject({
      user: { id: crew.id, email: crew.email, superadmin: false, totpEnabled: false },
      roles: [{ commune: { id: communeId }, role: 'crew', active: true }],
      session: { mfa: false, remember: false, idleTimeoutSeconds: 8 * 3600 },
    });
    const expires = Date.parse((res.json!.session as { expiresAt: string }).expiresAt);
    expect(Math.abs(expires - Date.now() - 7 * 86_400_000)).toBeLessThan(60_000);
  });

  it('makes the cookie persistent (Max-Age of the absolute lifetime) only with "remember me"', async () => {
    const res = await login({ email: crew.email, password: crew.password, remember: true });
    expect(res.headers.get('set-cookie')).toMatch(/; Max-Age=604800$/);
    expect((await sessionRow(cookieOf(res)))?.remember).toBe(true);
  });

  it('stores only a hash of the session id', async () => {
    const cookie = await signIn(srv.url, crew);
    const id = cookie.split('=')[1]!;
    const { rows } = await srv.pool.query(
      'SELECT count(*)::int AS n FROM sessions WHERE encode(id_hash, $1) = $2',
      ['escape', id],
    );
    expect(rows[0].n).toBe(0);
    expect(await sessionRow(cookie)).toBeDefined();
  });

  it('issues a new session id at each sign-in and ends the session the browser had', async () => {
    const first = await signIn(srv.url, crew);
    const res = await login({ email: crew.email, password: crew.password }, first);
    const second = cookieOf(res);
    expect(second).not.toBe(first);
    expect(await sessionRow(first)).toBeUndefined();
    expect((await call(srv.url, '/api/auth/me', { cookie: first })).status).toBe(401);
    expect((await call(srv.url, '/api/auth/me', { cookie: second })).status).toBe(200);
  });

  it('gives the same answer for an unknown email, a wrong password and a disabled account', async () => {
    const disabled = await createStaff(srv.pool, [{ communeId, role: 'crew' }]);
    await srv.pool.query('UPDATE users SET disabled_at = now() WHERE id = $1', [disabled.id]);
    const answers = await Promise.all([
      login({ email: newEmail(), password: crew.password }),
      login({ email: crew.email, password: 'not the right password' }),
      login({ email: disabled.email, password: disabled.password }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers[0]!.json).toEqual({
      error: { code: 'invalid_credentials', message: 'Email or password is incorrect.' },
    });
    for (const a of answers) expect(a.headers.get('set-cookie')).toBeNull();
  });

  it('takes about as long for an unknown email as for a wrong password (a dummy hash is verified)', async () => {
    const time = async (email: string) => {
      const t0 = performance.now();
      await login({ email, password: 'a wrong password here' });
      return performance.now() - t0;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 7; i++) {
      unknown.push(await time(newEmail()));
      wrong.push(await time(crew.email));
    }
    // Without the dummy verification an unknown email answers in a few ms, against tens for argon2id.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);
    expect(median(unknown)).toBeLessThan(median(wrong) * 2 + 20);
  });

  it('answers 400 for a malformed body, without revealing anything', async () => {
    expect((await login({ email: 'not-an-email', password: 'x' })).status).toBe(400);
    expect((await login({ email: crew.email })).status).toBe(400);
    expect((await login({ email: crew.email, password: crew.password, admin: true })).status).toBe(400);
  });

  it('writes one audit row per sign-in, success or failure', async () => {
    const ok = await call(srv.url, '/api/auth/login', {
      method: 'POST',
      json: { email: crew.email, password: crew.password },
      headers: { 'X-Request-Id': 'req-login-success-1' },
    });
    expect(ok.status).toBe(200);
    const bad = await call(srv.url, '/api/auth/login', {
      method: 'POST',
      json: { email: crew.email, password: 'wrong password!!' },
      headers: { 'X-Request-Id': 'req-login-failure-1' },
    });
    expect(bad.status).toBe(401);
    const unknown = await call(srv.url, '/api/auth/login', {
      method: 'POST',
      json: { email: newEmail(), password: 'wrong password!!' },
      headers: { 'X-Request-Id': 'req-login-unknown-1' },
    });
    expect(unknown.status).toBe(401);
    const [s] = await auditRows(srv.pool, { requestId: 'req-login-success-1' });
    expect(s).toMatchObject({
      action: 'sign_in',
      outcome: 'success',
      actor_user_id: crew.id,
      actor_kind: 'user',
    });
    expect(s!.at).toBeInstanceOf(Date);
    expect(s!.ip).toBe('127.0.0.1');
    const [f] = await auditRows(srv.pool, { requestId: 'req-login-failure-1' });
    expect(f).toMatchObject({
      action: 'sign_in',
      outcome: 'failure',
      actor_user_id: crew.id,
      data: { reason: 'wrong_password' },
    });
    const [u] = await auditRows(srv.pool, { requestId: 'req-login-unknown-1' });
    expect(u).toMatchObject({
      action: 'sign_in',
      outcome: 'failure',
      actor_user_id: null,
      data: { reason: 'unknown_account' },
    });
    expect(await auditRows(srv.pool, { requestId: 'req-login-failure-1' })).toHaveLength(1);
  });

  it('refuses sign-in over plain HTTP on a non-loopback host name (403 https_required)', async () => {
    const { port } = new URL(srv.url);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/auth/login',
          method: 'POST',
          headers: {
            Host: 'vigie.mairie.example',
            'Content-Type': 'application/json',
            'Sec-Fetch-Site': 'same-origin',
          },
        },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ email: crew.email, password: crew.password }));
    });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error.code).toBe('https_required');
  });
});

describe('GET /api/auth/me and POST /api/auth/logout', () => {
  it('answers 401 when signed out', async () => {
    const res = await call(srv.url, '/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: 'authentication_required', message: 'Sign in first.' } });
    expect((await call(srv.url, '/api/auth/me', { cookie: `vigie_sid=${'A'.repeat(43)}` })).status).toBe(401);
  });

  it('destroys the session server-side on sign-out: the old cookie no longer works', async () => {
    const cookie = await signIn(srv.url, crew);
    const out = await call(srv.url, '/api/auth/logout', { method: 'POST', cookie });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^vigie_sid=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/);
    expect(await sessionRow(cookie)).toBeUndefined();
    expect((await call(srv.url, '/api/auth/me', { cookie })).status).toBe(401);
    expect(await auditRows(srv.pool, { action: 'sign_out', actorUserId: crew.id })).not.toHaveLength(0);
  });

  it('does not sign out on GET', async () => {
    const cookie = await signIn(srv.url, crew);
    expect((await call(srv.url, '/api/auth/logout', { cookie })).status).toBe(404);
    expect((await call(srv.url, '/api/auth/me', { cookie })).status).toBe(200);
  });
});

describe('session lifetime', () => {
  it('ends a session idle for more than 8 hours', async () => {
    const cookie = await signIn(srv.url, crew);
    await srv.pool.query(
      "UPDATE sessions SET last_seen_at = now() - interval '7 hours 59 minutes' WHERE id_hash = $1",
      [sessionHash(cookie)],
    );
    expect((await call(srv.url, '/api/auth/me', { cookie })).status).toBe(200);
    // The request above pushed the idle expiry back.
    const row = await sessionRow(cookie);
    expect(Date.now() - (row!.last_seen_at as Date).getTime()).toBeLessThan(60_000);
    await srv.pool.query(
      "UPDATE sessions SET last_seen_at = now() - interval '8 hours 1 minute' WHERE id_hash = $1",
      [sessionHash(cookie)],
    );
    expect((await call(srv.url, '/api/auth/me', { cookie })).status).toBe(401);
  });

  it('ends a session 7 days after sign-in however active it is', async () => {
    const cookie = await signIn(srv.url, crew, { remember: true });
    await srv.pool.query(
      "UPDATE sessions SET created_at = now() - interval '7 days', expires_at = now() - interval '1 second' WHERE id_hash = $1",
      [sessionHash(cookie)],
    );
    expect((await call(srv.url, '/api/auth/me', { cookie })).status).toBe(401);
  });

  it('ends every session of a user at once when the user is disabled', async () => {
    const admin = await createStaff(srv.pool, [{ communeId, role: 'admin' }]);
    const victim = await createStaff(srv.pool, [{ communeId, role: 'crew' }]);
    const phone = await signIn(srv.url, victim);
    const desktop = await signIn(srv.url, victim);
    const adminCookie = await signIn(srv.url, admin);
    const slug = (await srv.pool.query('SELECT slug FROM communes WHERE id = $1', [communeId])).rows[0].slug;
    const res = await call(srv.url, `/api/staff/communes/${slug}/users/${victim.id}/disable`, {
      method: 'POST',
      cookie: adminCookie,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: victim.id, disabled: true });
    expect((await call(srv.url, '/api/auth/me', { cookie: phone })).status).toBe(401);
    expect((await call(srv.url, '/api/auth/me', { cookie: desktop })).status).toBe(401);
    const { rows } = await srv.pool.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [
      victim.id,
    ]);
    expect(rows[0].n).toBe(0);
    expect((await login({ email: victim.email, password: victim.password })).status).toBe(401);
  });
});

describe('over HTTPS behind a trusted proxy', () => {
  let proxied: TestServer;
  beforeAll(async () => {
    proxied = await startTestServer({ trustProxyHops: 1 });
  });
  afterAll(async () => {
    await proxied?.close();
  });

  it('sets a __Host- prefixed, Secure cookie and sends HSTS', async () => {
    const res = await call(proxied.url, '/api/auth/login', {
      method: 'POST',
      json: { email: crew.email, password: crew.password },
      headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.5' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(
      /^__Host-vigie_sid=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/,
    );
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    const cookie = cookieOf(res);
    const https = { 'X-Forwarded-Proto': 'https' };
    expect((await call(proxied.url, '/api/auth/me', { cookie, headers: https })).status).toBe(200);
    // The secure cookie is not read over plain HTTP, and the plain one not over HTTPS.
    expect((await call(proxied.url, '/api/auth/me', { cookie })).status).toBe(401);
    const plain = `vigie_sid=${cookie.split('=')[1]}`;
    expect((await call(proxied.url, '/api/auth/me', { cookie: plain, headers: https })).status).toBe(401);
  });

  it('sends no HSTS over plain HTTP, nor when X-Forwarded-Proto comes from an untrusted client', async () => {
    const plain = await call(proxied.url, '/api/health');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    const spoofed = await call(srv.url, '/api/health', { headers: { 'X-Forwarded-Proto': 'https' } });
    expect(spoofed.headers.get('strict-transport-security')).toBeNull();
  });
});
