import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, newToken, randomCentre } from '../../support/fixtures';
import { reportFields, sendReport } from '../../support/reports';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
const token = newToken();
const ids: string[] = [];

/** A point `north` and `east` metres from the commune's centre. */
function offset(north: number, east: number) {
  const { lat, lon } = commune.centre;
  return { lat: lat + north / 111_320, lon: lon + east / (111_320 * Math.cos((lat * Math.PI) / 180)) };
}

async function getJson(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${srv.url}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  srv = await startTestServer();
  commune = await createTestCommune(srv.pool, randomCentre());
  // Seven reports on a line going east, 100 m apart; the last one is a street light.
  for (let i = 0; i < 7; i++) {
    const r = await sendReport(srv.url, {
      token,
      fields: reportFields(offset(0, i * 100), {
        category: i === 6 ? 'street_light' : 'pothole',
        contactEmail: 'someone@example.org',
      }),
    });
    expect(r.status).toBe(201);
    ids.push(r.id);
  }
});
afterAll(async () => {
  await srv?.close();
});

function bboxAround(): string {
  const sw = offset(-50, -50);
  const ne = offset(50, 650);
  return `${sw.lon},${sw.lat},${ne.lon},${ne.lat}`;
}

describe('GET /api/reports', () => {
  it('lists the reports in a bbox with public fields only', async () => {
    const { status, body } = await getJson(`/api/reports?bbox=${bboxAround()}`);
    expect(status).toBe(200);
    const items = body.items as Array<Record<string, unknown>>;
    expect(items.map((i) => i.id).sort()).toEqual([...ids].sort());
    for (const item of items) {
      expect(item).not.toHaveProperty('contactEmail');
      expect(item).not.toHaveProperty('photos');
      expect(item).not.toHaveProperty('reporterTokenHash');
      expect(item.photoCount).toBe(1);
    }
  });

  it('excludes reports outside the bbox', async () => {
    const sw = offset(-50, 250);
    const ne = offset(50, 450);
    const { body } = await getJson(`/api/reports?bbox=${sw.lon},${sw.lat},${ne.lon},${ne.lat}`);
    expect((body.items as Array<{ id: string }>).map((i) => i.id).sort()).toEqual([ids[3], ids[4]].sort());
  });

  it('filters by category and by status', async () => {
    const lights = await getJson(`/api/reports?bbox=${bboxAround()}&category=street_light`);
    expect((lights.body.items as Array<{ id: string }>).map((i) => i.id)).toEqual([ids[6]]);
    const fixed = await getJson(`/api/reports?bbox=${bboxAround()}&status=fixed,rejected`);
    expect(fixed.body.items).toEqual([]);
    const open = await getJson(`/api/reports?bbox=${bboxAround()}&status=new`);
    expect(open.body.items).toHaveLength(7);
  });

  it('pages through every report exactly once with the keyset cursor, newest first', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/api/reports?bbox=${bboxAround()}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const { status, body } = await getJson(q);
      expect(status).toBe(200);
      const items = body.items as Array<{ id: string; receivedAt: string }>;
      expect(items.length).toBeLessThanOrEqual(3);
      seen.push(...items.map((i) => i.id));
      cursor = body.nextCursor as string | null;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it.each([
    ['bbox', '1,2,3'],
    ['bbox', '10,10,5,5'],
    ['bbox', '-200,0,0,10'],
    ['bbox', 'a,b,c,d'],
    ['limit', '0'],
    ['limit', '10000'],
    ['status', 'lost'],
    ['cursor', 'not a cursor!'],
    ['category', 'DROP TABLE'],
    ['unknown', '1'],
  ])('answers 400 for %s=%s', async (name, value) => {
    const { status, body } = await getJson(`/api/reports?${name}=${encodeURIComponent(value)}`);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ field: name });
  });

  it('answers 400 for a forged cursor', async () => {
    for (const forged of ['yesterday|not-a-uuid', `2026-13-45T25:61:00.000000Z|${crypto.randomUUID()}`]) {
      const cursor = Buffer.from(forged).toString('base64url');
      const { status, body } = await getJson(`/api/reports?cursor=${cursor}`);
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
    }
  });
});

