import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNT_CAP, type ClustersAnswer } from '../../../server/src/contract/history';
import { cellSize, MAX_CELLS } from '../../../server/src/history/history.grid';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { reportFields, sendReport } from '../../support/reports';
import { call, createStaff, signIn } from '../../support/staff';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let neighbour: Awaited<ReturnType<typeof createTestCommune>>;
let cookie: string;
let superCookie: string;
const ids: Record<string, string> = {};

/** A point `north` and `east` metres from the commune's centre. */
const at = (north: number, east: number) => ({
  lat: commune.centre.lat + north / 111_320,
  lon: commune.centre.lon + east / (111_320 * Math.cos((commune.centre.lat * Math.PI) / 180)),
});

/** A rectangle around both communes (they touch: the neighbour is 0.02° east). */
const both = () =>
  [
    commune.centre.lon - 0.012,
    commune.centre.lat - 0.012,
    commune.centre.lon + 0.032,
    commune.centre.lat + 0.012,
  ].join(',');

beforeAll(async () => {
  srv = await startTestServer();
  // The centre of a cell at zoom 15 (about 200 m wide here): the bourg's group stays in one.
  const c = randomCentre();
  const size = cellSize(15, c.lat);
  commune = await createTestCommune(srv.pool, {
    lat: (Math.floor(c.lat / size.lat) + 0.5) * size.lat,
    lon: (Math.floor(c.lon / size.lon) + 0.5) * size.lon,
  });
  // Test communes are 0.02° squares: this one shares the eastern edge.
  neighbour = await createTestCommune(srv.pool, { lat: commune.centre.lat, lon: commune.centre.lon + 0.02 });
  cookie = await signIn(
    srv.url,
    await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]),
  );
  superCookie = await signIn(srv.url, await createStaff(srv.pool, [], { superadmin: true }));
  const send = async (name: string, where: { lat: number; lon: number }, category = 'pothole') => {
    const r = await sendReport(srv.url, { fields: reportFields(where, { category }) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids[name] = r.id;
  };
  // A group of five in the bourg, 10 m apart.
  for (let i = 0; i < 5; i++) await send(`bourg${i}`, at(i * 8, i * 6));
  // Three along a road 400 m north, a lone street light 700 m south-west.
  for (let i = 0; i < 3; i++) await send(`road${i}`, at(400, -100 + i * 30), 'road_surface');
  await send('lone', at(-700, -700), 'street_light');
  // Two in the neighbouring commune, one of them 15 m from the border.
  await send('next0', { lat: neighbour.centre.lat, lon: neighbour.centre.lon - 0.0098 });
  await send('next1', neighbour.centre);
  await srv.pool.query(`UPDATE reports SET status = 'acknowledged' WHERE id = ANY($1::uuid[])`, [
    [ids.bourg0, ids.bourg1, ids.road0],
  ]);
});
afterAll(async () => {
  await srv?.close();
});

const clusters = async (query: string, who = cookie) => {
  const res = await call(srv.url, `/api/staff/reports/clusters?${query}`, { cookie: who });
  expect(res.status, res.text).toBe(200);
  return res.json as unknown as ClustersAnswer;
};
const listIds = async (query: string) => {
  const res = await call(srv.url, `/api/staff/reports?limit=200&${query}`, { cookie });
  expect(res.status, res.text).toBe(200);
  return (res.json!.items as Array<{ id: string }>).map((r) => r.id);
};
const only = (...names: string[]) => names.map((n) => ids[n]!);

