import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { sendResidentReport } from '../../support/resident';
import { call, createStaff, signIn } from '../../support/staff';

type Commune = Awaited<ReturnType<typeof createTestCommune>>;
interface Category {
  code: string;
  labelFr: string;
  labelEn: string;
  icon: string;
  workType: string;
  active: boolean;
  position: number;
  reports: number;
}

let srv: TestServer;
let a: Commune;
let b: Commune;
let admin: string;
let otherAdmin: string;
let path: string;

/** The audit rows of commune `a` for an action, newest first. */
async function auditRows(action: string) {
  const { rows } = await srv.pool.query<{
    actor_user_id: string | null;
    object_id: string;
    data: Record<string, unknown>;
  }>(
    'SELECT actor_user_id, object_id, data FROM audit_log WHERE commune_id = $1 AND action = $2 ORDER BY id DESC',
    [a.id, action],
  );
  return rows;
}

/** What a resident's phone is offered at the commune's centre. */
async function residentCodes(c: Commune): Promise<string[]> {
  const res = await call(srv.url, `/api/categories?lat=${c.centre.lat}&lon=${c.centre.lon}`);
  return (res.json!.categories as Array<{ code: string }>).map((x) => x.code);
}

const newCategory = (code: string) => ({
  code,
  labelFr: 'Trottoir abîmé',
  labelEn: 'Damaged pavement',
  icon: 'road',
  workType: 'pavement',
  defaultServiceMinutes: 35,
  defaultPriority: 'normal',
});

let adminId: string;
beforeAll(async () => {
  srv = await startTestServer();
  a = await createTestCommune(srv.pool, randomCentre());
  b = await createTestCommune(srv.pool, randomCentre());
  const user = await createStaff(srv.pool, [{ communeId: a.id, role: 'admin' }]);
  adminId = user.id;
  admin = await signIn(srv.url, user);
  otherAdmin = await signIn(srv.url, await createStaff(srv.pool, [{ communeId: b.id, role: 'admin' }]));
  path = `/api/staff/communes/${a.slug}/categories`;
  await sendResidentReport(srv.url, a.centre); // a pothole: that category is in use
});
afterAll(async () => {
  await srv?.close();
});

describe('GET /api/staff/communes/:commune/categories', () => {
  it('lists every category with its report count, and suggests work types', async () => {
    const res = await call(srv.url, path, { cookie: admin });
    expect(res.status).toBe(200);
    const items = res.json!.items as Category[];
    expect(items.map((c) => c.code)).toContain('pothole');
    expect(items.find((c) => c.code === 'pothole')).toMatchObject({
      reports: 1,
      active: true,
      workType: 'asphalt',
    });
    expect(items.find((c) => c.code === 'sign')).toMatchObject({ reports: 0 });
    expect(res.json!.workTypes).toEqual(expect.arrayContaining(['asphalt', 'lighting', 'general']));
  });
});

