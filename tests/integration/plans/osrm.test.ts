import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OsrmConfig } from '../../../server/src/config';
import { greatCircleMetres } from '../../../server/src/plans/planner/travel';
import { insertCrew } from '../../../server/src/plans/plans.repo';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, newToken, randomCentre } from '../../support/fixtures';
import {
  FAKE_DETOUR,
  FAKE_SPEED_KMH,
  startFakeOsrm,
  unreachableUrl,
  type FakeOsrmMode,
} from '../../support/osrm';
import { reportFields, sendReport } from '../../support/reports';
import { call, createStaff, signIn } from '../../support/staff';

type Fake = Awaited<ReturnType<typeof startFakeOsrm>>;
type Commune = Awaited<ReturnType<typeof createTestCommune>>;
interface Stop {
  reportId: string;
  travelMinutes: number;
  report: { lat: number; lon: number };
}
interface Plan {
  crew: { id: number };
  workType: string;
  depot: { lat: number; lon: number };
  totals: { travelMinutes: number; distanceMetres: number; returnTravelMinutes: number };
  stops: Stop[];
}
interface Preview {
  travel: { model: string; fallback: { reason: string; message: string } | null };
  plans: Plan[];
}

/** The stand-in's road minutes between two points (its coordinates are rounded to 6 decimals). */
function fakeMinutes(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const r = (p: { lat: number; lon: number }) => ({ lat: +p.lat.toFixed(6), lon: +p.lon.toFixed(6) });
  return (greatCircleMetres(r(a), r(b)) * FAKE_DETOUR) / ((FAKE_SPEED_KMH * 1000) / 60);
}

/** Twelve pothole reports around the centre: with the depot, 13 locations. */
async function communeWithReports(srv: TestServer): Promise<Commune> {
  const commune = await createTestCommune(srv.pool, randomCentre());
  await insertCrew(srv.pool, commune.id, {
    name: 'Voirie',
    workTypes: [],
    workingMinutes: 480,
    speedKmh: 30,
  });
  const token = newToken();
  for (let i = 0; i < 12; i++) {
    const p = {
      lat: commune.centre.lat + ((i % 4) + 1) * 0.0015,
      lon: commune.centre.lon + Math.floor(i / 4) * 0.002,
    };
    await sendReport(srv.url, { token, fields: reportFields(p) });
  }
  return commune;
}

async function supervisorOf(srv: TestServer, commune: Commune): Promise<string> {
  return signIn(srv.url, await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]));
}

async function preview(srv: TestServer, cookie: string, commune: Commune): Promise<Preview> {
  const res = await call(srv.url, '/api/plans/preview', {
    method: 'POST',
    cookie,
    json: { communeId: commune.id, date: '2026-12-03', timeBudgetMs: 100 },
  });
  expect(res.status, res.text).toBe(200);
  return res.json as unknown as Preview;
}

let fake: Fake;
let srv: TestServer;
let commune: Commune;
let cookie: string;
const TIMEOUT_MS = 1500;

beforeAll(async () => {
  fake = await startFakeOsrm(8);
  const osrm: OsrmConfig = { url: fake.url, profile: 'driving', timeoutMs: TIMEOUT_MS, maxLocations: 8 };
  srv = await startTestServer({ osrm });
  commune = await communeWithReports(srv);
  cookie = await supervisorOf(srv, commune);
});
afterAll(async () => {
  await srv?.close();
  await fake?.close();
});

