import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { call, createStaff, newEmail, newPassword, signIn, type TestUser } from '../../support/staff';

let srv: TestServer;
let a: Awaited<ReturnType<typeof createTestCommune>>;
let b: Awaited<ReturnType<typeof createTestCommune>>;
let admin: TestUser;
let cookie: string;
let users: string;

beforeAll(async () => {
  srv = await startTestServer();
  a = await createTestCommune(srv.pool, randomCentre());
  b = await createTestCommune(srv.pool, randomCentre());
  admin = await createStaff(srv.pool, [{ communeId: a.id, role: 'admin' }]);
  cookie = await signIn(srv.url, admin);
  users = `/api/staff/communes/${a.slug}/users`;
});
afterAll(async () => {
  await srv?.close();
});

describe('the admins\u2019 users API', () => {
  it('creates an account with a role; the new user can sign in', async () => {
    const email = newEmail();
    const password = newPassword();
    const res = await call(srv.url, users, {
      method: 'POST',
      cookie,
      json: { email: email.toUpperCase(), role: 'crew', password },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ email, roles: ['crew'], disabled: false, totpEnabled: false });
    expect(await signIn(srv.url, { email, password })).toMatch(/^vigie_sid=/);
    const list = await call(srv.url, users, { cookie });
    expect((list.json!.items as Array<{ email: string }>).map((u) => u.email)).toContain(email);
  });

  it('adds the role to an existing account of another commune without touching its password', async () => {
    const elsewhere = await createStaff(srv.pool, [{ communeId: b.id, role: 'supervisor' }]);
    const res = await call(srv.url, users, {
      method: 'POST',
      cookie,
      json: { email: elsewhere.email, role: 'crew', password: newPassword() },
    });
    expect(res.status).toBe(200);
    // Only the roles held in this commune are shown to its admin.
    expect(res.json).toMatchObject({ id: elsewhere.id, roles: ['crew'] });
    expect(await signIn(srv.url, elsewhere)).toBeTruthy();
  });

  it('refuses weak initial passwords and a missing one', async () => {
    for (const password of ['tooshort', 'password1234', 'azertyuiopqsdf']) {
      const res = await call(srv.url, users, {
        method: 'POST',
        cookie,
        json: { email: newEmail(), role: 'crew', password },
      });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: { field: 'password' } });
    }
    const none = await call(srv.url, users, {
      method: 'POST',
      cookie,
      json: { email: newEmail(), role: 'crew' },
    });
    expect(none.status).toBe(400);
    const superadmin = await call(srv.url, users, {
      method: 'POST',
      cookie,
      json: { email: newEmail(), role: 'superadmin', password: newPassword() },
    });
    expect(superadmin.status).toBe(400);
  });

  it('never leaves a commune without an admin, and does not let admins disable themselves', async () => {
    const lone = await createTestCommune(srv.pool, randomCentre());
    const only = await createStaff(srv.pool, [{ communeId: lone.id, role: 'admin' }]);
    const c = await signIn(srv.url, only);
    const base = `/api/staff/communes/${lone.slug}/users/${only.id}`;
    const revoke = await call(srv.url, `${base}/roles/admin`, { method: 'DELETE', cookie: c });
    expect(revoke.status).toBe(409);
    expect(revoke.json).toMatchObject({ error: { code: 'last_admin' } });
    const self = await call(srv.url, `${base}/disable`, { method: 'POST', cookie: c });
    expect(self.status).toBe(409);
    const { rows } = await srv.pool.query(
      "SELECT count(*)::int AS n FROM user_roles WHERE user_id = $1 AND role = 'admin'",
      [only.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('disables an account working for other communes only through a superadmin', async () => {
    const shared = await createStaff(srv.pool, [
      { communeId: a.id, role: 'crew' },
      { communeId: b.id, role: 'crew' },
    ]);
    const res = await call(srv.url, `${users}/${shared.id}/disable`, { method: 'POST', cookie });
    expect(res.status).toBe(403);
    const root = await signIn(srv.url, await createStaff(srv.pool, [], { superadmin: true }));
    const ok = await call(srv.url, `${users}/${shared.id}/disable`, { method: 'POST', cookie: root });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ disabled: true });
    const back = await call(srv.url, `${users}/${shared.id}/enable`, { method: 'POST', cookie: root });
    expect(back.json).toMatchObject({ disabled: false });
  });

  it('revoking a user\u2019s last role here removes them from this commune\u2019s list', async () => {
    const temp = await createStaff(srv.pool, [{ communeId: a.id, role: 'crew' }]);
    const res = await call(srv.url, `${users}/${temp.id}/roles/crew`, { method: 'DELETE', cookie });
    expect(res.status).toBe(204);
    expect((await call(srv.url, `${users}/${temp.id}/roles/crew`, { method: 'PUT', cookie })).status).toBe(
      404,
    );
  });
});
