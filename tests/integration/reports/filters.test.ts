import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertAddresses } from '../../../server/src/addresses/addresses.repo';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { reportFields, sendReport } from '../../support/reports';
import { call, createStaff, signIn } from '../../support/staff';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let other: Awaited<ReturnType<typeof createTestCommune>>;
let cookie: string;
const ids: Record<string, string> = {};

const at = (north: number, east: number) => ({
  lat: commune.centre.lat + north / 111_320,
  lon: commune.centre.lon + east / (111_320 * Math.cos((commune.centre.lat * Math.PI) / 180)),
});

beforeAll(async () => {
  srv = await startTestServer();
  commune = await createTestCommune(srv.pool, randomCentre());
  other = await createTestCommune(srv.pool, randomCentre());
  cookie = await signIn(
    srv.url,
    await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]),
  );
  await upsertAddresses(srv.pool, commune.id, [
    {
      housenumber: '3',
      street: "Rue de l'Église",
      postcode: null,
      label: "3 Rue de l'Église",
      ...at(0, 0),
      sourceId: 'e3',
    },
    {
      housenumber: '8',
      street: 'Route de Vannes',
      postcode: null,
      label: '8 Route de Vannes',
      ...at(500, 500),
      sourceId: 'v8',
    },
  ]);
  const send = async (name: string, where: { lat: number; lon: number }, over: Record<string, string>) => {
    const r = await sendReport(srv.url, { fields: reportFields(where, over) });
    expect(r.status).toBe(201);
    ids[name] = r.id;
  };
  await send('church', at(3, 3), { category: 'pothole', description: 'Trou profond devant l’église' });
  await send('road', at(500, 505), { category: 'street_light', description: 'Lampadaire éteint' });
  await send('south', at(-600, -600), { category: 'pothole', description: 'Nid-de-poule près du lavoir' });
  await send('elsewhere', other.centre, { category: 'pothole', description: 'Trou profond' });
  await srv.pool.query(`UPDATE reports SET priority = 'danger' WHERE id = $1`, [ids.road]);
  // Received on 30 November at 23:30 in Paris (22:30 UTC): that is the 30th there, not the 1st.
  await srv.pool.query(`UPDATE reports SET received_at = '2026-11-30T22:30:00Z' WHERE id = $1`, [ids.south]);
  await srv.pool.query(`UPDATE reports SET received_at = '2026-10-01T08:00:00Z' WHERE id = $1`, [ids.church]);
});
afterAll(async () => {
  await srv?.close();
});

const list = async (query: string) => {
  const res = await call(srv.url, `/api/staff/reports?commune=${commune.slug}&${query}`, { cookie });
  expect(res.status, res.text).toBe(200);
  return (res.json!.items as Array<{ id: string }>).map((r) => r.id).sort();
};
const only = (...names: string[]) => names.map((n) => ids[n]!).sort();

describe('GET /api/staff/reports filters', () => {
  it('filters by category and priority lists', async () => {
    expect(await list('category=pothole')).toEqual(only('church', 'south'));
    expect(await list('category=pothole,street_light')).toEqual(only('church', 'road', 'south'));
    expect(await list('priority=danger')).toEqual(only('road'));
  });

  it('finds reports by address and by words, whatever the accents and case', async () => {
    expect(await list(`address=${encodeURIComponent('RUE DE L EGLISE')}`)).toEqual(only('church'));
    expect(await list(`q=${encodeURIComponent('eglise')}`)).toEqual(only('church'));
    expect(await list(`q=${encodeURIComponent('LAMPADAIRE')}`)).toEqual(only('road'));
    expect(await list(`q=${ids.south!.slice(0, 8)}`)).toEqual(only('south'));
  });

  it("counts days in the commune's time zone", async () => {
    expect(await list('from=2026-11-30&to=2026-11-30')).toEqual(only('south'));
    expect(await list('from=2026-12-01&to=2026-12-01')).toEqual([]);
    expect(await list('to=2026-10-31')).toEqual(only('church'));
  });

  it('keeps reports inside an area drawn on the map or a rectangle', async () => {
    const corners = [at(-50, -50), at(-50, 50), at(50, 50), at(50, -50)];
    const area = corners.map((p) => `${p.lon},${p.lat}`).join(';');
    expect(await list(`area=${encodeURIComponent(area)}`)).toEqual(only('church'));
    const [sw, ne] = [at(400, 400), at(600, 600)];
    expect(await list(`bbox=${sw.lon},${sw.lat},${ne.lon},${ne.lat}`)).toEqual(only('road'));
  });

  it("never lists another commune's reports, even when their text matches", async () => {
    expect(await list('q=trou')).toEqual(only('church'));
  });

  it('answers 400 with the field for bad filters', async () => {
    const bad = async (query: string, field: string) => {
      const res = await call(srv.url, `/api/staff/reports?commune=${commune.slug}&${query}`, { cookie });
      expect(res.status, query).toBe(400);
      expect(res.json, query).toMatchObject({ error: { field } });
    };
    await bad('from=2026-11-31', 'from');
    await bad('from=2026-12-02&to=2026-12-01', 'to');
    await bad('priority=urgent', 'priority');
    await bad('category=Pothole', 'category');
    await bad('area=1,2;3,4', 'area');
    await bad('area=1,2;3,4;500,6', 'area');
    await bad(`q=${'x'.repeat(201)}`, 'q');
    await bad('address=a', 'address');
    await bad('bbox=1,2,3', 'bbox');
    await bad('colour=red', 'colour');
  });
});