describe('POST /api/plans/preview with a road network (OSRM /table)', () => {
  it("times the rounds with the road network's table, asked in blocks the server accepts", async () => {
    fake.setMode('ok');
    fake.requests.length = 0;
    const answer = await preview(srv, cookie, commune);
    expect(answer.travel).toEqual({ model: 'road_network', fallback: null });
    // 13 locations, at most 8 per table: blocks of 4 (4 blocks), one request per pair of blocks.
    expect(fake.requests).toHaveLength(6);
    for (const r of fake.requests) {
      expect(r).toMatchObject({ profile: 'driving', annotations: 'duration,distance' });
      expect(r.locations).toBeLessThanOrEqual(8);
    }
    const planned = answer.plans.flatMap((p) => p.stops);
    expect(planned).toHaveLength(12);
    for (const plan of answer.plans) {
      let at = plan.depot;
      for (const s of plan.stops) {
        expect(s.travelMinutes).toBeCloseTo(fakeMinutes(at, s.report), 3);
        at = s.report;
      }
      expect(plan.totals.returnTravelMinutes).toBeCloseTo(fakeMinutes(at, plan.depot), 3);
    }
  });

  it.each<[FakeOsrmMode, string]>([
    ['short', 'malformed'],
    ['negative', 'malformed'],
    ['not_json', 'malformed'],
    ['no_segment', 'osrm_error'],
    ['bad_gateway', 'http_error'],
    ['hang', 'timeout'],
  ])('falls back to great-circle times when OSRM answers %s (%s), and says so', async (mode, reason) => {
    fake.setMode(mode);
    const t0 = Date.now();
    const answer = await preview(srv, cookie, commune);
    expect(answer.travel.model).toBe('great_circle');
    expect(answer.travel.fallback).toMatchObject({ reason });
    expect(answer.travel.fallback!.message.length).toBeGreaterThan(10);
    expect(answer.plans.flatMap((p) => p.stops)).toHaveLength(12);
    // Great-circle x 1.3 at the crew's 30 km/h, not the stand-in's roads.
    const plan = answer.plans[0]!;
    const first = plan.stops[0]!;
    expect(first.travelMinutes).toBeCloseTo((greatCircleMetres(plan.depot, first.report) * 1.3) / 500, 6);
    if (mode === 'hang') expect(Date.now() - t0).toBeLessThan(TIMEOUT_MS + 3000);
    fake.setMode('ok');
  });

  it('falls back when nothing listens at OSRM_URL', async () => {
    const other = await startTestServer({
      osrm: { url: await unreachableUrl(), profile: 'driving', timeoutMs: TIMEOUT_MS, maxLocations: 100 },
    });
    try {
      const c = await communeWithReports(other);
      const answer = await preview(other, await supervisorOf(other, c), c);
      expect(answer.travel).toMatchObject({ model: 'great_circle', fallback: { reason: 'unreachable' } });
      expect(answer.travel.fallback!.message).toMatch(/ECONNREFUSED|cannot be reached/);
      expect(answer.plans.flatMap((p) => p.stops)).toHaveLength(12);
    } finally {
      await other.close();
    }
  });

  it('uses the default model without a fallback when no road network is configured', async () => {
    const plain = await startTestServer();
    try {
      const c = await communeWithReports(plain);
      const answer = await preview(plain, await supervisorOf(plain, c), c);
      expect(answer.travel).toEqual({ model: 'great_circle', fallback: null });
    } finally {
      await plain.close();
    }
  });
});

describe('POST /api/plans with a road network', () => {
  it('re-times the saved rounds with the same road table as the proposal', async () => {
    fake.setMode('ok');
    const proposal = await preview(srv, cookie, commune);
    fake.requests.length = 0;
    const res = await call(srv.url, '/api/plans', {
      method: 'POST',
      cookie,
      json: {
        communeId: commune.id,
        date: '2026-12-03',
        plans: proposal.plans.map((p) => ({
          crewId: p.crew.id,
          workType: p.workType,
          reportIds: p.stops.map((s) => s.reportId),
        })),
      },
    });
    expect(res.status, res.text).toBe(201);
    const saved = res.json as unknown as { items: Plan[]; travel: Preview['travel'] };
    expect(saved.travel).toEqual({ model: 'road_network', fallback: null });
    expect(fake.requests.length).toBeGreaterThan(0);
    saved.items.forEach((p, i) => {
      expect(p.totals.travelMinutes).toBeCloseTo(proposal.plans[i]!.totals.travelMinutes, 6);
      expect(p.totals.distanceMetres).toBeCloseTo(proposal.plans[i]!.totals.distanceMetres, 3);
    });
  });
});
