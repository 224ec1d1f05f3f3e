import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATUSES } from '../../../server/src/contract/common';
import {
  BACKLOG_BUCKETS,
  bucketDays,
  periodEnd,
  type BacklogAnswer,
  type HotspotsAnswer,
  type ResolutionAnswer,
  type SummaryAnswer,
  type TimelineAnswer,
} from '../../../server/src/contract/stats';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { insertKnownReport, offset, type KnownReport } from '../../support/stats';
import { call, createStaff, signIn } from '../../support/staff';

/**
 * A small known dataset in a commune of Europe/Paris, with the clock at 15 December 2026,
 * 11:00 in Paris: every figure below is computed by hand from this table.
 */
const NOW = Date.parse('2026-12-15T10:00:00Z');
const DATASET: Record<string, KnownReport> = {
  // Potholes fixed in 10, 20, 30 and 40 hours; one rejected after 2 hours.
  p1: { category: 'pothole', status: 'fixed', receivedAt: '2026-10-01T08:00:00Z', closedAfterHours: 10 },
  p2: { category: 'pothole', status: 'fixed', receivedAt: '2026-10-05T08:00:00Z', closedAfterHours: 20 },
  p3: { category: 'pothole', status: 'fixed', receivedAt: '2026-11-02T08:00:00Z', closedAfterHours: 30 },
  p4: { category: 'pothole', status: 'fixed', receivedAt: '2026-11-03T08:00:00Z', closedAfterHours: 40 },
  p5: { category: 'pothole', status: 'rejected', receivedAt: '2026-11-10T08:00:00Z', closedAfterHours: 2 },
  // 30 November 23:30 UTC is 1 December 00:30 in Paris: December there, November in UTC.
  p6: { category: 'pothole', status: 'new', receivedAt: '2026-11-30T23:30:00Z' },
  p7: { category: 'pothole', status: 'acknowledged', receivedAt: '2026-12-14T12:00:00Z' },
  // 8 December 23:30 UTC is 9 December in Paris: 6 days old on the 15th (7 in UTC).
  p8: { category: 'pothole', status: 'new', receivedAt: '2026-12-08T23:30:00Z' },
  // Street lights: one fixed in 100 hours, one not fixable after 50, three open of various ages.
  s1: {
    category: 'street_light',
    status: 'fixed',
    receivedAt: '2026-10-10T08:00:00Z',
    closedAfterHours: 100,
  },
  s2: {
    category: 'street_light',
    status: 'not_fixable',
    receivedAt: '2026-10-12T08:00:00Z',
    closedAfterHours: 50,
  },
  s3: { category: 'street_light', status: 'new', receivedAt: '2026-09-01T08:00:00Z' },
  s4: { category: 'street_light', status: 'in_progress', receivedAt: '2026-11-20T08:00:00Z' },
  s5: { category: 'street_light', status: 'planned', receivedAt: '2025-11-01T08:00:00Z' },
};

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let other: Awaited<ReturnType<typeof createTestCommune>>;
let cookie: string;
let crewCookie: string;
const ids: Record<string, string> = {};

/** The centre of the 250 m hotspot cell holding a point (the grid of stats.repo's `hotspots`). */
function cellCentre(p: { lat: number; lon: number }, metres: number) {
  const dLat = metres / 111_320;
  const row = Math.floor(p.lat / dLat);
  const width = dLat / Math.cos((row + 0.5) * dLat * (Math.PI / 180));
  const col = Math.floor(p.lon / width);
  return { lat: (row + 0.5) * dLat, lon: (col + 0.5) * width };
}

