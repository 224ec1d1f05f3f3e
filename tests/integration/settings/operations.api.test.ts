import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { insertCrew } from '../../../server/src/plans/plans.repo';
import { createPlan } from '../../support/plans';
import { sendResidentReport } from '../../support/resident';
import { call, createStaff, signIn, type TestUser } from '../../support/staff';

type Commune = Awaited<ReturnType<typeof createTestCommune>>;
interface Crew {
  id: number;
  name: string;
  workTypes: string[];
  workingMinutes: number;
  speedKmh: number;
  active: boolean;
  members?: Array<{ id: string; email: string }>;
}

let srv: TestServer;
let a: Commune;
let b: Commune;
let admin: string;
let supervisor: string;
let crewUser: TestUser;
let crewCookie: string;
let otherAdmin: string;
const base = () => `/api/staff/communes/${a.slug}`;

async function lastAudit(action: string) {
  const { rows } = await srv.pool.query<{ object_id: string; data: Record<string, unknown> }>(
    'SELECT object_id, data FROM audit_log WHERE commune_id = $1 AND action = $2 ORDER BY id DESC LIMIT 1',
    [a.id, action],
  );
  return rows[0];
}

beforeAll(async () => {
  srv = await startTestServer();
  a = await createTestCommune(srv.pool, randomCentre());
  b = await createTestCommune(srv.pool, randomCentre());
  admin = await signIn(srv.url, await createStaff(srv.pool, [{ communeId: a.id, role: 'admin' }]));
  supervisor = await signIn(srv.url, await createStaff(srv.pool, [{ communeId: a.id, role: 'supervisor' }]));
  crewUser = await createStaff(srv.pool, [{ communeId: a.id, role: 'crew' }]);
  crewCookie = await signIn(srv.url, crewUser);
  otherAdmin = await signIn(srv.url, await createStaff(srv.pool, [{ communeId: b.id, role: 'admin' }]));
});
afterAll(async () => {
  await srv?.close();
});

describe('depot: GET and PUT /api/staff/communes/:commune/depot', () => {
  it('gives the depot with the boundary for the map', async () => {
    const res = await call(srv.url, `${base()}/depot`, { cookie: admin });
    expect(res.status).toBe(200);
    expect(res.json!.depot).toEqual({
      lat: expect.closeTo(a.centre.lat, 6),
      lon: expect.closeTo(a.centre.lon, 6),
    });
    expect(res.json!.boundary).toMatchObject({ type: 'MultiPolygon' });
    const [minLon, minLat, maxLon, maxLat] = res.json!.bbox as number[];
    expect(
      minLon! < a.centre.lon && a.centre.lon < maxLon! && minLat! < a.centre.lat && a.centre.lat < maxLat!,
    ).toBe(true);
  });

  it('moves the depot inside the boundary; new proposals start from there; the move is audited', async () => {
    const to = { lat: a.centre.lat + 0.004, lon: a.centre.lon - 0.003 };
    const res = await call(srv.url, `${base()}/depot`, { method: 'PUT', cookie: admin, json: to });
    expect(res.status, res.text).toBe(200);
    expect(res.json!.depot).toEqual({ lat: expect.closeTo(to.lat, 9), lon: expect.closeTo(to.lon, 9) });
    const audit = await lastAudit('depot_moved');
    expect(audit!.data).toMatchObject({ to });
    await insertCrew(srv.pool, a.id, { name: 'Voirie', workTypes: [], workingMinutes: 450, speedKmh: 40 });
    await sendResidentReport(srv.url, a.centre);
    const preview = await call(srv.url, '/api/plans/preview', {
      method: 'POST',
      cookie: supervisor,
      json: { communeId: a.id, date: '2026-12-05', timeBudgetMs: 50 },
    });
    expect(preview.status).toBe(200);
    const plans = preview.json!.plans as Array<{ depot: { lat: number; lon: number } }>;
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans)
      expect(p.depot).toEqual({ lat: expect.closeTo(to.lat, 9), lon: expect.closeTo(to.lon, 9) });
  });

  it('refuses a point outside the commune with 422, leaving the depot where it was', async () => {
    const before = (await call(srv.url, `${base()}/depot`, { cookie: admin })).json!.depot;
    const res = await call(srv.url, `${base()}/depot`, {
      method: 'PUT',
      cookie: admin,
      json: { lat: a.centre.lat + 0.5, lon: a.centre.lon },
    });
    expect(res.status).toBe(422);
    expect(res.json!.error).toMatchObject({ code: 'depot_outside_commune', field: 'lat' });
    expect((await call(srv.url, `${base()}/depot`, { cookie: admin })).json!.depot).toEqual(before);
  });

  it.each([
    [{ lat: 91, lon: 0 }, 'lat'],
    [{ lat: 'north', lon: 0 }, 'lat'],
    [{ lat: 47 }, 'lon'],
    [{ lat: 47, lon: -2, alt: 3 }, 'alt'],
  ])('answers 400 for %j', async (json, field) => {
    const res = await call(srv.url, `${base()}/depot`, { method: 'PUT', cookie: admin, json });
    expect(res.status).toBe(400);
    expect(res.json!.error).toMatchObject({ field });
  });

  it("answers 404 for another commune's depot", async () => {
    const res = await call(srv.url, `${base()}/depot`, {
      method: 'PUT',
      cookie: otherAdmin,
      json: { lat: a.centre.lat, lon: a.centre.lon },
    });
    expect(res.status).toBe(404);
  });
});