describe('GET /api/staff/reports/clusters', () => {
  it('groups the filtered reports into cells whose counts add up to the filtered total', async () => {
    for (const zoom of [10, 13, 15, 17, 19]) {
      const answer = await clusters(`commune=${commune.slug}&bbox=${both()}&zoom=${zoom}`);
      const sum = answer.cells.reduce((n, c) => n + c.count, 0);
      expect(sum, `zoom ${zoom}`).toBe(answer.total);
      expect(answer.total, `zoom ${zoom}`).toBe(9);
      // The same reports as the list of the rectangle actually counted.
      const list = await listIds(`commune=${commune.slug}&bbox=${answer.bbox.join(',')}`);
      expect(list.length).toBe(answer.total);
    }
  });

  it('puts nearby reports in one cell at a town zoom and gives it their mean position', async () => {
    const answer = await clusters(`commune=${commune.slug}&bbox=${both()}&zoom=15`);
    const bourg = answer.cells.find((c) => c.count === 5);
    expect(bourg, JSON.stringify(answer.cells)).toBeDefined();
    expect(bourg!.report).toBeNull();
    const mean = at(16, 12);
    expect(bourg!.lat).toBeCloseTo(mean.lat, 5);
    expect(bourg!.lon).toBeCloseTo(mean.lon, 5);
    // Zoomed out to the département (cells of about 13 km), at most the four cells around a corner.
    const far = await clusters(`commune=${commune.slug}&bbox=${both()}&zoom=9`);
    expect(far.cells.length).toBeLessThanOrEqual(4);
    expect(far.total).toBe(9);
  });

  it('carries the report of a cell that holds only one', async () => {
    const answer = await clusters(`commune=${commune.slug}&bbox=${both()}&zoom=15`);
    const lone = answer.cells.find((c) => c.report?.id === ids.lone);
    expect(lone).toMatchObject({
      count: 1,
      report: { id: ids.lone, status: 'new', category: 'street_light' },
    });
    const p = at(-700, -700);
    expect(lone!.lat).toBeCloseTo(p.lat, 6);
    expect(lone!.lon).toBeCloseTo(p.lon, 6);
    // At street level (cells of about 7 m) each report of the bourg is its own cell, with its id.
    const [sw, ne] = [at(-20, -20), at(50, 50)];
    const street = await clusters(`bbox=${sw.lon},${sw.lat},${ne.lon},${ne.lat}&zoom=20`);
    const singles = street.cells.map((c) => c.report?.id).sort();
    expect(singles).toEqual(only('bourg0', 'bourg1', 'bourg2', 'bourg3', 'bourg4').sort());
    expect(street.cells.find((c) => c.report?.id === ids.bourg0)?.report?.status).toBe('acknowledged');
  });

  it('applies the shared filter: status, category, area', async () => {
    const ack = await clusters(`commune=${commune.slug}&status=acknowledged&bbox=${both()}&zoom=19`);
    expect(ack.total).toBe(3);
    const byCategory = await clusters(`commune=${commune.slug}&category=road_surface&bbox=${both()}&zoom=13`);
    expect(byCategory.total).toBe(3);
    const corners = [at(-50, -50), at(-50, 50), at(50, 50), at(50, -50)];
    const area = encodeURIComponent(corners.map((p) => `${p.lon},${p.lat}`).join(';'));
    const inArea = await clusters(`commune=${commune.slug}&area=${area}&bbox=${both()}&zoom=12`);
    expect(inArea.total).toBe(5);
    // Statuses that nothing has.
    expect((await clusters(`status=rejected&bbox=${both()}&zoom=12`)).cells).toEqual([]);
  });

  it('counts only the viewport, widened to whole cells', async () => {
    // Around the lone street light only.
    const p = at(-700, -700);
    const bbox = [p.lon - 0.0005, p.lat - 0.0005, p.lon + 0.0005, p.lat + 0.0005].join(',');
    const answer = await clusters(`bbox=${bbox}&zoom=17`);
    expect(answer.total).toBe(1);
    const [minLon, minLat, maxLon, maxLat] = answer.bbox;
    expect(minLon).toBeLessThanOrEqual(p.lon - 0.0005);
    expect(maxLat).toBeGreaterThanOrEqual(p.lat + 0.0005);
    expect(maxLon - minLon).toBeLessThan(0.001 + 2 * answer.cellSize.lon + 1e-9);
    expect(maxLat - minLat).toBeLessThan(0.001 + 2 * answer.cellSize.lat + 1e-9);
  });

  it('keeps the answer small however large the viewport and high the zoom', async () => {
    const answer = await clusters(`bbox=-5,42,8,51&zoom=22`, superCookie);
    expect(answer.cells.length).toBeLessThanOrEqual(MAX_CELLS);
    expect(answer.total).toBe(answer.cells.reduce((n, c) => n + c.count, 0));
  });

  it("never counts another commune's reports, even inside the viewport", async () => {
    const mine = await clusters(`bbox=${both()}&zoom=12`);
    expect(mine.total).toBe(9);
    // Around the border, at street level: only the commune's side.
    const border = commune.centre.lon + 0.01;
    const edge = `${border - 0.0008},${commune.centre.lat - 0.0008},${border + 0.0008},${commune.centre.lat + 0.0008}`;
    const street = await clusters(`bbox=${edge}&zoom=19`);
    expect(street.total).toBe(0);
    const asSuper = await clusters(`bbox=${edge}&zoom=19`, superCookie);
    expect(asSuper.cells.map((c) => c.report?.id)).toEqual([ids.next0]);
    // Asking for the neighbour by name: the same 404 as a commune that does not exist.
    const theirs = await call(
      srv.url,
      `/api/staff/reports/clusters?commune=${neighbour.slug}&bbox=${both()}&zoom=12`,
      {
        cookie,
      },
    );
    const none = await call(srv.url, `/api/staff/reports/clusters?commune=nowhere&bbox=${both()}&zoom=12`, {
      cookie,
    });
    expect([theirs.status, none.status]).toEqual([404, 404]);
    expect(theirs.text).toBe(none.text);
    // A superadmin sees both communes.
    expect((await clusters(`bbox=${both()}&zoom=12`, superCookie)).total).toBeGreaterThanOrEqual(11);
  });

  it('answers 400 with the field for a bad viewport, zoom or filter, and 401 without a session', async () => {
    const bad = async (query: string, field: string) => {
      const res = await call(srv.url, `/api/staff/reports/clusters?${query}`, { cookie });
      expect(res.status, query).toBe(400);
      expect(res.json, query).toMatchObject({ error: { field } });
    };
    await bad('zoom=12', 'bbox');
    await bad(`bbox=${both()}`, 'zoom');
    await bad('bbox=1,2,3&zoom=12', 'bbox');
    await bad('bbox=3,2,1,4&zoom=12', 'bbox');
    await bad('bbox=-200,0,0,10&zoom=12', 'bbox');
    await bad(`bbox=${both()}&zoom=23`, 'zoom');
    await bad(`bbox=${both()}&zoom=-1`, 'zoom');
    await bad(`bbox=${both()}&zoom=12.5`, 'zoom');
    await bad(`bbox=${both()}&zoom=twelve`, 'zoom');
    await bad(`bbox=${both()}&zoom=12&status=lost`, 'status');
    await bad(`bbox=${both()}&zoom=12&from=2026-12-02&to=2026-12-01`, 'to');
    await bad(`bbox=${both()}&zoom=12&limit=5`, 'limit');
    const anonymous = await call(srv.url, `/api/staff/reports/clusters?bbox=${both()}&zoom=12`);
    expect(anonymous.status).toBe(401);
  });
});