describe('POST /api/staff/communes/:commune/categories', () => {
  it('adds a category at the end of the grid, offered to residents at once, and audits it', async () => {
    const res = await call(srv.url, path, { method: 'POST', cookie: admin, json: newCategory('pavement') });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ code: 'pavement', active: true, reports: 0, workType: 'pavement' });
    const list = (await call(srv.url, path, { cookie: admin })).json!.items as Category[];
    expect(list.at(-1)!.code).toBe('pavement');
    expect(await residentCodes(a)).toContain('pavement');
    expect(await residentCodes(b)).not.toContain('pavement');
    const [row] = await auditRows('category_created');
    expect(row).toMatchObject({ actor_user_id: adminId, object_id: 'pavement' });
    expect(row!.data).toMatchObject({ category: { labelFr: 'Trottoir abîmé', icon: 'road' } });
    // The new work type is now suggested.
    expect((await call(srv.url, path, { cookie: admin })).json!.workTypes).toContain('pavement');
  });

  it('refuses a code already used in the commune (even by an inactive category) with 409', async () => {
    const res = await call(srv.url, path, { method: 'POST', cookie: admin, json: newCategory('pothole') });
    expect(res.status).toBe(409);
    expect(res.json!.error).toMatchObject({ code: 'category_code_taken', field: 'code' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an icon the app does not draw', { icon: 'unicorn' }, 'icon'],
    ['a work type that is not a code', { workType: 'Nids de poule' }, 'workType'],
    ['a code with capitals', { code: 'Pothole2' }, 'code'],
    ['an empty label', { labelFr: '   ' }, 'labelFr'],
    ['too long a service time', { defaultServiceMinutes: 481 }, 'defaultServiceMinutes'],
    ['an unknown priority', { defaultPriority: 'urgent' }, 'defaultPriority'],
    ['an unknown field', { colour: 'red' }, 'colour'],
  ])('answers 400 for %s, writing nothing', async (_what, patch, field) => {
    const before = (
      await srv.pool.query('SELECT count(*)::int AS n FROM categories WHERE commune_id = $1', [a.id])
    ).rows[0].n;
    const res = await call(srv.url, path, {
      method: 'POST',
      cookie: admin,
      json: { ...newCategory('newcode'), ...patch },
    });
    expect(res.status).toBe(400);
    expect(res.json!.error).toMatchObject({ field });
    const after = (
      await srv.pool.query('SELECT count(*)::int AS n FROM categories WHERE commune_id = $1', [a.id])
    ).rows[0].n;
    expect(after).toBe(before);
  });
});

describe('PATCH /api/staff/communes/:commune/categories/:code', () => {
  it('renames a category; residents see the new label; the audit row says what changed', async () => {
    const res = await call(srv.url, `${path}/pavement`, {
      method: 'PATCH',
      cookie: admin,
      json: { labelFr: 'Trottoir dégradé', icon: 'other' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ code: 'pavement', labelFr: 'Trottoir dégradé', icon: 'other' });
    const offered = await call(srv.url, `/api/categories?lat=${a.centre.lat}&lon=${a.centre.lon}`);
    expect(offered.json!.categories).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'pavement', labelFr: 'Trottoir dégradé' })]),
    );
    const [row] = await auditRows('category_updated');
    expect(row!.data).toEqual({
      code: 'pavement',
      changes: {
        labelFr: { from: 'Trottoir abîmé', to: 'Trottoir dégradé' },
        icon: { from: 'road', to: 'other' },
      },
    });
  });

  it('changes the code of a category no report uses, and refuses it for one that reports use', async () => {
    const ok = await call(srv.url, `${path}/pavement`, {
      method: 'PATCH',
      cookie: admin,
      json: { code: 'sidewalk' },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ code: 'sidewalk' });
    const used = await call(srv.url, `${path}/pothole`, {
      method: 'PATCH',
      cookie: admin,
      json: { code: 'hole' },
    });
    expect(used.status).toBe(409);
    expect(used.json!.error).toMatchObject({ code: 'category_code_in_use', field: 'code' });
    const taken = await call(srv.url, `${path}/sidewalk`, {
      method: 'PATCH',
      cookie: admin,
      json: { code: 'sign' },
    });
    expect(taken.status).toBe(409);
    expect(taken.json!.error).toMatchObject({ code: 'category_code_taken' });
    expect(
      (await srv.pool.query("SELECT 1 FROM categories WHERE commune_id = $1 AND code = 'hole'", [a.id]))
        .rowCount,
    ).toBe(0);
  });

  it('deactivates a category: residents no longer see it, its reports keep it', async () => {
    const res = await call(srv.url, `${path}/pothole`, {
      method: 'PATCH',
      cookie: admin,
      json: { active: false },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ code: 'pothole', active: false, reports: 1 });
    expect(await residentCodes(a)).not.toContain('pothole');
    const back = await call(srv.url, `${path}/pothole`, {
      method: 'PATCH',
      cookie: admin,
      json: { active: true },
    });
    expect(back.json).toMatchObject({ active: true });
  });

  it('answers 400 for an empty change or a bad value', async () => {
    const empty = await call(srv.url, `${path}/sign`, { method: 'PATCH', cookie: admin, json: {} });
    expect(empty.status).toBe(400);
    const bad = await call(srv.url, `${path}/sign`, {
      method: 'PATCH',
      cookie: admin,
      json: { icon: 'rocket' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json!.error).toMatchObject({ field: 'icon' });
    const badCode = await call(srv.url, `${path}/NOT%20A%20CODE`, {
      method: 'PATCH',
      cookie: admin,
      json: { active: true },
    });
    expect(badCode.status).toBe(400);
  });
});