beforeAll(async () => {
  srv = await startTestServer({ now: () => NOW });
  commune = await createTestCommune(srv.pool, randomCentre());
  other = await createTestCommune(srv.pool, randomCentre());
  cookie = await signIn(
    srv.url,
    await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]),
  );
  crewCookie = await signIn(srv.url, await createStaff(srv.pool, [{ communeId: commune.id, role: 'crew' }]));
  // p1, p2 and p3 a few metres apart in the middle of one hotspot cell; the others 600 m apart.
  const hot = cellCentre(commune.centre, 250);
  const north = (hot.lat - commune.centre.lat) * 111_320;
  const east = (hot.lon - commune.centre.lon) * 111_320 * Math.cos((commune.centre.lat * Math.PI) / 180);
  const spots: Record<string, [number, number]> = {
    p1: [north, east],
    p2: [north + 5, east + 5],
    p3: [north - 5, east + 3],
  };
  let i = 0;
  for (const [name, r] of Object.entries(DATASET)) {
    const [n, e] = spots[name] ?? [-3000 + 600 * (i % 5), -3000 + 600 * Math.floor(i / 5)];
    i++;
    ids[name] = await insertKnownReport(srv.pool, commune, { ...r, north: n, east: e });
  }
  // Another commune's reports never count.
  for (const receivedAt of ['2026-10-01T08:00:00Z', '2026-12-14T08:00:00Z'])
    await insertKnownReport(srv.pool, other, {
      category: 'pothole',
      status: 'fixed',
      receivedAt,
      closedAfterHours: 1,
    });
  await insertKnownReport(srv.pool, other, {
    category: 'pothole',
    status: 'new',
    receivedAt: new Date(NOW - 3_600_000).toISOString(),
  });
});
afterAll(async () => {
  await srv?.close();
});

async function get<T>(path: string, c = cookie): Promise<T> {
  const res = await call(srv.url, path, { cookie: c });
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res.json as T;
}

const base = () => `commune=${commune.slug}`;

