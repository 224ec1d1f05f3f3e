import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { upsertAddresses } from '../../../server/src/addresses/addresses.repo';
import { LIMITS } from '../../../server/src/contract/limits';
import { runAdminHere } from '../../support/admin-cli';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { expectError, expectSchema, issueKey, o311, parseXml, postRequest } from '../../support/open311';
import { SMALL_JPEG } from '../../support/reports';

type Commune = Awaited<ReturnType<typeof createTestCommune>>;

/** The main server may download from loopback (the photo server below), with a short deadline. */
let srv: TestServer;
/** A server with the default: public addresses only. */
let strict: TestServer;
let a: Commune;
let b: Commune;
let keyA: string;
let keyB: string;
let photoServer: http.Server;
let photoBase: string;
/** Requests the photo server received, by path. */
const hits: Record<string, number> = {};
const env = () => ({ DATABASE_URL: inject('databaseUrl') });

/** A valid request into commune A with overrides (undefined removes a field). */
function fieldsA(
  over: Record<string, string | string[] | undefined> = {},
): Record<string, string | string[] | undefined> {
  return {
    api_key: keyA,
    jurisdiction_id: a.slug,
    service_code: 'pothole',
    lat: String(a.centre.lat + 0.001),
    long: String(a.centre.lon - 0.001),
    description: 'Trou profond au carrefour',
    'attribute[danger]': 'no',
    ...over,
  };
}

async function reportsOf(communeId: number): Promise<number> {
  const { rows } = await srv.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM reports WHERE commune_id = $1',
    [communeId],
  );
  return rows[0]!.n;
}

/** The stored report behind a service_request_id, as a row. */
async function stored(id: string) {
  const { rows } = await srv.pool.query<Record<string, unknown>>(
    `SELECT r.*, ST_Y(r.location::geometry) AS lat, ST_X(r.location::geometry) AS lon, c.code AS category,
            (SELECT count(*)::int FROM photos p WHERE p.report_id = r.id) AS photos
       FROM reports r JOIN categories c ON c.id = r.category_id WHERE r.id = $1`,
    [id],
  );
  return rows[0]!;
}

/** Posts and expects a created request; returns its id and notice. */
async function created(fields: Record<string, string | string[] | undefined>, server = srv) {
  const res = await postRequest(server.url, fields);
  expect(res.status, res.text).toBe(200);
  const answer = res.json as Array<{ service_request_id: string; service_notice: string; account_id: null }>;
  expect(answer).toHaveLength(1);
  expect(answer[0]!.account_id).toBeNull();
  return answer[0]!;
}

