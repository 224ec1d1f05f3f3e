import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCrew, upsertSupplyPoint } from '../../../server/src/plans/plans.repo';
import * as plans from '../../../server/src/plans/plans.service';
import { planToGpx } from '../../../server/src/plans/plans.gpx';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, newToken, randomCentre } from '../../support/fixtures';
import { reportFields, sendReport } from '../../support/reports';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let actor: plans.Actor;
let deps: plans.PlansDeps;
const potholes: string[] = [];
const lights: string[] = [];
let roadCrew: number;
let lightCrew: number;

function offset(north: number, east: number) {
  const { lat, lon } = commune.centre;
  return { lat: lat + north / 111_320, lon: lon + east / (111_320 * Math.cos((lat * Math.PI) / 180)) };
}

async function statusOf(id: string): Promise<string> {
  return (await srv.pool.query('SELECT status FROM reports WHERE id = $1', [id])).rows[0].status;
}

async function eventCount(id: string): Promise<number> {
  return (await srv.pool.query('SELECT count(*)::int AS n FROM report_events WHERE report_id = $1', [id]))
    .rows[0].n;
}

beforeAll(async () => {
  srv = await startTestServer();
  commune = await createTestCommune(srv.pool, randomCentre());
  deps = { pool: srv.pool, photos: srv.photos };
  actor = { userId: 'supervisor-1', communeIds: [commune.id] };
  roadCrew = await insertCrew(srv.pool, commune.id, {
    name: 'Voirie',
    workTypes: ['asphalt'],
    workingMinutes: 420,
    speedKmh: 30,
  });
  lightCrew = await insertCrew(srv.pool, commune.id, {
    name: 'Éclairage',
    workTypes: ['lighting'],
    workingMinutes: 420,
    speedKmh: 30,
  });
  await upsertSupplyPoint(srv.pool, commune.id, {
    workType: 'asphalt',
    name: 'Centrale',
    ...offset(-800, -800),
    serviceMinutes: 20,
  });
  const token = newToken();
  for (let i = 0; i < 6; i++) {
    const r = await sendReport(srv.url, { token, fields: reportFields(offset(i * 150, (i % 3) * 200)) });
    potholes.push(r.id);
  }
  for (let i = 0; i < 2; i++) {
    const r = await sendReport(srv.url, {
      token,
      fields: reportFields(offset(-i * 300, 400), { category: 'street_light' }),
    });
    lights.push(r.id);
  }
});
afterAll(async () => {
  await srv?.close();
});

