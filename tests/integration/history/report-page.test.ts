import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertAddresses } from '../../../server/src/addresses/addresses.repo';
import { RELATED_NEARBY_METRES, type RelatedReport } from '../../../server/src/contract/history';
import type { StaffReport } from '../../../server/src/contract/staff';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { reportFields, sendReport } from '../../support/reports';
import { call, createStaff, signIn } from '../../support/staff';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let neighbour: Awaited<ReturnType<typeof createTestCommune>>;
let cookie: string;
let neighbourCookie: string;
const ids: Record<string, string> = {};

/** A point `north` and `east` metres from the commune's centre. */
const at = (north: number, east: number) => ({
  lat: commune.centre.lat + north / 111_320,
  lon: commune.centre.lon + east / (111_320 * Math.cos((commune.centre.lat * Math.PI) / 180)),
});
/** The commune's eastern border is 0.01° east of its centre; the neighbour starts there. */
const metresToBorder = () => 0.01 * 111_320 * Math.cos((commune.centre.lat * Math.PI) / 180);

beforeAll(async () => {
  srv = await startTestServer();
  commune = await createTestCommune(srv.pool, randomCentre());
  neighbour = await createTestCommune(srv.pool, { lat: commune.centre.lat, lon: commune.centre.lon + 0.02 });
  cookie = await signIn(
    srv.url,
    await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]),
  );
  neighbourCookie = await signIn(
    srv.url,
    await createStaff(srv.pool, [{ communeId: neighbour.id, role: 'supervisor' }]),
  );
  const edge = metresToBorder();
  await upsertAddresses(srv.pool, commune.id, [
    {
      housenumber: '2',
      street: 'Rue du Lavoir',
      postcode: null,
      label: '2 Rue du Lavoir',
      ...at(0, edge - 20),
      sourceId: 'l2',
    },
  ]);
  const send = async (name: string, where: { lat: number; lon: number }, category = 'pothole') => {
    const r = await sendReport(srv.url, { fields: reportFields(where, { category }) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids[name] = r.id;
  };
  // Near the eastern border: the kept report, two duplicates, a street light 40 m away, a
  // report 300 m away, and one just across the border, in the neighbour's commune.
  await send('kept', at(0, edge - 20));
  await send('dup1', at(3, edge - 18));
  await send('dup2', at(-4, edge - 22));
  await send('light', at(40, edge - 20), 'street_light');
  await send('far', at(300, edge - 20));
  await send('across', at(0, edge + 10));
  const status = async (id: string, json: Record<string, unknown>) => {
    const res = await call(srv.url, `/api/staff/reports/${id}/status`, { method: 'POST', cookie, json });
    expect(res.status, res.text).toBe(200);
  };
  await status(ids.dup1!, { status: 'duplicate', duplicateOf: ids.kept });
  await status(ids.dup2!, { status: 'duplicate', duplicateOf: ids.kept });
  await status(ids.light!, { status: 'fixed' });
});
afterAll(async () => {
  await srv?.close();
});

const page = async (id: string, who = cookie) => {
  const res = await call(srv.url, `/api/staff/reports/${id}`, { cookie: who });
  expect(res.status, res.text).toBe(200);
  return res.json as unknown as StaffReport;
};
const idsOf = (list: RelatedReport[]) => list.map((r) => r.id);

describe('GET /api/staff/reports/:id (related reports)', () => {
  it('lists the duplicates of a kept report, oldest first, with status, category, address and date', async () => {
    const kept = await page(ids.kept!);
    expect(idsOf(kept.duplicates)).toEqual([ids.dup1, ids.dup2]);
    expect(kept.keptReport).toBeNull();
    const [first] = kept.duplicates;
    expect(first).toMatchObject({
      id: ids.dup1,
      status: 'duplicate',
      category: { code: 'pothole', labelFr: expect.any(String), labelEn: expect.any(String) },
      address: '2 Rue du Lavoir',
    });
    expect(Date.parse(first!.receivedAt)).not.toBeNaN();
    expect(first!.distanceMetres).toBeGreaterThan(1);
    expect(first!.distanceMetres).toBeLessThan(6);
  });

  it('names the kept report on the page of a duplicate', async () => {
    const dup = await page(ids.dup2!);
    expect(dup.keptReport).toMatchObject({ id: ids.kept, status: 'new', address: '2 Rue du Lavoir' });
    expect(dup.duplicates).toEqual([]);
  });

  it(`lists the commune's other reports within ${RELATED_NEARBY_METRES} m, any status, nearest first`, async () => {
    const kept = await page(ids.kept!);
    expect(idsOf(kept.nearby)).toEqual([ids.dup1, ids.dup2, ids.light]);
    expect(kept.nearby.at(-1)).toMatchObject({ status: 'fixed', category: { code: 'street_light' } });
    expect(kept.nearby.at(-1)!.distanceMetres).toBeCloseTo(40, 0);
    const distances = kept.nearby.map((r) => r.distanceMetres);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    // Never itself; never the report 300 m away.
    expect(idsOf(kept.nearby)).not.toContain(ids.kept);
    expect(idsOf(kept.nearby)).not.toContain(ids.far);
    expect((await page(ids.far!)).nearby).toEqual([]);
  });

  it("never lists another commune's report, even 30 m away across the border", async () => {
    const kept = await page(ids.kept!);
    expect(idsOf(kept.nearby)).not.toContain(ids.across);
    const across = await page(ids.across!, neighbourCookie);
    expect(across.nearby).toEqual([]);
    expect(across.duplicates).toEqual([]);
  });

  it("answers 404 for another commune's report, identical to a missing one", async () => {
    const theirs = await call(srv.url, `/api/staff/reports/${ids.kept}`, { cookie: neighbourCookie });
    const missing = await call(srv.url, `/api/staff/reports/${crypto.randomUUID()}`, {
      cookie: neighbourCookie,
    });
    expect([theirs.status, missing.status]).toEqual([404, 404]);
    expect(theirs.text).toBe(missing.text);
  });

  it('keeps the lists in the answer of a status change', async () => {
    const res = await call(srv.url, `/api/staff/reports/${ids.kept}/status`, {
      method: 'POST',
      cookie,
      json: { status: 'acknowledged' },
    });
    expect(res.status, res.text).toBe(200);
    expect(idsOf((res.json as unknown as StaffReport).duplicates)).toEqual([ids.dup1, ids.dup2]);
  });
});
