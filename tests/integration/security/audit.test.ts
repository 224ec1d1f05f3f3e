import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { sendResidentReport as sendReport } from '../../support/resident';
import {
  auditRows,
  call,
  createStaff,
  newEmail,
  newPassword,
  signIn,
  type TestUser,
} from '../../support/staff';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let admin: TestUser;
let sup: TestUser;
let adminCookie: string;
let supCookie: string;

beforeAll(async () => {
  srv = await startTestServer();
  commune = await createTestCommune(srv.pool, randomCentre());
  admin = await createStaff(srv.pool, [{ communeId: commune.id, role: 'admin' }]);
  sup = await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]);
  adminCookie = await signIn(srv.url, admin);
  supCookie = await signIn(srv.url, sup);
});
afterAll(async () => {
  await srv?.close();
});

/** Makes a call with a known request id and returns the audit rows it wrote. */
async function audited(path: string, opts: Parameters<typeof call>[2], requestId: string) {
  const res = await call(srv.url, path, { ...opts, headers: { 'X-Request-Id': requestId } });
  expect(res.headers.get('x-request-id')).toBe(requestId);
  return { res, rows: await auditRows(srv.pool, { requestId }) };
}

describe('audit log', () => {
  it('records role changes with who, commune, object, action, UTC time and request id', async () => {
    const users = `/api/staff/communes/${commune.slug}/users`;
    const email = newEmail();
    const created = await audited(
      users,
      { method: 'POST', cookie: adminCookie, json: { email, role: 'crew', password: newPassword() } },
      'audit-create-0001',
    );
    expect(created.res.status).toBe(201);
    const id = (created.res.json as { id: string }).id;
    expect(created.rows.map((r) => r.action)).toEqual(['user_created', 'role_granted']);
    const before = Date.now();
    const granted = await audited(
      `${users}/${id}/roles/supervisor`,
      { method: 'PUT', cookie: adminCookie },
      'audit-grant-0001',
    );
    expect(granted.rows).toHaveLength(1);
    const row = granted.rows[0]!;
    expect(row).toMatchObject({
      actor_kind: 'user',
      actor_user_id: admin.id,
      commune_id: commune.id,
      action: 'role_granted',
      outcome: 'success',
      object_type: 'user',
      object_id: id,
      request_id: 'audit-grant-0001',
      data: { role: 'supervisor' },
    });
    expect(Math.abs((row.at as Date).getTime() - before)).toBeLessThan(60_000);
    // Granting twice changes nothing and writes nothing.
    expect(
      (
        await audited(
          `${users}/${id}/roles/supervisor`,
          { method: 'PUT', cookie: adminCookie },
          'audit-grant-0002',
        )
      ).rows,
    ).toHaveLength(0);
    const revoked = await audited(
      `${users}/${id}/roles/crew`,
      { method: 'DELETE', cookie: adminCookie },
      'audit-revoke-001',
    );
    expect(revoked.rows).toMatchObject([{ action: 'role_revoked', data: { role: 'crew' } }]);
    const disabled = await audited(
      `${users}/${id}/disable`,
      { method: 'POST', cookie: adminCookie },
      'audit-disable-01',
    );
    expect(disabled.rows).toMatchObject([{ action: 'user_disabled', object_id: id }]);
  });

  it('records status changes, moderation and exports', async () => {
    const r = await sendReport(srv.url, commune.centre);
    const status = `/api/staff/reports/${r.id}/status`;
    const ack = await audited(
      status,
      { method: 'POST', cookie: supCookie, json: { status: 'acknowledged' } },
      'audit-status-001',
    );
    expect(ack.rows).toMatchObject([
      {
        action: 'report_status_changed',
        object_type: 'report',
        object_id: r.id,
        commune_id: commune.id,
        actor_user_id: sup.id,
        data: { from: 'new', to: 'acknowledged' },
      },
    ]);
    const rej = await audited(
      status,
      {
        method: 'POST',
        cookie: supCookie,
        json: { status: 'rejected', reason: 'Hors voirie communale', note: 'doublon' },
      },
      'audit-moderate-01',
    );
    expect(rej.rows).toMatchObject([
      { action: 'report_moderated', data: { from: 'acknowledged', to: 'rejected' } },
    ]);
    const exp = await audited(
      `/api/reports/export.csv?commune=${commune.slug}`,
      { cookie: supCookie },
      'audit-export-0001',
    );
    expect(exp.res.status).toBe(200);
    expect(exp.rows).toMatchObject([{ action: 'export', commune_id: commune.id, data: { format: 'csv' } }]);
  });

  it('records denied accesses', async () => {
    const crew = await createStaff(srv.pool, [{ communeId: commune.id, role: 'crew' }]);
    const cookie = await signIn(srv.url, crew);
    const denied = await audited(
      `/api/staff/communes/${commune.slug}/users`,
      { cookie },
      'audit-denied-0001',
    );
    expect(denied.res.status).toBe(403);
    expect(denied.rows).toMatchObject([
      {
        action: 'access_denied',
        outcome: 'denied',
        actor_user_id: crew.id,
        commune_id: commune.id,
        data: { permission: 'users:manage' },
      },
    ]);
  });

  it('lets a commune admin read the commune\u2019s log, including their staff\u2019s sign-ins', async () => {
    const res = await call(srv.url, `/api/staff/communes/${commune.slug}/audit?limit=200`, {
      cookie: adminCookie,
    });
    expect(res.status).toBe(200);
    const actions = (res.json!.items as Array<{ action: string; at: string }>).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['sign_in', 'role_granted', 'export', 'report_moderated']),
    );
    expect((res.json!.items as Array<{ at: string }>)[0]!.at).toMatch(/Z$/);
    expect(
      (await call(srv.url, `/api/staff/communes/${commune.slug}/audit`, { cookie: supCookie })).status,
    ).toBe(403);
  });

  it('cannot be changed or deleted, even by the application\u2019s own database connection', async () => {
    const [row] = await auditRows(srv.pool, { requestId: 'audit-status-001' });
    await expect(
      srv.pool.query("UPDATE audit_log SET action = 'nothing' WHERE id = $1", [row!.id]),
    ).rejects.toThrow(/append-only/);
    await expect(srv.pool.query('DELETE FROM audit_log WHERE id = $1', [row!.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(srv.pool.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect(await auditRows(srv.pool, { requestId: 'audit-status-001' })).toEqual([row]);
  });
});
