import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, newToken, randomCentre } from '../../support/fixtures';
import { sendResidentReport as sendReport } from '../../support/resident';
import { auditRows, call, createStaff, signIn } from '../../support/staff';

type Commune = Awaited<ReturnType<typeof createTestCommune>>;
let srv: TestServer;
let a: Commune;
let b: Commune;
let reportA: Awaited<ReturnType<typeof sendReport>>;
let reportB: Awaited<ReturnType<typeof sendReport>>;
const cookies = {} as Record<'crew' | 'supervisor' | 'admin' | 'both' | 'superadmin', string>;
let userB: { id: string };

beforeAll(async () => {
  srv = await startTestServer();
  a = await createTestCommune(srv.pool, randomCentre());
  b = await createTestCommune(srv.pool, randomCentre());
  reportA = await sendReport(srv.url, a.centre, { contactEmail: 'habitant.a@example.org' });
  reportB = await sendReport(srv.url, b.centre, { contactEmail: 'habitant.b@example.org' });
  for (const role of ['crew', 'supervisor', 'admin'] as const)
    cookies[role] = await signIn(srv.url, await createStaff(srv.pool, [{ communeId: a.id, role }]));
  cookies.both = await signIn(
    srv.url,
    await createStaff(srv.pool, [
      { communeId: a.id, role: 'crew' },
      { communeId: b.id, role: 'supervisor' },
    ]),
  );
  cookies.superadmin = await signIn(srv.url, await createStaff(srv.pool, [], { superadmin: true }));
  userB = await createStaff(srv.pool, [{ communeId: b.id, role: 'crew' }]);
});
afterAll(async () => {
  await srv?.close();
});

/** Two answers that must not be told apart: same status, same bytes. */
async function expectIndistinguishable(
  p1: string,
  p2: string,
  cookie: string,
  method = 'GET',
  json?: unknown,
) {
  const [x, y] = await Promise.all([
    call(srv.url, p1, { cookie, method, json }),
    call(srv.url, p2, { cookie, method, json }),
  ]);
  expect(x.status).toBe(404);
  expect(y.status).toBe(404);
  expect(x.text).toBe(y.text);
  expect(x.headers.get('content-type')).toBe(y.headers.get('content-type'));
  expect(x.headers.get('content-length')).toBe(y.headers.get('content-length'));
}