/** The ids the history list shows for a query (every page). */
async function listIds(query: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Array<{ id: string }>; nextCursor: string | null } = await get(
      `/api/staff/reports?${base()}&${query}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    out.push(...page.items.map((r) => r.id));
    cursor = page.nextCursor;
  } while (cursor);
  return out.sort();
}
const named = (...names: string[]) => names.map((n) => ids[n]!).sort();

describe('GET /api/stats/summary', () => {
  it('counts the reports of the filter by status, with the categories of the commune', async () => {
    const s = await get<SummaryAnswer>(`/api/stats/summary?${base()}`);
    expect(s).toMatchObject({ timezone: 'Europe/Paris', today: '2026-12-15', total: 13, open: 6, closed: 7 });
    expect(s.byStatus).toEqual({
      new: 3,
      acknowledged: 1,
      planned: 1,
      in_progress: 1,
      fixed: 5,
      not_fixable: 1,
      duplicate: 0,
      rejected: 1,
    });
    expect(s.categories.map((c) => c.code)).toContain('street_light');
    expect(s.categories.find((c) => c.code === 'pothole')).toMatchObject({ labelFr: expect.any(String) });
    const filtered = await get<SummaryAnswer>(
      `/api/stats/summary?${base()}&category=street_light&status=fixed,new`,
    );
    expect(filtered).toMatchObject({ total: 2, open: 1, closed: 1 });
  });
});

describe('GET /api/stats/timeline', () => {
  it("counts reports per month of the commune's time zone, category and status, every month listed", async () => {
    const t = await get<TimelineAnswer>(`/api/stats/timeline?${base()}`);
    expect(t.interval).toBe('month');
    expect(t.periods).toEqual([
      '2025-11-01',
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
      '2026-05-01',
      '2026-06-01',
      '2026-07-01',
      '2026-08-01',
      '2026-09-01',
      '2026-10-01',
      '2026-11-01',
      '2026-12-01',
    ]);
    expect(t.rows).toEqual([
      { period: '2025-11-01', category: 'street_light', status: 'planned', count: 1 },
      { period: '2026-09-01', category: 'street_light', status: 'new', count: 1 },
      { period: '2026-10-01', category: 'pothole', status: 'fixed', count: 2 },
      { period: '2026-10-01', category: 'street_light', status: 'fixed', count: 1 },
      { period: '2026-10-01', category: 'street_light', status: 'not_fixable', count: 1 },
      { period: '2026-11-01', category: 'pothole', status: 'fixed', count: 2 },
      { period: '2026-11-01', category: 'pothole', status: 'rejected', count: 1 },
      { period: '2026-11-01', category: 'street_light', status: 'in_progress', count: 1 },
      // p6 (30 November 23:30 UTC) is December in Paris.
      { period: '2026-12-01', category: 'pothole', status: 'acknowledged', count: 1 },
      { period: '2026-12-01', category: 'pothole', status: 'new', count: 2 },
    ]);
  });

  it('counts days and ISO weeks (from Monday) over the range of the filter', async () => {
    const days = await get<TimelineAnswer>(
      `/api/stats/timeline?${base()}&interval=day&from=2026-11-30&to=2026-12-01`,
    );
    expect(days.periods).toEqual(['2026-11-30', '2026-12-01']);
    expect(days.rows).toEqual([{ period: '2026-12-01', category: 'pothole', status: 'new', count: 1 }]);
    // Saturday 28 November to Thursday 3 December: the weeks of Monday 23 and Monday 30.
    const weeks = await get<TimelineAnswer>(
      `/api/stats/timeline?${base()}&interval=week&from=2026-11-28&to=2026-12-03`,
    );
    expect(weeks.periods).toEqual(['2026-11-23', '2026-11-30']);
    expect(weeks.rows).toEqual([{ period: '2026-11-30', category: 'pothole', status: 'new', count: 1 }]);
    const none = await get<TimelineAnswer>(`/api/stats/timeline?${base()}&category=sign`);
    expect(none).toMatchObject({ periods: [], rows: [] });
  });

  it('refuses more than 400 periods with a 400 naming the interval', async () => {
    // 1 November 2025 to 14 December 2026: 409 days.
    const res = await call(srv.url, `/api/stats/timeline?${base()}&interval=day`, { cookie });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'too_many_periods', field: 'interval' } });
    const asked = await call(
      srv.url,
      `/api/stats/timeline?${base()}&interval=day&from=2020-01-01&to=2026-01-01`,
      {
        cookie,
      },
    );
    expect(asked.json).toMatchObject({ error: { code: 'too_many_periods' } });
  });

  it('gives counts that equal the history list of the period, category and status', async () => {
    const t = await get<TimelineAnswer>(`/api/stats/timeline?${base()}`);
    for (const r of t.rows) {
      const list = await listIds(
        `from=${r.period}&to=${periodEnd(r.period, 'month')}&category=${r.category}&status=${r.status}`,
      );
      expect(list.length, JSON.stringify(r)).toBe(r.count);
    }
  });
});

describe('GET /api/stats/resolution', () => {
  it('gives the median and 90th percentile time to fix and to close per category and overall', async () => {
    const r = await get<ResolutionAnswer>(`/api/stats/resolution?${base()}`);
    const close = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
    expect(
      r.rows.map((x) => ({
        ...x,
        fixMedianHours: close(x.fixMedianHours),
        fixP90Hours: close(x.fixP90Hours),
        closeMedianHours: close(x.closeMedianHours),
        closeP90Hours: close(x.closeP90Hours),
      })),
    ).toEqual([
      // Fixed 10, 20, 30, 40 h: median 25, p90 = 30 + 0.7 x 10. Closed also 2 h: median 20, p90 36.
      {
        category: 'pothole',
        fixed: 4,
        fixMedianHours: 25,
        fixP90Hours: 37,
        closed: 5,
        closeMedianHours: 20,
        closeP90Hours: 36,
      },
      // Fixed 100 h; closed 50 and 100 h: median 75, p90 = 50 + 0.9 x 50.
      {
        category: 'street_light',
        fixed: 1,
        fixMedianHours: 100,
        fixP90Hours: 100,
        closed: 2,
        closeMedianHours: 75,
        closeP90Hours: 95,
      },
      // Fixed 10, 20, 30, 40, 100: median 30, p90 = 40 + 0.6 x 60; closed 2 ... 100: median 30, p90 70.
      {
        category: null,
        fixed: 5,
        fixMedianHours: 30,
        fixP90Hours: 76,
        closed: 7,
        closeMedianHours: 30,
        closeP90Hours: 70,
      },
    ]);
  });

  it('follows the filter: only what was received in October', async () => {
    const r = await get<ResolutionAnswer>(`/api/stats/resolution?${base()}&from=2026-10-01&to=2026-10-31`);
    expect(r.rows.find((x) => x.category === 'pothole')).toMatchObject({ fixed: 2, fixMedianHours: 15 });
    const none = await get<ResolutionAnswer>(`/api/stats/resolution?${base()}&status=new`);
    expect(none.rows).toEqual([
      {
        category: null,
        fixed: 0,
        fixMedianHours: null,
        fixP90Hours: null,
        closed: 0,
        closeMedianHours: null,
        closeP90Hours: null,
      },
    ]);
  });

  it('counts fixed reports that equal the history list of the category with status fixed', async () => {
    expect(await listIds('category=pothole&status=fixed')).toEqual(named('p1', 'p2', 'p3', 'p4'));
  });
});

describe('GET /api/stats/backlog', () => {
  it("buckets open reports by age in days of the commune's calendar", async () => {
    const b = await get<BacklogAnswer>(`/api/stats/backlog?${base()}`);
    // Ages on 15 December: p7 1, p8 6 (9 December in Paris), p6 14, s4 25, s3 105, s5 409.
    expect(b).toMatchObject({ today: '2026-12-15', open: 6, medianAgeDays: 19.5, maxAgeDays: 409 });
    expect(b.rows).toEqual([
      { bucket: 'month', category: 'pothole', count: 1 },
      { bucket: 'month', category: 'street_light', count: 1 },
      { bucket: 'older', category: 'street_light', count: 1 },
      { bucket: 'week', category: 'pothole', count: 2 },
      { bucket: 'year', category: 'street_light', count: 1 },
    ]);
  });

  it('gives the median of an odd count, and an empty backlog when nothing is open', async () => {
    // p8 6, p6 14, s3 105 days.
    expect(await get<BacklogAnswer>(`/api/stats/backlog?${base()}&status=new`)).toMatchObject({
      open: 3,
      medianAgeDays: 14,
      maxAgeDays: 105,
    });
    expect(await get<BacklogAnswer>(`/api/stats/backlog?${base()}&status=fixed`)).toEqual({
      timezone: 'Europe/Paris',
      today: '2026-12-15',
      open: 0,
      medianAgeDays: null,
      maxAgeDays: null,
      rows: [],
    });
  });

  it('gives buckets that equal the history list of their days of receipt and open statuses', async () => {
    const b = await get<BacklogAnswer>(`/api/stats/backlog?${base()}`);
    for (const bucket of BACKLOG_BUCKETS) {
      const { from, to } = bucketDays(bucket, b.today);
      const list = await listIds(`status=${OPEN_STATUSES.join(',')}&to=${to}${from ? `&from=${from}` : ''}`);
      const count = b.rows.filter((r) => r.bucket === bucket.key).reduce((n, r) => n + r.count, 0);
      expect(list.length, bucket.key).toBe(count);
    }
    expect(await listIds(`status=${OPEN_STATUSES.join(',')}&from=2026-12-09&to=2026-12-15`)).toEqual(
      named('p7', 'p8'),
    );
  });
});

describe('GET /api/stats/hotspots', () => {
  it('counts reports per grid cell, busiest first, each cell a rectangle around its reports', async () => {
    const h = await get<HotspotsAnswer>(`/api/stats/hotspots?${base()}&cell=250`);
    expect(h).toMatchObject({ cellMetres: 250, truncated: false });
    expect(h.cells.reduce((n, c) => n + c.count, 0)).toBe(13);
    const top = h.cells[0]!;
    expect(top).toMatchObject({ count: 3, open: 0 });
    expect(h.cells.slice(1).every((c) => c.count === 1)).toBe(true);
    // About 250 m a side.
    const p = offset(commune.centre, 0, 0);
    expect((top.maxLat - top.minLat) * 111_320).toBeCloseTo(250, 0);
    expect((top.maxLon - top.minLon) * 111_320 * Math.cos((p.lat * Math.PI) / 180)).toBeGreaterThan(245);
    expect((top.maxLon - top.minLon) * 111_320 * Math.cos((p.lat * Math.PI) / 180)).toBeLessThan(255);
  });

  it('gives cells whose rectangle, as the list’s bbox filter, lists the same reports', async () => {
    const h = await get<HotspotsAnswer>(`/api/stats/hotspots?${base()}&cell=250`);
    const bbox = (c: HotspotsAnswer['cells'][number]) => `${c.minLon},${c.minLat},${c.maxLon},${c.maxLat}`;
    expect(await listIds(`bbox=${bbox(h.cells[0]!)}`)).toEqual(named('p1', 'p2', 'p3'));
    for (const c of h.cells) expect((await listIds(`bbox=${bbox(c)}`)).length).toBe(c.count);
    // The screen links a cell as an area of its four corners: the same reports.
    const top = h.cells[0]!;
    const area = [
      [top.minLon, top.minLat],
      [top.maxLon, top.minLat],
      [top.maxLon, top.maxLat],
      [top.minLon, top.maxLat],
    ]
      .map((p) => p.join(','))
      .join(';');
    expect(await listIds(`area=${encodeURIComponent(area)}`)).toEqual(named('p1', 'p2', 'p3'));
    const open = await get<HotspotsAnswer>(`/api/stats/hotspots?${base()}&status=new`);
    expect(open.cells.reduce((n, c) => n + c.count, 0)).toBe(3);
  });
});

describe('statistics: scope and bad requests', () => {
  it("never counts another commune's reports, and answers 404 for its slug as for a missing one", async () => {
    const mine = await get<SummaryAnswer>('/api/stats/summary');
    expect(mine.total).toBe(13);
    for (const figure of ['summary', 'timeline', 'resolution', 'backlog', 'hotspots']) {
      const theirs = await call(srv.url, `/api/stats/${figure}?commune=${other.slug}`, { cookie });
      const missing = await call(srv.url, `/api/stats/${figure}?commune=nowhere`, { cookie });
      expect([theirs.status, missing.status], figure).toEqual([404, 404]);
      expect(theirs.text).toBe(missing.text);
    }
  });

  it('answers 403 to a crew member, who reads no statistics', async () => {
    for (const path of ['/api/stats/summary', `/api/stats/backlog?${base()}`]) {
      const res = await call(srv.url, path, { cookie: crewCookie });
      expect(res.status, path).toBe(403);
    }
  });

  it('answers 400 with the field for bad filters and options', async () => {
    const bad = async (path: string, field: string) => {
      const res = await call(srv.url, `${path}${path.includes('?') ? '&' : '?'}${base()}`, { cookie });
      expect(res.status, path).toBe(400);
      expect(res.json, path).toMatchObject({ error: { field } });
    };
    await bad('/api/stats/timeline?interval=year', 'interval');
    await bad('/api/stats/hotspots?cell=10', 'cell');
    await bad('/api/stats/hotspots?cell=abc', 'cell');
    await bad('/api/stats/summary?from=2026-02-30', 'from');
    await bad('/api/stats/backlog?from=2026-12-02&to=2026-12-01', 'to');
    await bad('/api/stats/resolution?status=lost', 'status');
    await bad('/api/stats/summary?interval=day', 'interval');
    await bad('/api/stats/resolution?colour=red', 'colour');
  });
});