beforeAll(async () => {
  photoServer = http.createServer((req, res) => {
    const p = req.url ?? '/';
    hits[p] = (hits[p] ?? 0) + 1;
    if (p === '/photo.jpg') res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(SMALL_JPEG);
    else if (p === '/moved') res.writeHead(302, { Location: '/photo.jpg' }).end();
    else if (p === '/loop') res.writeHead(302, { Location: '/loop' }).end();
    else if (p === '/page.html')
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>not a photo</html>');
    else if (p === '/huge.jpg') {
      // Streams past the photo limit without announcing a length.
      res.writeHead(200, { 'Content-Type': 'image/jpeg' });
      const chunk = Buffer.alloc(1024 * 1024, 0xff);
      let sent = 0;
      const push = () => {
        while (sent <= LIMITS.maxPhotoBytes && res.write(chunk)) sent += chunk.length;
        if (sent <= LIMITS.maxPhotoBytes) res.once('drain', push);
        else res.end();
      };
      push();
    } else if (p === '/slow.jpg') {
      setTimeout(() => res.writeHead(200).end(SMALL_JPEG), 10_000).unref();
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => photoServer.listen(0, '127.0.0.1', resolve));
  photoBase = `http://127.0.0.1:${(photoServer.address() as AddressInfo).port}`;

  srv = await startTestServer({ open311: { mediaAllowPrivate: true, mediaTimeoutMs: 1500 } });
  strict = await startTestServer();
  a = await createTestCommune(srv.pool, randomCentre());
  b = await createTestCommune(srv.pool, randomCentre());
  keyA = (await issueKey(a.slug, 'Portail test')).key;
  keyB = (await issueKey(b.slug)).key;
  const on = await runAdminHere(['commune:set', '--slug', a.slug, '--open311-media-fetch', 'on'], {
    env: env(),
  });
  expect(on.code, on.stderr).toBe(0);
  await upsertAddresses(srv.pool, a.id, [
    {
      housenumber: '12',
      street: "Rue de l'Église",
      postcode: '56250',
      label: "12 Rue de l'Église",
      lat: a.centre.lat + 0.002,
      lon: a.centre.lon + 0.002,
      sourceId: `t-${a.slug}-12`,
    },
  ]);
});
afterAll(async () => {
  await srv?.close();
  await strict?.close();
  photoServer?.closeAllConnections();
  await new Promise((resolve) => photoServer?.close(resolve));
});

describe('POST /open311/v2/requests.{json,xml}', () => {
  it('stores a request at once and answers its id (JSON), readable right after through GET', async () => {
    const before = await reportsOf(a.id);
    const answer = await created(
      fieldsA({
        email: 'habitant@example.org',
        first_name: 'Jeanne',
        last_name: 'Martin',
        phone: '0601020304',
        device_id: 'dev-1',
        account_id: 'acc-9',
      }),
    );
    expect(answer.service_request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.service_notice).toBe(`Signalement transmis à la mairie de Test ${a.slug}.`);
    expect(await reportsOf(a.id)).toBe(before + 1);

    const get = await o311(srv.url, `requests/${answer.service_request_id}.json?jurisdiction_id=${a.slug}`);
    expectSchema('requests.json', get.json);
    expect((get.json as Array<Record<string, unknown>>)[0]).toMatchObject({
      service_request_id: answer.service_request_id,
      status: 'open',
      service_code: 'pothole',
      description: 'Trou profond au carrefour',
    });
  });

  it('keeps the email as contact, and stores no name, phone, device or account id', async () => {
    const answer = await created(
      fieldsA({
        email: 'habitant@example.org',
        first_name: 'Jeanne',
        last_name: 'Martin',
        phone: '0601020304',
        device_id: 'device-77',
        account_id: 'account-99',
      }),
    );
    const row = await stored(answer.service_request_id);
    expect(row).toMatchObject({
      source: 'open311',
      contact_email: 'habitant@example.org',
      category: 'pothole',
      status: 'new',
      priority: 'normal',
      location_source: 'manual',
      photos: 0,
    });
    expect(row.lat as number).toBeCloseTo(a.centre.lat + 0.001, 6);
    const { rows } = await srv.pool.query<{ everything: string }>(
      `SELECT (SELECT row_to_json(r)::text FROM reports r WHERE r.id = $1) ||
              (SELECT string_agg(row_to_json(e)::text, '') FROM report_events e WHERE e.report_id = $1) ||
              (SELECT coalesce(string_agg(row_to_json(l)::text, ''), '') FROM audit_log l WHERE l.object_id = $1::text) AS everything`,
      [answer.service_request_id],
    );
    for (const secret of ['Jeanne', 'Martin', '0601020304', 'device-77', 'account-99', keyA])
      expect(rows[0]!.everything).not.toContain(secret);
  });

  it("records a 'created' event by the system for the key that posted", async () => {
    const answer = await created(fieldsA());
    const { rows } = await srv.pool.query<{
      action: string;
      actor_kind: string;
      actor_id: string;
      to_status: string;
      data: Record<string, unknown>;
    }>('SELECT action, actor_kind, actor_id, to_status, data FROM report_events WHERE report_id = $1', [
      answer.service_request_id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'created', actor_kind: 'system', to_status: 'new' });
    expect(rows[0]!.actor_id).toMatch(/^open311-key:\d+$/);
    expect(rows[0]!.data).toMatchObject({ source: 'open311', attributes: { danger: ['no'] } });
  });

  it('answers in XML under service_requests/request, account_id empty', async () => {
    const res = await postRequest(srv.url, fieldsA(), 'xml');
    expect(res.status, res.text).toBe(200);
    const doc = parseXml(res.text) as { service_requests: { request: Array<Record<string, string>> } };
    expect(Object.keys(doc.service_requests.request[0]!)).toEqual([
      'service_request_id',
      'service_notice',
      'account_id',
    ]);
    expect(doc.service_requests.request[0]!.account_id).toBe('');
    expect(res.text).toContain('<account_id/>');
  });

  it('makes a dangerous defect a danger priority, takes observed_at as the time it was seen, adds the landmark', async () => {
    const answer = await created(
      fieldsA({
        'attribute[danger]': 'yes',
        'attribute[observed_at]': '2026-01-10T08:15:00+01:00',
        'attribute[landmark]': 'devant la boulangerie',
      }),
    );
    const row = await stored(answer.service_request_id);
    expect(row.priority).toBe('danger');
    expect((row.captured_at as Date).toISOString()).toBe('2026-01-10T07:15:00.000Z');
    expect(row.description).toBe('Trou profond au carrefour\n\nRepère : devant la boulangerie');
  });

  it('geocodes address_string with the local addresses and names the place', async () => {
    const answer = await created(
      fieldsA({ lat: undefined, long: undefined, address_string: "12 rue de l'eglise" }),
    );
    const row = await stored(answer.service_request_id);
    expect(row.lat as number).toBeCloseTo(a.centre.lat + 0.002, 6);
    expect(row.lon as number).toBeCloseTo(a.centre.lon + 0.002, 6);
    expect(row.address).toBe("12 Rue de l'Église");
    const get = await o311(srv.url, `requests/${answer.service_request_id}.json?jurisdiction_id=${a.slug}`);
    expect((get.json as Array<{ address: string }>)[0]!.address).toBe("12 Rue de l'Église");
  });

  it('uses lat/long when address_string comes too (as in the specification example)', async () => {
    const answer = await created(fieldsA({ address_string: "12 Rue de l'Église" }));
    const row = await stored(answer.service_request_id);
    expect(row.lat as number).toBeCloseTo(a.centre.lat + 0.001, 6);
  });

  it('defaults the jurisdiction to the commune of the api_key', async () => {
    const answer = await created(fieldsA({ jurisdiction_id: undefined }));
    expect((await stored(answer.service_request_id)).commune_id).toBe(a.id);
  });

  it('accepts api_key and jurisdiction_id in the query string too', async () => {
    const res = await postRequest(
      srv.url,
      fieldsA({ api_key: undefined, jurisdiction_id: undefined }),
      'json',
      `?api_key=${keyA}&jurisdiction_id=${a.slug}`,
    );
    expect(res.status, res.text).toBe(200);
    expectError(
      await postRequest(srv.url, fieldsA(), 'json', `?jurisdiction_id=${b.slug}`),
      400,
      /jurisdiction_id is given in both/,
    );
  });
});

describe('POST /open311/v2/requests: refusals (nothing is stored)', () => {
  let before: number;
  beforeAll(async () => {
    before = await reportsOf(a.id);
  });
  afterAll(async () => {
    // Every case below was refused: not one row was written.
    expect(await reportsOf(a.id)).toBe(before);
  });

  it('answers 403 without an api_key, with a wrong one, and with a revoked one', async () => {
    expectError(await postRequest(srv.url, fieldsA({ api_key: undefined })), 403, /api_key is missing/);
    expectError(await postRequest(srv.url, fieldsA({ api_key: '' })), 403, /api_key is missing/);
    expectError(
      await postRequest(
        srv.url,
        fieldsA({ api_key: `v311_${crypto.randomBytes(32).toString('base64url')}` }),
      ),
      403,
      /Invalid api_key/,
    );
    expectError(await postRequest(srv.url, fieldsA({ api_key: [keyA, keyA] })), 403, /Invalid api_key/);
    const issued = await issueKey(a.slug, 'à révoquer');
    expect(
      (await postRequest(srv.url, fieldsA({ api_key: issued.key, description: undefined }))).status,
    ).toBe(200);
    before += 1;
    const revoked = await runAdminHere(['open311:revoke', '--commune', a.slug, '--id', String(issued.id)], {
      env: env(),
    });
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/is revoked/);
    expectError(await postRequest(srv.url, fieldsA({ api_key: issued.key })), 403, /Invalid api_key/);
    const xml = await postRequest(srv.url, fieldsA({ api_key: 'nope' }), 'xml');
    expect(xml.status).toBe(403);
    const doc = parseXml(xml.text) as { errors: { error: Array<{ code: string; description: string }> } };
    expect(doc.errors.error[0]!.code).toBe('403');
  });

  it("refuses commune A's key for jurisdiction B (403), and an unknown jurisdiction (404)", async () => {
    const bBefore = await reportsOf(b.id);
    expectError(
      await postRequest(
        srv.url,
        fieldsA({ jurisdiction_id: b.slug, lat: String(b.centre.lat), long: String(b.centre.lon) }),
      ),
      403,
      new RegExp(`not valid for jurisdiction_id "${b.slug}"`),
    );
    expectError(
      await postRequest(srv.url, fieldsA({ jurisdiction_id: 'nowhere-at-all' })),
      404,
      /jurisdiction_id "nowhere-at-all" was not found/,
    );
    expect(await reportsOf(b.id)).toBe(bBefore);
  });

  it('refuses a point outside the commune, naming it (400), even inside another commune', async () => {
    expectError(
      await postRequest(srv.url, fieldsA({ lat: String(b.centre.lat), long: String(b.centre.lon) })),
      400,
      new RegExp(`outside Test ${a.slug}`),
    );
    expectError(await postRequest(srv.url, fieldsA({ lat: '0', long: '0' })), 400, /is outside/);
  });

  it('needs a location: lat with long, or address_string (400)', async () => {
    expectError(
      await postRequest(srv.url, fieldsA({ lat: undefined, long: undefined })),
      400,
      /A location is required/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ long: undefined })),
      400,
      /long: lat and long go together/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ lat: undefined })),
      400,
      /lat: lat and long go together/,
    );
    expectError(await postRequest(srv.url, fieldsA({ lat: '91' })), 400, /lat: must be between -90 and 90/);
    expectError(await postRequest(srv.url, fieldsA({ long: 'east' })), 400, /long: must be a number/);
    expectError(
      await postRequest(
        srv.url,
        fieldsA({ lat: undefined, long: undefined, address_string: '99 Avenue Inconnue' }),
      ),
      400,
      /address_string "99 Avenue Inconnue" was not found/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ lat: undefined, long: undefined, address_id: '545483' })),
      400,
      /address_id is not supported/,
    );
  });

  it('answers 404 for an unknown service_code and 400 without one', async () => {
    expectError(
      await postRequest(srv.url, fieldsA({ service_code: 'unicorn' })),
      404,
      /service_code "unicorn" was not found/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ service_code: undefined })),
      400,
      /service_code: is required/,
    );
  });

  it('checks attributes against the service definition, every problem listed', async () => {
    expectError(
      await postRequest(srv.url, fieldsA({ 'attribute[danger]': undefined })),
      400,
      /attribute\[danger\]: is required/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ 'attribute[danger]': 'maybe' })),
      400,
      /attribute\[danger\]: must be one of yes, no/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ 'attribute[danger]': ['yes', 'no'] })),
      400,
      /takes a single value/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ 'attribute[colour]': 'red' })),
      400,
      /attribute\[colour\]: is not an attribute/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ 'attribute[observed_at]': 'hier' })),
      400,
      /attribute\[observed_at\]: must be a W3C date-time/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ 'attribute[observed_at]': '2099-01-01T00:00:00Z' })),
      400,
      /is in the future/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ 'attribute[landmark]': 'deux\nlignes' })),
      400,
      /attribute\[landmark\]: must be one line/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ 'attribute[]': 'x' })),
      400,
      /attribute\[\]: attributes are sent as attribute\[code\]=value/,
    );
    const several = await postRequest(
      srv.url,
      fieldsA({ 'attribute[danger]': 'maybe', 'attribute[observed_at]': 'hier' }),
    );
    expect(several.status).toBe(400);
    expect((several.json as unknown[]).length).toBe(2);
  });

  it('refuses a description over 2000 characters, a body over 32 KB, a bad email or media_url', async () => {
    expectError(
      await postRequest(srv.url, fieldsA({ description: 'x'.repeat(LIMITS.maxDescription + 1) })),
      400,
      /description: must be at most 2000 characters/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ description: 'x'.repeat(40_000) })),
      400,
      /larger than 32 KB/,
    );
    expectError(
      await postRequest(
        srv.url,
        fieldsA({ description: 'x'.repeat(1990), 'attribute[landmark]': 'le long du mur du cimetière' }),
      ),
      400,
      /with the landmark, must be at most 2000/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ email: 'not-an-email' })),
      400,
      /email: must be an email address/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ media_url: 'ftp://example.org/a.jpg' })),
      400,
      /media_url: must be an http/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ media_url: 'file:///etc/passwd' })),
      400,
      /media_url: must be an http/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ nickname: 'bob' })),
      400,
      /Unknown field\(s\): nickname/,
    );
    expectError(
      await postRequest(srv.url, fieldsA({ description: ['a', 'b'] })),
      400,
      /description: must be given once/,
    );
  });

  it('wants a form: JSON or no body is a 400, an unknown format a 404', async () => {
    const json = await o311(srv.url, 'requests.json', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(fieldsA()),
    });
    expectError(json, 400, /application\/x-www-form-urlencoded/);
    expectError(
      await o311(srv.url, 'requests.json', { method: 'POST' }),
      400,
      /application\/x-www-form-urlencoded/,
    );
    const html = await o311(srv.url, 'requests.html', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    expect(html.status).toBe(404);
  });
});

