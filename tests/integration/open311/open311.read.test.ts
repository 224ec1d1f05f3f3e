import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORIES } from '../../../server/src/communes/communes.defaults';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { createPlan } from '../../support/plans';
import { reportFields, sendReport } from '../../support/reports';
import { sendResidentReport } from '../../support/resident';
import { expectError, expectSchema, o311, parseXml } from '../../support/open311';
import { call, createStaff, signIn } from '../../support/staff';

type Commune = Awaited<ReturnType<typeof createTestCommune>>;
type Req = Record<string, unknown> & { service_request_id: string };

let srv: TestServer;
let a: Commune;
let b: Commune;
let supervisorA: string;
/** Reports of commune A, by what the tests do with them. */
const r = {} as Record<
  'open' | 'rejected' | 'hidden' | 'moderated' | 'photoPublic' | 'old' | 'light',
  string
>;
let planned: { reportId: string };
let bReport: string;
const CONTACT = `resident-${crypto.randomBytes(4).toString('hex')}@example.org`;

const jA = () => `jurisdiction_id=${a.slug}`;

async function listA(query = ''): Promise<Req[]> {
  const res = await o311(srv.url, `requests.json?${jA()}${query}`);
  expect(res.status, res.text).toBe(200);
  expectSchema('requests.json', res.json);
  return res.json as Req[];
}

beforeAll(async () => {
  srv = await startTestServer();
  a = await createTestCommune(srv.pool, randomCentre());
  b = await createTestCommune(srv.pool, randomCentre());
  const send = (c: Commune, opts: { contactEmail?: string } = {}) =>
    sendResidentReport(srv.url, c.centre, opts).then((x) => {
      expect(x.status).toBe(201);
      return x.id;
    });
  for (const k of ['open', 'rejected', 'hidden', 'moderated', 'photoPublic', 'old'] as const)
    r[k] = await send(a, { contactEmail: CONTACT });
  r.light = (await sendReport(srv.url, { fields: reportFields(a.centre, { category: 'street_light' }) })).id;
  bReport = await send(b);
  planned = await createPlan(srv, a, 'published');

  const sup = await createStaff(srv.pool, [{ communeId: a.id, role: 'supervisor' }]);
  supervisorA = await signIn(srv.url, sup);
  const rejected = await call(srv.url, `/api/staff/reports/${r.rejected}/status`, {
    method: 'POST',
    cookie: supervisorA,
    json: { status: 'rejected', reason: 'Voie privée : adressez-vous au propriétaire.' },
  });
  expect(rejected.status, rejected.text).toBe(200);

  // Moderation is the town hall's (its screens are another feature): set its columns directly.
  await srv.pool.query('UPDATE reports SET hidden = true WHERE id = $1', [r.hidden]);
  await srv.pool.query(
    `UPDATE reports SET public_description = 'Nid-de-poule (texte modéré)' WHERE id = $1`,
    [r.moderated],
  );
  await srv.pool.query('UPDATE communes SET photos_public = true WHERE id = $1', [a.id]);
  await srv.pool.query('UPDATE photos SET moderated_at = now() WHERE report_id = $1', [r.photoPublic]);
  await srv.pool.query(`UPDATE reports SET received_at = now() - interval '120 days' WHERE id = $1`, [r.old]);
});
afterAll(async () => {
  await srv?.close();
});