describe('DELETE /api/staff/communes/:commune/categories/:code', () => {
  it('deletes a category no report uses, and audits it', async () => {
    const res = await call(srv.url, `${path}/sidewalk`, { method: 'DELETE', cookie: admin });
    expect(res.status).toBe(204);
    expect(await residentCodes(a)).not.toContain('sidewalk');
    expect((await auditRows('category_deleted'))[0]).toMatchObject({ object_id: 'sidewalk' });
  });

  it('refuses to delete a category that reports use: deactivate it instead', async () => {
    const res = await call(srv.url, `${path}/pothole`, { method: 'DELETE', cookie: admin });
    expect(res.status).toBe(409);
    expect(res.json!.error).toMatchObject({ code: 'category_in_use' });
    expect(await residentCodes(a)).toContain('pothole');
  });

  it('keeps at least one active category', async () => {
    const list = (await call(srv.url, path, { cookie: admin })).json!.items as Category[];
    const active = list.filter((c) => c.active).map((c) => c.code);
    for (const code of active.slice(1)) {
      const r = await call(srv.url, `${path}/${code}`, {
        method: 'PATCH',
        cookie: admin,
        json: { active: false },
      });
      expect(r.status).toBe(200);
    }
    const last = await call(srv.url, `${path}/${active[0]}`, {
      method: 'PATCH',
      cookie: admin,
      json: { active: false },
    });
    expect(last.status).toBe(409);
    expect(last.json!.error).toMatchObject({ code: 'last_active_category' });
    expect(await residentCodes(a)).toEqual([active[0]]);
    for (const code of active.slice(1))
      await call(srv.url, `${path}/${code}`, { method: 'PATCH', cookie: admin, json: { active: true } });
  });
});

describe("another commune's categories", () => {
  it('answer 404 to an admin of another commune, exactly like a missing commune, and change nothing', async () => {
    const theirs = await call(srv.url, `${path}/sign`, {
      method: 'PATCH',
      cookie: otherAdmin,
      json: { active: false },
    });
    const none = await call(srv.url, '/api/staff/communes/nowhere/categories/sign', {
      method: 'PATCH',
      cookie: otherAdmin,
      json: { active: false },
    });
    expect([theirs.status, none.status]).toEqual([404, 404]);
    expect(theirs.text).toBe(none.text);
    expect(await residentCodes(a)).toContain('sign');
    const list = await call(srv.url, path, { cookie: otherAdmin });
    expect(list.status).toBe(404);
    const denied = await srv.pool.query(
      "SELECT 1 FROM audit_log WHERE commune_id = $1 AND action = 'access_denied' AND object_id = $2",
      [a.id, a.slug],
    );
    expect(denied.rowCount).toBeGreaterThan(0);
  });

  it('keeps codes per commune: the same code in two communes are two categories', async () => {
    const res = await call(srv.url, `/api/staff/communes/${b.slug}/categories`, {
      method: 'POST',
      cookie: otherAdmin,
      json: newCategory('pavement'),
    });
    expect(res.status).toBe(201);
    expect(await residentCodes(a)).not.toContain('pavement');
  });
});