describe('plans service', () => {
  let saved: Awaited<ReturnType<typeof plans.save>>;

  it('proposes one round per work type, starting at the supply point, within the day', async () => {
    const answer = await plans.preview(deps, actor, {
      communeId: commune.id,
      date: '2026-12-01',
      timeBudgetMs: 200,
    });
    expect(answer.plans).toHaveLength(2);
    const asphalt = answer.plans.find((p) => p.workType === 'asphalt')!;
    expect(asphalt.crew.id).toBe(roadCrew);
    expect(asphalt.supply?.name).toBe('Centrale');
    expect(asphalt.stops.map((s) => s.reportId).sort()).toEqual([...potholes].sort());
    expect(asphalt.fits).toBe(true);
    expect(asphalt.totals.totalMinutes).toBeLessThanOrEqual(420);
    expect(asphalt.stops[0]!.report.thumbUrl).toMatch(/photos\/1\?size=thumb$/);
    const lighting = answer.plans.find((p) => p.workType === 'lighting')!;
    expect(lighting.crew.id).toBe(lightCrew);
    expect(lighting.supply).toBeNull();
    expect(answer.unplanned).toEqual([]);
  });

  it('saves drafts re-timed from the given order, and refuses to plan a report twice', async () => {
    saved = await plans.save(deps, actor, {
      communeId: commune.id,
      date: '2026-12-01',
      plans: [
        { crewId: roadCrew, workType: 'asphalt', reportIds: potholes.slice(0, 4) },
        { crewId: lightCrew, workType: 'lighting', reportIds: lights },
      ],
    });
    expect(saved.map((p) => p.status)).toEqual(['draft', 'draft']);
    const [road] = saved;
    expect(road!.stops.map((s) => s.reportId)).toEqual(potholes.slice(0, 4));
    expect(road!.stops[0]!.arrivalMinute).toBeGreaterThan(road!.supply!.arrivalMinute);
    for (let i = 1; i < 4; i++)
      expect(road!.stops[i]!.arrivalMinute).toBeGreaterThan(road!.stops[i - 1]!.arrivalMinute);
    await expect(
      plans.save(deps, actor, {
        communeId: commune.id,
        date: '2026-12-01',
        plans: [{ crewId: roadCrew, workType: 'asphalt', reportIds: [potholes[0]!] }],
      }),
    ).rejects.toMatchObject({ status: 409, code: 'report_not_plannable' });
    await expect(
      plans.save(deps, actor, {
        communeId: commune.id,
        date: '2026-12-01',
        plans: [{ crewId: roadCrew, workType: 'lighting', reportIds: [potholes[4]!] }],
      }),
    ).rejects.toMatchObject({ status: 422, code: 'crew_cannot_do_work_type' });
    // The next preview leaves the saved reports out.
    const next = await plans.preview(deps, actor, {
      communeId: commune.id,
      date: '2026-12-02',
      timeBudgetMs: 100,
    });
    expect(next.plans.flatMap((p) => p.stops.map((s) => s.reportId)).sort()).toEqual(
      potholes.slice(4).sort(),
    );
  });

  it('refuses a round longer than the crew day', async () => {
    const slow = await insertCrew(srv.pool, commune.id, {
      name: 'Lente',
      workTypes: [],
      workingMinutes: 30,
      speedKmh: 5,
    });
    await expect(
      plans.save(deps, actor, {
        communeId: commune.id,
        date: '2026-12-01',
        plans: [{ crewId: slow, workType: 'asphalt', reportIds: potholes.slice(4) }],
      }),
    ).rejects.toMatchObject({ status: 422, code: 'plan_exceeds_day' });
  });

  it('publishes: the reports become planned; publishing again changes nothing', async () => {
    const road = saved[0]!;
    const published = await plans.publish(deps, actor, road.id);
    expect(published.status).toBe('published');
    expect(await statusOf(potholes[0]!)).toBe('planned');
    const events = await eventCount(potholes[0]!);
    await plans.publish(deps, actor, road.id);
    expect(await eventCount(potholes[0]!)).toBe(events);
  });

  it('records stop updates idempotently and moves the report to fixed or not fixable', async () => {
    const road = saved[0]!;
    const at = '2026-12-01T10:15:00+01:00';
    const after = await plans.updateStop(
      deps,
      actor,
      road.id,
      potholes[0]!,
      { status: 'done', at },
      undefined,
    );
    expect(after.stops[0]).toMatchObject({ status: 'done', doneAt: '2026-12-01T09:15:00.000Z' });
    expect(await statusOf(potholes[0]!)).toBe('fixed');
    const events = await eventCount(potholes[0]!);
    await plans.updateStop(deps, actor, road.id, potholes[0]!, { status: 'done', at }, undefined);
    expect(await eventCount(potholes[0]!)).toBe(events);
    await plans.updateStop(
      deps,
      actor,
      road.id,
      potholes[1]!,
      { status: 'not_fixable', at, note: 'Réseau' },
      undefined,
    );
    expect(await statusOf(potholes[1]!)).toBe('not_fixable');
    await expect(
      plans.updateStop(deps, actor, road.id, lights[0]!, { status: 'done', at }, undefined),
    ).rejects.toMatchObject({ status: 404, code: 'stop_not_found' });
    await expect(
      plans.updateStop(deps, actor, saved[1]!.id, lights[0]!, { status: 'done', at }, undefined),
    ).rejects.toMatchObject({ status: 409, code: 'plan_not_published' });
  });

  it('closes a plan: stops not done go back to the open pool', async () => {
    const road = saved[0]!;
    const closed = await plans.close(deps, actor, road.id);
    expect(closed.status).toBe('closed');
    expect(await statusOf(potholes[2]!)).toBe('acknowledged');
    expect(await statusOf(potholes[0]!)).toBe('fixed');
    const again = await plans.preview(deps, actor, {
      communeId: commune.id,
      date: '2026-12-03',
      timeBudgetMs: 100,
    });
    expect(again.plans.flatMap((p) => p.stops.map((s) => s.reportId))).toEqual(
      expect.arrayContaining(potholes.slice(2, 4)),
    );
  });

  it("answers another commune's plan exactly like a missing one", async () => {
    const stranger: plans.Actor = { userId: 'x', communeIds: [commune.id + 100_000] };
    const err = await plans.get(deps, stranger, saved[0]!.id).catch((e: unknown) => e);
    const missing = await plans
      .get(deps, actor, '00000000-0000-4000-8000-000000000000')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, code: 'plan_not_found' });
    expect(missing).toMatchObject({ status: 404, code: 'plan_not_found', message: (err as Error).message });
    await expect(
      plans.preview(deps, stranger, { communeId: commune.id, date: '2026-12-01', timeBudgetMs: 100 }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('exports a round as GPX with one waypoint per stop', async () => {
    const gpx = planToGpx(await plans.get(deps, actor, saved[0]!.id));
    expect(gpx).toContain('<gpx version="1.1"');
    expect(gpx.match(/<wpt /g)).toHaveLength(4);
    expect(gpx).toContain('<name>1. Nid-de-poule</name>');
  });
});