describe('commune isolation of staff data', () => {
  it('lists only the reports of the user\u2019s communes', async () => {
    const res = await call(srv.url, '/api/staff/reports?limit=200', { cookie: cookies.crew });
    const ids = (res.json!.items as Array<{ id: string; commune: { id: number } }>).map((r) => r.id);
    expect(ids).toContain(reportA.id);
    expect(ids).not.toContain(reportB.id);
    const both = await call(srv.url, '/api/staff/reports?limit=200', { cookie: cookies.both });
    const bothIds = (both.json!.items as Array<{ id: string }>).map((r) => r.id);
    expect(bothIds).toEqual(expect.arrayContaining([reportA.id, reportB.id]));
    const all = await call(srv.url, `/api/staff/reports?commune=${b.slug}`, { cookie: cookies.superadmin });
    expect((all.json!.items as Array<{ id: string }>).map((r) => r.id)).toContain(reportB.id);
  });

  it('answers another commune\u2019s filter exactly like a missing commune', async () => {
    await expectIndistinguishable(
      `/api/staff/reports?commune=${b.slug}`,
      '/api/staff/reports?commune=no-such-commune',
      cookies.admin,
    );
  });

  it('answers another commune\u2019s report exactly like a missing one, and audits the attempt', async () => {
    await expectIndistinguishable(
      `/api/staff/reports/${reportB.id}`,
      `/api/staff/reports/${crypto.randomUUID()}`,
      cookies.supervisor,
    );
    const denied = await auditRows(srv.pool, { action: 'access_denied', objectId: reportB.id });
    expect(denied.at(-1)).toMatchObject({ outcome: 'denied', commune_id: b.id, object_type: 'report' });
    await expectIndistinguishable(
      `/api/staff/reports/${reportB.id}/status`,
      `/api/staff/reports/${crypto.randomUUID()}/status`,
      cookies.supervisor,
      'POST',
      { status: 'rejected' },
    );
    const { rows } = await srv.pool.query('SELECT status FROM reports WHERE id = $1', [reportB.id]);
    expect(rows[0].status).toBe('new');
  });

  it('serves photos to staff of the report\u2019s commune and to the reporter only', async () => {
    const photo = (id: string) => `/api/reports/${id}/photos/1`;
    expect((await call(srv.url, photo(reportA.id), { cookie: cookies.crew })).status).toBe(200);
    expect((await call(srv.url, photo(reportB.id), { cookie: cookies.both })).status).toBe(200);
    expect((await call(srv.url, photo(reportB.id), { cookie: cookies.superadmin })).status).toBe(200);
    const owner = await call(srv.url, photo(reportB.id), { headers: { 'X-Reporter-Token': reportB.token } });
    expect(owner.status).toBe(200);
    expect(owner.headers.get('content-type')).toBe('image/jpeg');
    await expectIndistinguishable(photo(reportB.id), photo(crypto.randomUUID()), cookies.crew);
    await expectIndistinguishable(
      `${photo(reportA.id)}?size=thumb`,
      `/api/reports/${reportA.id}/photos/4`,
      cookies.both.replace(/=.*/, '=x'),
    );
    const stranger = await call(srv.url, photo(reportB.id), { headers: { 'X-Reporter-Token': newToken() } });
    const missing = await call(srv.url, photo(crypto.randomUUID()), {
      headers: { 'X-Reporter-Token': newToken() },
    });
    expect([stranger.status, missing.status]).toEqual([404, 404]);
    expect(stranger.text).toBe(missing.text);
    const denied = await auditRows(srv.pool, { action: 'access_denied', objectId: `${reportB.id}/1` });
    expect(denied.length).toBeGreaterThanOrEqual(2);
  });

  it('shows the reporter\u2019s contact email to supervisors and admins, never to crews', async () => {
    const get = (cookie: string) => call(srv.url, `/api/staff/reports/${reportA.id}`, { cookie });
    const crew = await get(cookies.crew);
    expect(crew.status).toBe(200);
    expect(crew.json).not.toHaveProperty('contactEmail');
    expect(crew.text).not.toContain('habitant.a@example.org');
    expect((await get(cookies.supervisor)).json).toMatchObject({ contactEmail: 'habitant.a@example.org' });
    expect((await get(cookies.admin)).json).toMatchObject({ contactEmail: 'habitant.a@example.org' });
    // A crew member in A who supervises B sees B's contact data but not A's.
    expect((await get(cookies.both)).json).not.toHaveProperty('contactEmail');
    const inB = await call(srv.url, `/api/staff/reports/${reportB.id}`, { cookie: cookies.both });
    expect(inB.json).toMatchObject({ contactEmail: 'habitant.b@example.org' });
    // Lists never carry contact data.
    const list = await call(srv.url, '/api/staff/reports', { cookie: cookies.supervisor });
    expect(list.text).not.toContain('habitant.a@example.org');
  });

  it('answers another commune\u2019s users exactly like missing ones', async () => {
    const missing = crypto.randomUUID();
    await expectIndistinguishable(
      `/api/staff/communes/${b.slug}/users`,
      '/api/staff/communes/nowhere/users',
      cookies.admin,
    );
    const mine = `/api/staff/communes/${a.slug}/users`;
    await expectIndistinguishable(
      `${mine}/${userB.id}/disable`,
      `${mine}/${missing}/disable`,
      cookies.admin,
      'POST',
    );
    await expectIndistinguishable(
      `${mine}/${userB.id}/roles/admin`,
      `${mine}/${missing}/roles/admin`,
      cookies.admin,
      'PUT',
    );
    await expectIndistinguishable(
      `${mine}/${userB.id}/roles/crew`,
      `${mine}/${missing}/roles/crew`,
      cookies.admin,
      'DELETE',
    );
    const { rows } = await srv.pool.query(
      'SELECT disabled_at, (SELECT count(*)::int FROM user_roles WHERE user_id = $1) AS roles FROM users WHERE id = $1',
      [userB.id],
    );
    expect(rows[0]).toEqual({ disabled_at: null, roles: 1 });
    const list = await call(srv.url, mine, { cookie: cookies.admin });
    expect(list.text).not.toContain(userB.id);
  });

  it('answers another commune\u2019s export exactly like a missing commune', async () => {
    await expectIndistinguishable(
      `/api/reports/export.csv?commune=${b.slug}`,
      '/api/reports/export.csv?commune=no-such-commune',
      cookies.supervisor,
    );
    const own = await call(srv.url, `/api/reports/export.csv?commune=${a.slug}`, {
      cookie: cookies.supervisor,
    });
    expect(own.status).toBe(200);
    expect(own.text).toContain(reportA.id);
    expect(own.text).not.toContain(reportB.id);
  });
});

describe('roles within a commune', () => {
  it('lets crews set field statuses but not triage or moderate', async () => {
    const r = await sendReport(srv.url, a.centre);
    const kept = await sendReport(srv.url, a.centre);
    const set = (cookie: string, status: string) =>
      call(srv.url, `/api/staff/reports/${r.id}/status`, {
        method: 'POST',
        cookie,
        json: { status, ...(status === 'duplicate' ? { duplicateOf: kept.id } : {}) },
      });
    expect((await set(cookies.crew, 'rejected')).status).toBe(403);
    expect((await set(cookies.crew, 'acknowledged')).status).toBe(403);
    expect((await set(cookies.admin, 'in_progress')).status).toBe(403);
    const done = await set(cookies.crew, 'in_progress');
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ status: 'in_progress' });
    expect((await set(cookies.supervisor, 'duplicate')).json).toMatchObject({ status: 'duplicate' });
    // The resident sees the change in their report's history.
    const mine = await call(srv.url, `/api/reports/${r.id}`, { headers: { 'X-Reporter-Token': r.token } });
    expect((mine.json!.history as Array<{ toStatus: string }>).map((h) => h.toStatus)).toEqual([
      'new',
      'in_progress',
      'duplicate',
    ]);
  });

  it('keeps users administration to admins', async () => {
    for (const role of ['crew', 'supervisor'] as const)
      expect(
        (await call(srv.url, `/api/staff/communes/${a.slug}/users`, { cookie: cookies[role] })).status,
      ).toBe(403);
    expect(
      (await call(srv.url, `/api/staff/communes/${a.slug}/users`, { cookie: cookies.admin })).status,
    ).toBe(200);
  });
});