describe('GET /open311/v2/discovery.{json,xml}', () => {
  it('describes the one GeoReport v2 endpoint with both formats', async () => {
    const res = await o311(srv.url, 'discovery.json');
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/json; charset=utf-8');
    const d = res.json as {
      changeset: string;
      contact: string;
      key_service: string;
      endpoints: Array<Record<string, unknown>>;
    };
    expect(d.changeset).toMatch(/^\d{4}-\d\d-\d\dT00:00:00Z$/);
    expect(d.contact).toBeTruthy();
    expect(d.key_service).toMatch(/open311:key/);
    expect(d.endpoints).toEqual([
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${srv.url}/open311/v2`,
        changeset: d.changeset,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ]);
  });

  it('says the same in XML, formats as format elements', async () => {
    const res = await o311(srv.url, 'discovery.xml');
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('text/xml; charset=utf-8');
    const doc = parseXml(res.text) as {
      discovery: {
        key_service: string;
        endpoints: { endpoint: Array<{ url: string; formats: { format: string[] } }> };
      };
    };
    expect(doc.discovery.endpoints.endpoint[0]!.url).toBe(`${srv.url}/open311/v2`);
    expect(doc.discovery.endpoints.endpoint[0]!.formats.format).toEqual(['text/xml', 'application/json']);
  });
});

describe('GET /open311/v2/services.{json,xml}', () => {
  it("lists the commune's active categories as realtime services with metadata (valid against services.json)", async () => {
    const res = await o311(srv.url, `services.json?${jA()}`);
    expect(res.status).toBe(200);
    expectSchema('services.json', res.json);
    const services = res.json as Array<Record<string, unknown>>;
    expect(services.map((s) => s.service_code)).toEqual(DEFAULT_CATEGORIES.map((c) => c.code));
    expect(services[0]).toEqual({
      service_code: 'pothole',
      service_name: 'Nid-de-poule',
      description: 'Pothole',
      metadata: true,
      type: 'realtime',
      keywords: 'Pothole, pothole, asphalt',
      group: 'asphalt',
    });
    for (const s of services) expectSchema('service.json', s);
  });

  it('lists the same services in XML under services/service', async () => {
    const res = await o311(srv.url, `services.xml?${jA()}`);
    expect(res.status).toBe(200);
    const doc = parseXml(res.text) as { services: { service: Array<Record<string, string>> } };
    expect(doc.services.service.map((s) => s.service_code)).toEqual(DEFAULT_CATEGORIES.map((c) => c.code));
    expect(doc.services.service[0]).toMatchObject({
      service_name: 'Nid-de-poule',
      metadata: 'true',
      type: 'realtime',
      group: 'asphalt',
    });
  });

  it('leaves out a category the town hall deactivated, and its definition answers 404', async () => {
    const c = await createTestCommune(srv.pool, randomCentre());
    await srv.pool.query(`UPDATE categories SET active = false WHERE commune_id = $1 AND code = 'other'`, [
      c.id,
    ]);
    const res = await o311(srv.url, `services.json?jurisdiction_id=${c.slug}`);
    expect((res.json as Array<{ service_code: string }>).map((s) => s.service_code)).not.toContain('other');
    expectError(
      await o311(srv.url, `services/other.json?jurisdiction_id=${c.slug}`),
      404,
      /service_code "other" was not found/,
    );
  });

  it('requires jurisdiction_id when the server serves several communes (400)', async () => {
    expectError(await o311(srv.url, 'services.json'), 400, /jurisdiction_id is required/);
    const xml = await o311(srv.url, 'services.xml');
    expect(xml.status).toBe(400);
    const doc = parseXml(xml.text) as { errors: { error: Array<{ code: string; description: string }> } };
    expect(doc.errors.error[0]).toMatchObject({ code: '400' });
    expect(doc.errors.error[0]!.description).toMatch(/jurisdiction_id is required/);
  });

  it('answers 404 for an unknown jurisdiction, in the format asked for', async () => {
    expectError(
      await o311(srv.url, 'services.json?jurisdiction_id=nowhere-at-all'),
      404,
      /jurisdiction_id "nowhere-at-all" was not found/,
    );
    const xml = await o311(srv.url, 'services.xml?jurisdiction_id=nowhere-at-all');
    expect(xml.status).toBe(404);
    expect(xml.contentType).toBe('text/xml; charset=utf-8');
    const doc = parseXml(xml.text) as { errors: { error: Array<{ code: string }> } };
    expect(doc.errors.error[0]!.code).toBe('404');
  });

  it('answers 400 for a malformed or repeated jurisdiction_id and for unknown parameters; ignores api_key and empty ones', async () => {
    expectError(
      await o311(srv.url, 'services.json?jurisdiction_id=Not%20a%20slug'),
      400,
      /jurisdiction_id: must be a commune slug/,
    );
    expectError(
      await o311(srv.url, `services.json?${jA()}&${jA()}`),
      400,
      /jurisdiction_id: must be given once/,
    );
    expectError(await o311(srv.url, `services.json?${jA()}&locale=fr`), 400, /Unknown field\(s\): locale/);
    expect((await o311(srv.url, `services.json?${jA()}&api_key=whatever`)).status).toBe(200);
    expect((await o311(srv.url, `services.json?${jA()}&api_key=`)).status).toBe(200);
  });

  it('answers 404 in XML for an unknown format or resource, never a stack trace', async () => {
    for (const p of ['services.html', 'tokens/123.xml', 'nothing']) {
      const res = await o311(srv.url, `${p}?${jA()}`);
      expect(res.status, p).toBe(404);
      expect(res.contentType).toBe('text/xml; charset=utf-8');
      expect(res.text).not.toMatch(/at .*\.ts:\d+/);
      parseXml(res.text);
    }
    expectError(await o311(srv.url, 'tokens/123.json'), 404, /No such Open311 resource/);
  });
});

describe('GET /open311/v2/services/{service_code}.{json,xml}', () => {
  it('defines the danger, observed_at and landmark attributes (valid against service-definition.json)', async () => {
    const res = await o311(srv.url, `services/pothole.json?${jA()}`);
    expect(res.status).toBe(200);
    expectSchema('service-definition.json', res.json);
    const d = res.json as { service_code: string; attributes: Array<Record<string, unknown>> };
    expect(d.service_code).toBe('pothole');
    expect(d.attributes.map((x) => [x.code, x.datatype, x.required, x.order, x.variable])).toEqual([
      ['danger', 'singlevaluelist', true, 1, true],
      ['observed_at', 'datetime', false, 2, true],
      ['landmark', 'string', false, 3, true],
    ]);
    expect(d.attributes[0]!.values).toEqual([
      { key: 'yes', name: expect.stringMatching(/^Oui/) },
      { key: 'no', name: expect.stringMatching(/^Non/) },
    ]);
  });

  it('writes the definition in XML as service_definition/attributes/attribute/values/value', async () => {
    const res = await o311(srv.url, `services/pothole.xml?${jA()}`);
    const doc = parseXml(res.text) as {
      service_definition: {
        service_code: string;
        attributes: {
          attribute: Array<{
            code: string;
            datatype_description: string;
            values?: { value: Array<{ key: string; name: string }> };
          }>;
        };
      };
    };
    expect(doc.service_definition.service_code).toBe('pothole');
    const [danger, seen] = doc.service_definition.attributes.attribute;
    expect(danger!.values!.value.map((v) => v.key)).toEqual(['yes', 'no']);
    expect(danger!.datatype_description).toBe('');
    expect(seen!.code).toBe('observed_at');
  });

  it('answers 404 for an unknown or malformed service code, 404 for an unknown jurisdiction', async () => {
    expectError(
      await o311(srv.url, `services/unicorn.json?${jA()}`),
      404,
      /service_code "unicorn" was not found/,
    );
    expectError(await o311(srv.url, `services/Bad%20Code.json?${jA()}`), 404, /was not found/);
    expectError(
      await o311(srv.url, 'services/pothole.json?jurisdiction_id=nowhere-at-all'),
      404,
      /jurisdiction_id/,
    );
  });
});

describe('GET /open311/v2/requests.{json,xml}', () => {
  it("lists the commune's visible reports, newest first, public fields only (valid against requests.json)", async () => {
    const res = await o311(srv.url, `requests.json?${jA()}`);
    expect(res.status).toBe(200);
    expectSchema('requests.json', res.json);
    const list = res.json as Req[];
    const ids = list.map((x) => x.service_request_id);
    for (const id of [r.open, r.rejected, r.moderated, r.photoPublic, r.light, planned.reportId])
      expect(ids).toContain(id);
    expect(ids).not.toContain(r.hidden);
    expect(ids).not.toContain(bReport);
    const times = list.map((x) => Date.parse(x.requested_datetime as string));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    // Never any contact data.
    expect(res.text).not.toContain(CONTACT);
    expect(res.text).not.toMatch(/contact|email|token/i);
    const one = list.find((x) => x.service_request_id === r.open)!;
    expect(one).toMatchObject({
      status: 'open',
      status_notes: null,
      service_code: 'pothole',
      service_name: 'Nid-de-poule',
      description: 'Nid-de-poule',
      agency_responsible: `Test ${a.slug}`,
      service_notice: null,
      expected_datetime: null,
      address_id: null,
      zipcode: null,
      media_url: null,
    });
    expect(one.lat).toBeCloseTo(a.centre.lat, 6);
    expect(one.long).toBeCloseTo(a.centre.lon, 6);
    expect(one).toHaveProperty('address');
  });

  it("never lists another commune's reports (isolation)", async () => {
    const underB = await o311(srv.url, `requests.json?jurisdiction_id=${b.slug}`);
    const ids = (underB.json as Req[]).map((x) => x.service_request_id);
    expect(ids).toEqual([bReport]);
    const askedForB = await listA(`&service_request_id=${bReport},${r.open}`);
    expect(askedForB.map((x) => x.service_request_id)).toEqual([r.open]);
  });

  it('writes each request in XML under service_requests/request with the specification element names', async () => {
    const res = await o311(srv.url, `requests.xml?${jA()}&service_request_id=${r.rejected}`);
    expect(res.status).toBe(200);
    const doc = parseXml(res.text) as { service_requests: { request: Array<Record<string, string>> } };
    const req = doc.service_requests.request[0]!;
    expect(Object.keys(req)).toEqual([
      'service_request_id',
      'status',
      'status_notes',
      'service_name',
      'service_code',
      'description',
      'agency_responsible',
      'service_notice',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
      'address',
      'address_id',
      'zipcode',
      'lat',
      'long',
      'media_url',
    ]);
    expect(req).toMatchObject({
      service_request_id: r.rejected,
      status: 'closed',
      status_notes: 'Voie privée : adressez-vous au propriétaire.',
    });
  });

  it('shows a rejection as closed with its reason, updated when it was closed', async () => {
    const [rej] = await listA(`&service_request_id=${r.rejected}`);
    const { rows } = await srv.pool.query<{ closed_at: Date }>(
      'SELECT closed_at FROM reports WHERE id = $1',
      [r.rejected],
    );
    expect(rej).toMatchObject({
      status: 'closed',
      status_notes: 'Voie privée : adressez-vous au propriétaire.',
      updated_datetime: rows[0]!.closed_at.toISOString(),
    });
  });

  it('shows the moderated text instead of the original one', async () => {
    const [m] = await listA(`&service_request_id=${r.moderated}`);
    expect(m!.description).toBe('Nid-de-poule (texte modéré)');
  });

  it('gives the day of the published round as expected_datetime (midnight, commune time)', async () => {
    const [p] = await listA(`&service_request_id=${planned.reportId}`);
    expect(p).toMatchObject({
      status: 'open',
      expected_datetime: '2026-11-30T23:00:00.000Z',
      status_notes: 'Intervention prévue le 01/12/2026.',
    });
  });

  it('links the first photo only once the public may see it, and no longer when it is hidden', async () => {
    const [shown] = await listA(`&service_request_id=${r.photoPublic}`);
    expect(shown!.media_url).toBe(`${srv.url}/api/reports/${r.photoPublic}/photos/1`);
    const [unmoderated] = await listA(`&service_request_id=${r.open}`);
    expect(unmoderated!.media_url).toBeNull();
    await srv.pool.query('UPDATE photos SET hidden = true WHERE report_id = $1', [r.photoPublic]);
    const [hidden] = await listA(`&service_request_id=${r.photoPublic}`);
    expect(hidden!.media_url).toBeNull();
    await srv.pool.query('UPDATE photos SET hidden = false WHERE report_id = $1', [r.photoPublic]);
    // Moderated, but in a commune that does not show photos to the public.
    await srv.pool.query('UPDATE photos SET moderated_at = now() WHERE report_id = $1', [bReport]);
    const underB = await o311(srv.url, `requests/${bReport}.json?jurisdiction_id=${b.slug}`);
    expect((underB.json as Req[])[0]!.media_url).toBeNull();
  });

  it('filters by service_code, comma-separated or repeated', async () => {
    const lights = await listA('&service_code=street_light');
    expect(lights.map((x) => x.service_request_id)).toEqual([r.light]);
    const both = await listA('&service_code=street_light,sign');
    expect(both.map((x) => x.service_request_id)).toEqual([r.light]);
    const repeated = await listA('&service_code=street_light&service_code=pothole');
    expect(repeated.length).toBeGreaterThan(1);
    expect(new Set(repeated.map((x) => x.service_code))).toEqual(new Set(['street_light', 'pothole']));
  });

  it('filters by status open, closed, or both', async () => {
    const closed = await listA('&status=closed');
    expect(closed.map((x) => x.service_request_id)).toEqual([r.rejected]);
    const open = await listA('&status=open');
    expect(open.every((x) => x.status === 'open')).toBe(true);
    expect(open.map((x) => x.service_request_id)).not.toContain(r.rejected);
    expect((await listA('&status=open,closed')).length).toBe(open.length + 1);
    expect((await listA('&status=open&status=closed')).length).toBe(open.length + 1);
  });

  it('defaults to the most recent 90 days and takes a start_date/end_date window', async () => {
    expect((await listA()).map((x) => x.service_request_id)).not.toContain(r.old);
    const { rows } = await srv.pool.query<{ received_at: Date }>(
      'SELECT received_at FROM reports WHERE id = $1',
      [r.old],
    );
    const t = rows[0]!.received_at.getTime();
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    const around = await listA(`&start_date=${iso(t - 3_600_000)}&end_date=${iso(t + 3_600_000)}`);
    expect(around.map((x) => x.service_request_id)).toEqual([r.old]);
    // An offset instead of Z (the UTC clock time read as +01:00 is an hour earlier), and
    // start_date alone: the 90 days from it.
    const hourBefore = `${new Date(t).toISOString().slice(0, 19)}+01:00`;
    const from = await listA(`&start_date=${encodeURIComponent(hourBefore)}`);
    expect(from.map((x) => x.service_request_id)).toEqual([r.old]);
    const until = await listA(`&end_date=${iso(t + 1000)}`);
    expect(until.map((x) => x.service_request_id)).toEqual([r.old]);
  });

  it('takes service_request_id as a comma list that overrides every other filter', async () => {
    const got = await listA(
      `&service_request_id=${r.open},${r.old},${r.hidden}&status=closed&service_code=sign`,
    );
    expect(got.map((x) => x.service_request_id).sort()).toEqual([r.open, r.old].sort());
    const upper = await listA(`&service_request_id=${r.open.toUpperCase()}`);
    expect(upper.map((x) => x.service_request_id)).toEqual([r.open]);
  });

  it.each([
    ['start_date=2026-01-01', /start_date: must be a W3C date-time with a time zone/],
    ['start_date=2026-01-01T00:00:00', /start_date: must be a W3C date-time with a time zone/],
    ['end_date=yesterday', /end_date: must be a W3C date-time/],
    ['start_date=2026-02-30T00:00:00Z', /start_date: is not a valid date/],
    ['start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', /may not be more than 90 days apart/],
    ['start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z', /start_date must be before end_date/],
    ['status=pending', /status: /],
    ['service_code=Pot%20Hole', /service_code: /],
    ['service_request_id=42', /service_request_id: must be a UUID/],
    ['start_date=2026-01-01T00:00:00Z&start_date=2026-01-02T00:00:00Z', /start_date: must be given once/],
    ['page=2', /Unknown field\(s\): page/],
  ])('answers 400 for %s', async (query, message) => {
    expectError(await o311(srv.url, `requests.json?${jA()}&${query}`), 400, message);
  });

  it('answers an empty list, not an error, when nothing matches', async () => {
    const res = await o311(srv.url, `requests.xml?${jA()}&service_request_id=${crypto.randomUUID()}`);
    expect(res.status).toBe(200);
    expect(res.text).toBe('<?xml version="1.0" encoding="utf-8"?>\n<service_requests/>\n');
    expect(await listA(`&service_request_id=${crypto.randomUUID()}`)).toEqual([]);
  });

  it('returns at most 1000 requests, the newest', async () => {
    const c = await createTestCommune(srv.pool, randomCentre());
    // 1005 reports of one commune, one second apart (fixtures straight into the table).
    await srv.pool.query(
      `INSERT INTO reports (id, commune_id, category_id, location, accuracy_m, location_source, captured_at,
                            received_at, updated_at, reporter_token_hash, content_hash)
       SELECT gen_random_uuid(), $1, (SELECT id FROM categories WHERE commune_id = $1 AND code = 'pothole'),
              ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, 5, 'gps', now(),
              now() - make_interval(secs => i), now(), sha256(i::text::bytea), sha256(('c' || i)::bytea)
         FROM generate_series(1, 1005) AS i`,
      [c.id, c.centre.lon, c.centre.lat],
    );
    const res = await o311(srv.url, `requests.json?jurisdiction_id=${c.slug}`);
    const list = res.json as Req[];
    expect(list).toHaveLength(1000);
    expectSchema('requests.json', list);
    const { rows } = await srv.pool.query<{ oldest: Date }>(
      `SELECT min(received_at) AS oldest FROM (SELECT received_at FROM reports WHERE commune_id = $1
          ORDER BY received_at DESC LIMIT 1000) x`,
      [c.id],
    );
    expect(list[list.length - 1]!.requested_datetime).toBe(rows[0]!.oldest.toISOString());
  });
});

describe('GET /open311/v2/requests/{service_request_id}.{json,xml}', () => {
  it('answers one request as a one-item list (valid against requests.json and request.json)', async () => {
    const res = await o311(srv.url, `requests/${r.open}.json?${jA()}`);
    expect(res.status).toBe(200);
    expectSchema('requests.json', res.json);
    const list = res.json as Req[];
    expect(list).toHaveLength(1);
    expectSchema('request.json', list[0]);
    expect(list[0]!.service_request_id).toBe(r.open);
  });

  it('answers in XML under service_requests/request', async () => {
    const res = await o311(srv.url, `requests/${r.open}.xml?${jA()}`);
    const doc = parseXml(res.text) as { service_requests: { request: Array<Record<string, string>> } };
    expect(doc.service_requests.request).toHaveLength(1);
    expect(doc.service_requests.request[0]).toMatchObject({
      service_request_id: r.open,
      status: 'open',
      long: String(a.centre.lon),
    });
  });

  it("answers the same 404 for a missing, a hidden and another commune's request", async () => {
    const ids = [crypto.randomUUID(), r.hidden, bReport];
    const answers = await Promise.all(ids.map((id) => o311(srv.url, `requests/${id}.json?${jA()}`)));
    for (const x of answers) expectError(x, 404, /was not found in this jurisdiction/);
    expect(new Set(answers.map((x, i) => x.text.replace(ids[i]!, 'ID'))).size).toBe(1);
    expectError(await o311(srv.url, `requests/42.json?${jA()}`), 404, /was not found/);
  });

  it('needs the jurisdiction like every call (400 without, 404 for an unknown one)', async () => {
    expectError(await o311(srv.url, `requests/${r.open}.json`), 400, /jurisdiction_id is required/);
    expectError(
      await o311(srv.url, `requests/${r.open}.json?jurisdiction_id=nowhere-at-all`),
      404,
      /jurisdiction_id/,
    );
  });
});

describe('GET /api/openapi.json', () => {
  it('documents the Open311 routes', async () => {
    const res = await fetch(`${srv.url}/api/openapi.json`);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/open311/v2/'))).toEqual([
      '/open311/v2/discovery.{format}',
      '/open311/v2/services.{format}',
      '/open311/v2/services/{service_code}.{format}',
      '/open311/v2/requests.{format}',
      '/open311/v2/requests/{service_request_id}.{format}',
    ]);
    expect(Object.keys(doc.paths['/open311/v2/requests.{format}']!)).toEqual(['get', 'post']);
  });
});