describe('GET /api/reports/nearby', () => {
  it('finds the open reports within 50 m, nearest first, and not those 80 m away', async () => {
    const here = offset(30, 0); // 30 m from report 0, about 104 m from report 1
    const { status, body } = await getJson(`/api/reports/nearby?lat=${here.lat}&lon=${here.lon}`);
    expect(status).toBe(200);
    const items = body.items as Array<{ id: string; distanceMetres: number }>;
    expect(items.map((i) => i.id)).toEqual([ids[0]]);
    expect(items[0]!.distanceMetres).toBeGreaterThan(25);
    expect(items[0]!.distanceMetres).toBeLessThan(35);
    const far = offset(80, 0);
    const none = await getJson(`/api/reports/nearby?lat=${far.lat}&lon=${far.lon}`);
    expect(none.body.items).toEqual([]);
  });

  it('filters by category and leaves closed reports out', async () => {
    const here = offset(0, 610);
    const lights = await getJson(`/api/reports/nearby?lat=${here.lat}&lon=${here.lon}&category=street_light`);
    expect((lights.body.items as Array<{ id: string }>).map((i) => i.id)).toEqual([ids[6]]);
    const potholes = await getJson(`/api/reports/nearby?lat=${here.lat}&lon=${here.lon}&category=pothole`);
    expect(potholes.body.items).toEqual([]);
    await srv.pool.query(`UPDATE reports SET status = 'fixed', closed_at = now() WHERE id = $1`, [ids[6]]);
    const after = await getJson(`/api/reports/nearby?lat=${here.lat}&lon=${here.lon}`);
    expect(after.body.items).toEqual([]);
    await srv.pool.query(`UPDATE reports SET status = 'new', closed_at = NULL WHERE id = $1`, [ids[6]]);
  });

  it('answers 400 without coordinates or with bad ones', async () => {
    expect((await getJson('/api/reports/nearby')).status).toBe(400);
    expect((await getJson('/api/reports/nearby?lat=95&lon=0')).status).toBe(400);
  });
});

describe('GET /api/reports/:id and /api/reports/mine', () => {
  it('shows public fields to anyone and the own fields to the token holder', async () => {
    const pub = await getJson(`/api/reports/${ids[0]}`);
    expect(pub.status).toBe(200);
    expect(pub.body).not.toHaveProperty('contactEmail');
    expect(pub.body).not.toHaveProperty('photos');
    const other = await getJson(`/api/reports/${ids[0]}`, { 'X-Reporter-Token': newToken() });
    expect(other.body).toEqual(pub.body);
    const own = await getJson(`/api/reports/${ids[0]}`, { 'X-Reporter-Token': token });
    expect(own.body).toMatchObject({ id: ids[0], contactEmail: 'someone@example.org' });
    expect(own.body.photos).toHaveLength(1);
    expect(own.body.history).toEqual([expect.objectContaining({ action: 'created' })]);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const missing = await getJson(`/api/reports/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'report_not_found' });
    expect((await getJson('/api/reports/12345')).status).toBe(400);
  });

  it('lists the reports of this device only', async () => {
    const mine = await getJson('/api/reports/mine', { 'X-Reporter-Token': token });
    expect((mine.body.items as Array<{ id: string }>).map((i) => i.id)).toEqual([...ids].reverse());
    const stranger = await getJson('/api/reports/mine', { 'X-Reporter-Token': newToken() });
    expect(stranger.body.items).toEqual([]);
    expect((await getJson('/api/reports/mine')).status).toBe(400);
  });
});

describe('GET /api/categories and /api/communes', () => {
  it("answers the categories of the commune containing the point, in the commune's order", async () => {
    const { status, body } = await getJson(
      `/api/categories?lat=${commune.centre.lat}&lon=${commune.centre.lon}`,
    );
    expect(status).toBe(200);
    expect(body.commune).toMatchObject({ id: commune.id, slug: commune.slug });
    const codes = (body.categories as Array<{ code: string }>).map((c) => c.code);
    expect(codes).toEqual([
      'pothole',
      'road_surface',
      'street_light',
      'sign',
      'fallen_tree',
      'blocked_drain',
      'illegal_dumping',
      'other',
    ]);
  });

  it('answers 404 with a clear message outside every commune', async () => {
    const { status, body } = await getJson('/api/categories?lat=-45&lon=-120');
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: 'outside_communes' });
    expect((body.error as { message: string }).message).toMatch(/not in a commune/);
  });

  it('lists communes with centroid and bbox', async () => {
    const res = await fetch(`${srv.url}/api/communes`);
    const list = (await res.json()) as Array<{
      slug: string;
      centroid: { lat: number; lon: number };
      bbox: number[];
    }>;
    const mine = list.find((c) => c.slug === commune.slug)!;
    expect(mine.centroid.lat).toBeCloseTo(commune.centre.lat, 4);
    expect(mine.centroid.lon).toBeCloseTo(commune.centre.lon, 4);
    expect(mine.bbox[0]).toBeCloseTo(commune.centre.lon - 0.01, 6);
    expect(mine.bbox[3]).toBeCloseTo(commune.centre.lat + 0.01, 6);
  });
});

describe('GET /api/health and /api/openapi.json', () => {
  it('reports the database up', async () => {
    expect(await getJson('/api/health')).toEqual({ status: 200, body: { ok: true, db: 'up' } });
  });

  it('serves an OpenAPI document describing the report routes', async () => {
    const { body } = await getJson('/api/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    const paths = body.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(['/api/reports', '/api/reports/{id}', '/api/reports/nearby', '/api/categories']),
    );
    expect(paths['/api/reports/{id}']).toHaveProperty('put');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const { status, body } = await getJson('/api/nothing-here');
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: 'route_not_found' });
  });
});