describe('working hours: GET and PUT /api/staff/communes/:commune/working-hours', () => {
  it('starts the day at 08:00 by default; a new start time shows on the plans', async () => {
    expect((await call(srv.url, `${base()}/working-hours`, { cookie: admin })).json).toEqual({
      dayStart: '08:00',
    });
    const plan = await createPlan(srv, a, 'published');
    const res = await call(srv.url, `${base()}/working-hours`, {
      method: 'PUT',
      cookie: admin,
      json: { dayStart: '07:30' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ dayStart: '07:30' });
    const view = await call(srv.url, `/api/plans/${plan.planId}`, { cookie: crewCookie });
    expect(view.json!.dayStartMinute).toBe(450);
    expect((await lastAudit('working_hours_changed'))!.data).toEqual({
      dayStart: { from: '08:00', to: '07:30' },
    });
    const preview = await call(srv.url, '/api/plans/preview', {
      method: 'POST',
      cookie: supervisor,
      json: { communeId: a.id, date: '2026-12-06', timeBudgetMs: 50 },
    });
    for (const p of preview.json!.plans as Array<{ dayStartMinute: number }>)
      expect(p.dayStartMinute).toBe(450);
  });

  it.each(['24:00', '7:30', '07:60', '0730', ''])('answers 400 for dayStart %j', async (dayStart) => {
    const res = await call(srv.url, `${base()}/working-hours`, {
      method: 'PUT',
      cookie: admin,
      json: { dayStart },
    });
    expect(res.status).toBe(400);
    expect(res.json!.error).toMatchObject({ field: 'dayStart' });
  });
});

describe('crews: /api/staff/communes/:commune/crews', () => {
  let crew: Crew;

  it('creates a crew with its day and work types, audited; names are unique in the commune', async () => {
    const res = await call(srv.url, `${base()}/crews`, {
      method: 'POST',
      cookie: admin,
      json: { name: 'Équipe éclairage', workTypes: ['lighting'], workingMinutes: 420, speedKmh: 35 },
    });
    expect(res.status, res.text).toBe(201);
    crew = res.json as unknown as Crew;
    expect(crew).toMatchObject({
      name: 'Équipe éclairage',
      workTypes: ['lighting'],
      active: true,
      members: [],
    });
    expect((await lastAudit('crew_created'))!.object_id).toBe(String(crew.id));
    const again = await call(srv.url, `${base()}/crews`, {
      method: 'POST',
      cookie: admin,
      json: { name: 'Équipe éclairage' },
    });
    expect(again.status).toBe(409);
    expect(again.json!.error).toMatchObject({ code: 'crew_name_taken', field: 'name' });
  });

  it.each<[Record<string, unknown>, string]>([
    [{ name: '' }, 'name'],
    [{ name: 'X', workTypes: ['Éclairage'] }, 'workTypes'],
    [{ name: 'X', workTypes: ['lighting', 'lighting'] }, 'workTypes'],
    [{ name: 'X', workingMinutes: 1000 }, 'workingMinutes'],
    [{ name: 'X', speedKmh: 0 }, 'speedKmh'],
  ])('answers 400 for %j', async (json, field) => {
    const res = await call(srv.url, `${base()}/crews`, { method: 'POST', cookie: admin, json });
    expect(res.status).toBe(400);
    expect(res.json!.error).toMatchObject({ field });
  });

  it('lists the crews for supervisors and crews (the planning filter), members only for admins', async () => {
    const forSupervisor = await call(srv.url, `${base()}/crews`, { cookie: supervisor });
    expect(forSupervisor.status).toBe(200);
    const items = forSupervisor.json!.items as Crew[];
    expect(items.map((c) => c.name)).toContain('Équipe éclairage');
    expect(items.every((c) => c.members === undefined)).toBe(true);
    expect((await call(srv.url, `${base()}/crews`, { cookie: crewCookie })).status).toBe(200);
    const forAdmin = (await call(srv.url, `${base()}/crews`, { cookie: admin })).json!.items as Crew[];
    expect(forAdmin.every((c) => Array.isArray(c.members))).toBe(true);
  });

  it('changes and deactivates a crew: an inactive crew is not proposed rounds', async () => {
    const res = await call(srv.url, `${base()}/crews/${crew.id}`, {
      method: 'PATCH',
      cookie: admin,
      json: { workingMinutes: 390, active: false },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ workingMinutes: 390, active: false });
    expect((await lastAudit('crew_updated'))!.data).toEqual({
      changes: { workingMinutes: { from: 420, to: 390 }, active: { from: true, to: false } },
    });
    const preview = await call(srv.url, '/api/plans/preview', {
      method: 'POST',
      cookie: supervisor,
      json: { communeId: a.id, date: '2026-12-07', crewIds: [crew.id] },
    });
    expect(preview.status).toBe(400);
    expect(preview.json!.error).toMatchObject({ code: 'unknown_crew' });
    await call(srv.url, `${base()}/crews/${crew.id}`, {
      method: 'PATCH',
      cookie: admin,
      json: { active: true },
    });
  });

  it('adds and removes members (idempotent, audited); the member sees their crew on GET /api/plans', async () => {
    const add = await call(srv.url, `${base()}/crews/${crew.id}/members/${crewUser.id}`, {
      method: 'PUT',
      cookie: admin,
    });
    expect(add.status).toBe(200);
    expect(add.json!.members).toEqual([{ id: crewUser.id, email: crewUser.email }]);
    const twice = await call(srv.url, `${base()}/crews/${crew.id}/members/${crewUser.id}`, {
      method: 'PUT',
      cookie: admin,
    });
    expect(twice.json!.members).toHaveLength(1);
    expect(
      (
        await srv.pool.query(
          "SELECT count(*)::int AS n FROM audit_log WHERE action = 'crew_member_added' AND commune_id = $1",
          [a.id],
        )
      ).rows[0].n,
    ).toBe(1);
    const plans = await call(srv.url, '/api/plans?date=2026-12-01', { cookie: crewCookie });
    expect(plans.json!.myCrewIds).toEqual([crew.id]);
    const del = await call(srv.url, `${base()}/crews/${crew.id}/members/${crewUser.id}`, {
      method: 'DELETE',
      cookie: admin,
    });
    expect(del.status).toBe(200);
    expect(del.json!.members).toEqual([]);
    expect((await lastAudit('crew_member_removed'))!.data).toMatchObject({ userId: crewUser.id });
    expect(
      (await call(srv.url, '/api/plans?date=2026-12-01', { cookie: crewCookie })).json!.myCrewIds,
    ).toEqual([]);
  });

  it("refuses a user of another commune as a member (404, like a missing user), and another commune's crew", async () => {
    const stranger = await createStaff(srv.pool, [{ communeId: b.id, role: 'crew' }]);
    const res = await call(srv.url, `${base()}/crews/${crew.id}/members/${stranger.id}`, {
      method: 'PUT',
      cookie: admin,
    });
    expect(res.status).toBe(404);
    expect(res.json!.error).toMatchObject({ code: 'user_not_found' });
    const theirCrew = await call(srv.url, `/api/staff/communes/${b.slug}/crews`, {
      method: 'POST',
      cookie: otherAdmin,
      json: { name: 'Voirie B' },
    });
    const bCrew = theirCrew.json!.id as number;
    // Their crew through our commune's path: not found, exactly like a crew that does not exist.
    const viaOurs = await call(srv.url, `${base()}/crews/${bCrew}`, {
      method: 'PATCH',
      cookie: admin,
      json: { active: false },
    });
    const missing = await call(srv.url, `${base()}/crews/999999`, {
      method: 'PATCH',
      cookie: admin,
      json: { active: false },
    });
    expect([viaOurs.status, missing.status]).toEqual([404, 404]);
    expect(viaOurs.text).toBe(missing.text);
    // And their commune's path: 404 too.
    expect(
      (
        await call(srv.url, `/api/staff/communes/${b.slug}/crews/${bCrew}`, {
          method: 'PATCH',
          cookie: admin,
          json: { active: false },
        })
      ).status,
    ).toBe(404);
    expect((await srv.pool.query('SELECT active FROM crews WHERE id = $1', [bCrew])).rows[0].active).toBe(
      true,
    );
  });
});