describe('POST /open311/v2/requests with media_url', () => {
  it('downloads the photo where the commune allows it and runs it through the upload pipeline', async () => {
    const answer = await created(fieldsA({ media_url: `${photoBase}/photo.jpg` }));
    expect(answer.service_notice).not.toMatch(/photo/i);
    const { rows } = await srv.pool.query<{ sha256: string; position: number }>(
      'SELECT sha256, position FROM photos WHERE report_id = $1',
      [answer.service_request_id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.position).toBe(1);
    expect(await srv.photos.exists(rows[0]!.sha256)).toBe(true);
    // Re-encoded: not the bytes that were served.
    expect(rows[0]!.sha256).not.toBe(crypto.createHash('sha256').update(SMALL_JPEG).digest('hex'));
  });

  it('follows a redirect to the photo', async () => {
    const answer = await created(fieldsA({ media_url: `${photoBase}/moved` }));
    expect((await stored(answer.service_request_id)).photos).toBe(1);
  });

  it.each([
    ['/missing.jpg', /le serveur a répondu 404/],
    ['/page.html', /pas une photo lisible/],
    ['/huge.jpg', /dépasse 15 Mo/],
    ['/slow.jpg', /délai dépassé/],
    ['/loop', /trop de redirections/],
  ])('stores the report without the photo when %s fails, and says so', async (p, why) => {
    const answer = await created(fieldsA({ media_url: `${photoBase}${p}` }));
    expect(answer.service_notice).toMatch(/Signalement enregistré sans photo/);
    expect(answer.service_notice).toMatch(why);
    expect((await stored(answer.service_request_id)).photos).toBe(0);
  });

  it('does not download anything for a commune that does not allow it', async () => {
    const before = hits['/photo.jpg'] ?? 0;
    const res = await postRequest(srv.url, {
      api_key: keyB,
      jurisdiction_id: b.slug,
      service_code: 'pothole',
      lat: String(b.centre.lat),
      long: String(b.centre.lon),
      'attribute[danger]': 'no',
      media_url: `${photoBase}/photo.jpg`,
    });
    expect(res.status, res.text).toBe(200);
    const [answer] = res.json as Array<{ service_request_id: string; service_notice: string }>;
    expect(answer!.service_notice).toMatch(/cette commune n’accepte pas les photos par media_url/);
    expect((await stored(answer!.service_request_id)).photos).toBe(0);
    expect(hits['/photo.jpg'] ?? 0).toBe(before);
  });

  it('refuses loopback and private addresses unless the installation allows them (SSRF)', async () => {
    const before = hits['/photo.jpg'] ?? 0;
    for (const url of [
      `${photoBase}/photo.jpg`,
      'http://localhost:1/photo.jpg',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:1/x.jpg',
    ]) {
      const answer = await created(fieldsA({ media_url: url }), strict);
      expect(answer.service_notice, url).toMatch(/l’adresse n’est pas publique/);
      expect((await stored(answer.service_request_id)).photos).toBe(0);
    }
    expect(hits['/photo.jpg'] ?? 0).toBe(before);
  });
});

describe('POST /open311/v2/requests: rate limit per key', () => {
  it('answers 429 with Retry-After past the limit, in the Open311 error format', async () => {
    const limited = await startTestServer({ open311: { perKey: 2, windowSeconds: 3600 } });
    try {
      const c = await createTestCommune(limited.pool, randomCentre());
      const { key } = await issueKey(c.slug);
      const fields = {
        api_key: key,
        service_code: 'pothole',
        lat: String(c.centre.lat),
        long: String(c.centre.lon),
        'attribute[danger]': 'no',
      };
      expect((await postRequest(limited.url, fields)).status).toBe(200);
      expect((await postRequest(limited.url, fields)).status).toBe(200);
      const third = await postRequest(limited.url, fields);
      expectError(third, 429, /Too many requests/);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another key of the same commune is counted on its own.
      const other = await issueKey(c.slug);
      expect((await postRequest(limited.url, { ...fields, api_key: other.key })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('npm run admin -- open311:*', () => {
  it('prints a key once and keeps only its hash', async () => {
    const issued = await issueKey(a.slug, 'Appli intercommunale');
    expect(issued.key).toMatch(/^v311_[A-Za-z0-9_-]{43}$/);
    expect(issued.stdout).toMatch(/shown only now/);
    const { rows } = await srv.pool.query<{ row: string; hashed: boolean }>(
      `SELECT row_to_json(k)::text AS row, k.key_hash = sha256($2::bytea) AS hashed FROM open311_keys k WHERE k.id = $1`,
      [issued.id, Buffer.from(issued.key, 'utf8')],
    );
    expect(rows[0]!.hashed).toBe(true);
    expect(rows[0]!.row).not.toContain(issued.key.slice(12));
  });

  it('lists the keys of a commune, and revokes one of its own only', async () => {
    const issued = await issueKey(b.slug, 'Portail B');
    const list = await runAdminHere(['open311:keys', '--commune', b.slug], { env: env() });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${issued.id}\t${issued.key.slice(0, 12)}…\tPortail B`);
    const wrong = await runAdminHere(['open311:revoke', '--commune', a.slug, '--id', String(issued.id)], {
      env: env(),
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/has no Open311 key/);
    const ok = await runAdminHere(['open311:revoke', '--commune', b.slug, '--id', String(issued.id)], {
      env: env(),
    });
    expect(ok.code).toBe(0);
    const again = await runAdminHere(['open311:revoke', '--commune', b.slug, '--id', String(issued.id)], {
      env: env(),
    });
    expect(again.stdout).toMatch(/already revoked/);
    const after = await runAdminHere(['open311:keys', '--commune', b.slug], { env: env() });
    expect(after.stdout).toMatch(new RegExp(`^${issued.id}\\t.*\\trevoked `, 'm'));
  });

  it('turns media_url downloads on and off with commune:set, audited', async () => {
    const c = await createTestCommune(srv.pool, randomCentre());
    const on = await runAdminHere(['commune:set', '--slug', c.slug, '--open311-media-fetch', 'on'], {
      env: env(),
    });
    expect(on.stdout).toMatch(/media_url photos downloaded/);
    const { rows } = await srv.pool.query<{ open311_media_fetch: boolean }>(
      'SELECT open311_media_fetch FROM communes WHERE id = $1',
      [c.id],
    );
    expect(rows[0]!.open311_media_fetch).toBe(true);
    const audit = await srv.pool.query<{ data: unknown }>(
      `SELECT data FROM audit_log WHERE commune_id = $1 AND action = 'settings_changed' ORDER BY id DESC LIMIT 1`,
      [c.id],
    );
    expect(audit.rows[0]!.data).toEqual({ open311MediaFetch: true });
    const off = await runAdminHere(['commune:set', '--slug', c.slug, '--open311-media-fetch', 'off'], {
      env: env(),
    });
    expect(off.stdout).toMatch(/media_url photos not downloaded/);
    const after = await srv.pool.query<{ open311_media_fetch: boolean }>(
      'SELECT open311_media_fetch FROM communes WHERE id = $1',
      [c.id],
    );
    expect(after.rows[0]!.open311_media_fetch).toBe(false);
    const bad = await runAdminHere(['commune:set', '--slug', c.slug, '--open311-media-fetch', 'maybe'], {
      env: env(),
    });
    expect(bad.code).toBe(2);
    const none = await runAdminHere(['commune:set', '--slug', c.slug], { env: env() });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--require-admin-totp on\|off or --open311-media-fetch on\|off/);
  });

  it('says what it needs', async () => {
    const help = await runAdminHere(['--help'], { env: env() });
    for (const c of ['open311:key', 'open311:keys', 'open311:revoke', '--open311-media-fetch'])
      expect(help.stdout).toContain(c);
    const r = await runAdminHere(['open311:key'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/open311:key needs --commune/);
    const missing = await runAdminHere(['open311:key', '--commune', 'nowhere-at-all'], { env: env() });
    expect(missing.code).toBe(1);
    const badId = await runAdminHere(['open311:revoke', '--commune', a.slug, '--id', 'x'], { env: env() });
    expect(badId.code).toBe(2);
  });
});