describe('GET /api/staff/reports/count', () => {
  it('counts the filtered list, scoped to the caller’s communes', async () => {
    const count = async (query: string, who = cookie) => {
      const res = await call(srv.url, `/api/staff/reports/count?${query}`, { cookie: who });
      expect(res.status, res.text).toBe(200);
      return res.json;
    };
    expect(await count(`commune=${commune.slug}`)).toEqual({ count: 9, capped: false });
    expect(await count('status=acknowledged')).toEqual({ count: 3, capped: false });
    expect(await count(`bbox=${both()}`)).toEqual({ count: 9, capped: false });
    expect(
      (await call(srv.url, `/api/staff/reports/count?commune=${neighbour.slug}`, { cookie })).status,
    ).toBe(404);
    expect((await call(srv.url, '/api/staff/reports/count?status=lost', { cookie })).status).toBe(400);
    expect((await call(srv.url, '/api/staff/reports/count')).status).toBe(401);
  });

  it(`stops counting past ${COUNT_CAP} and says so`, async () => {
    const big = await createTestCommune(srv.pool, randomCentre());
    const bigCookie = await signIn(
      srv.url,
      await createStaff(srv.pool, [{ communeId: big.id, role: 'crew' }]),
    );
    await srv.pool.query(
      `INSERT INTO reports (id, commune_id, category_id, location, accuracy_m, location_source, captured_at,
                            reporter_token_hash, content_hash)
       SELECT gen_random_uuid(), $1, (SELECT id FROM categories WHERE commune_id = $1 LIMIT 1),
              ST_SetSRID(ST_MakePoint($2 + (i % 100) * 1e-4, $3 + (i / 100) * 1e-4), 4326)::geography, 5, 'gps', now(),
              sha256(('big' || i)::bytea), sha256(('bigc' || i)::bytea)
         FROM generate_series(1, $4::int) AS i`,
      [big.id, big.centre.lon, big.centre.lat, COUNT_CAP + 5],
    );
    try {
      const res = await call(srv.url, '/api/staff/reports/count', { cookie: bigCookie });
      expect(res.json).toEqual({ count: COUNT_CAP, capped: true });
      const near = await call(
        srv.url,
        `/api/staff/reports/count?bbox=${big.centre.lon - 0.001},${big.centre.lat - 0.001},${big.centre.lon + 0.00095},${big.centre.lat + 0.011}`,
        {
          cookie: bigCookie,
        },
      );
      // The first ten columns of the 100-column grid of points.
      const expected = Array.from({ length: COUNT_CAP + 5 }, (_, k) => (k + 1) % 100).filter(
        (c) => c < 10,
      ).length;
      expect(near.json).toEqual({ count: expected, capped: false });
    } finally {
      await srv.pool.query('DELETE FROM reports WHERE commune_id = $1', [big.id]);
    }
  });
});
