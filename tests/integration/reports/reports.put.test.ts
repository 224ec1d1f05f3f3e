import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pixelFloodPng } from '../../support/images';
import { reportFields, sendReport, SMALL_JPEG, type SendReport } from '../../support/reports';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, newToken, PHOTOS_DIR, randomCentre } from '../../support/fixtures';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;

beforeAll(async () => {
  srv = await startTestServer();
  commune = await createTestCommune(srv.pool, randomCentre());
});
afterAll(async () => {
  await srv?.close();
});

function fields(over: Record<string, string> = {}): Record<string, string> {
  return reportFields(commune.centre, over);
}

function put(s: Partial<SendReport> = {}) {
  return sendReport(srv.url, { fields: fields(), ...s });
}

async function counts(id: string) {
  const q = async (sql: string) => Number((await srv.pool.query(sql, [id])).rows[0].n);
  return {
    reports: await q('SELECT count(*) AS n FROM reports WHERE id::text = $1'),
    photos: await q('SELECT count(*) AS n FROM photos WHERE report_id::text = $1'),
    events: await q('SELECT count(*) AS n FROM report_events WHERE report_id::text = $1'),
  };
}

function storedFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(srv.uploadsDir, p));
    }
  };
  walk(srv.uploadsDir);
  return out.sort();
}

/** Asserts a 4xx with the contract's error body, and that nothing was written for that id. */
async function expectRejected(
  r: { status: number; body: Record<string, unknown>; id: string },
  status: number,
  code: string,
  field?: string,
) {
  expect(r.status).toBe(status);
  const err = r.body.error as { code: string; message: string; field?: string };
  expect(err.code).toBe(code);
  expect(err.message.length).toBeGreaterThan(5);
  if (field !== undefined) expect(err.field).toBe(field);
  expect(await counts(r.id)).toEqual({ reports: 0, photos: 0, events: 0 });
}

describe('PUT /api/reports/:id', () => {
  it('stores a report with its photo on first arrival (201) and routes it to its commune', async () => {
    const token = newToken();
    const r = await put({ token, fields: fields({ contactEmail: 'Resident@Example.org' }) });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      id: r.id,
      commune: { id: commune.id, slug: commune.slug },
      category: { code: 'pothole', labelFr: 'Nid-de-poule' },
      status: 'new',
      priority: 'normal',
      locationSource: 'gps',
      accuracy: 8,
      description: 'Trou profond devant la mairie',
      capturedAt: '2026-11-20T08:30:00.000Z',
      photoCount: 1,
      contactEmail: 'Resident@Example.org',
    });
    expect(r.body.lat).toBeCloseTo(commune.centre.lat, 6);
    expect(r.body.lon).toBeCloseTo(commune.centre.lon, 6);
    expect(r.body.history).toEqual([expect.objectContaining({ action: 'created', toStatus: 'new' })]);
    expect(await counts(r.id)).toEqual({ reports: 1, photos: 1, events: 1 });
  });

  it('returns the stored report (200) when the same id is sent twice, and writes nothing new', async () => {
    const token = newToken();
    const id = crypto.randomUUID();
    const first = await put({ id, token });
    expect(first.status).toBe(201);
    const before = { counts: await counts(id), files: storedFiles() };
    const again = await put({ id, token });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await counts(id)).toEqual(before.counts);
    expect(storedFiles()).toEqual(before.files);
  });

  it('stores exactly one report when the same id arrives twice at the same time', async () => {
    const token = newToken();
    const id = crypto.randomUUID();
    const results = await Promise.all([put({ id, token }), put({ id, token }), put({ id, token })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(await counts(id)).toEqual({ reports: 1, photos: 1, events: 1 });
  });

  it('answers 409 when an id is reused for different content, and keeps the original', async () => {
    const token = newToken();
    const id = crypto.randomUUID();
    expect((await put({ id, token })).status).toBe(201);
    const other = await put({ id, token, fields: fields({ description: 'autre chose' }) });
    expect(other.status).toBe(409);
    expect((other.body.error as { code: string }).code).toBe('report_id_conflict');
    const stranger = await put({ id });
    expect(stranger.status).toBe(409);
    const row = await srv.pool.query('SELECT description FROM reports WHERE id = $1', [id]);
    expect(row.rows[0].description).toBe('Trou profond devant la mairie');
  });

  it('answers 422 for a point in no commune', async () => {
    await expectRejected(
      await put({ fields: fields({ lat: '-45.5', lon: '-120.25' }) }),
      422,
      'outside_communes',
      'lat',
    );
  });

  it('answers 422 for a category the commune does not have', async () => {
    await expectRejected(
      await put({ fields: fields({ category: 'volcano' }) }),
      422,
      'unknown_category',
      'category',
    );
  });

  it('answers 400 for an id that is not a UUID', async () => {
    await expectRejected(await put({ id: 'not-a-uuid' }), 400, 'invalid_id', 'id');
    await expectRejected(await put({ id: "1' OR '1'='1" }), 400, 'invalid_id', 'id');
  });

  it('answers 400 without a reporter token, or with a short one', async () => {
    await expectRejected(await put({ token: null }), 400, 'invalid_reporter_token', 'X-Reporter-Token');
    await expectRejected(await put({ token: 'short' }), 400, 'invalid_reporter_token', 'X-Reporter-Token');
  });

  it.each([
    ['lat', '91'],
    ['lat', '-90.5'],
    ['lon', '181'],
    ['lat', 'NaN'],
    ['lon', 'Infinity'],
    ['lat', ''],
    ['lon', 'abc'],
    ['lat', '1e999'],
    ['accuracy', '-1'],
    ['locationSource', 'satellite'],
    ['capturedAt', 'yesterday'],
    ['contactEmail', 'not-an-email'],
    ['category', '<script>'],
  ])('answers 400 for %s = %j', async (name, value) => {
    await expectRejected(await put({ fields: fields({ [name]: value }) }), 400, 'invalid_request', name);
  });

  it('answers 400 for a missing required field and for an unknown field', async () => {
    const { lat: _lat, ...noLat } = fields();
    await expectRejected(await put({ fields: noLat }), 400, 'invalid_request', 'lat');
    await expectRejected(await put({ fields: fields({ admin: 'true' }) }), 400, 'invalid_request', 'admin');
  });

  it('answers 400 for a 10,000-character description', async () => {
    await expectRejected(
      await put({ fields: fields({ description: 'x'.repeat(10_000) }) }),
      400,
      'invalid_request',
      'description',
    );
  });

  it('answers 400 with no photo and with five photos', async () => {
    await expectRejected(await put({ files: [] }), 400, 'photo_required', 'photos');
    const five = Array.from({ length: 5 }, () => ({ data: SMALL_JPEG }));
    await expectRejected(await put({ files: five }), 400, 'too_many_files', 'photos');
  });

  it('answers 400 for a file in another field', async () => {
    await expectRejected(
      await put({ files: [{ data: SMALL_JPEG, field: 'avatar' }] }),
      400,
      'unexpected_file',
      'avatar',
    );
  });

  it('answers 413 for a photo over 15 MB', async () => {
    const big = Buffer.concat([SMALL_JPEG, Buffer.alloc(16 * 1024 * 1024)]);
    await expectRejected(await put({ files: [{ data: big }] }), 413, 'payload_too_large', 'photos');
  });

  it('answers 415 for a text or HTML file named .jpg, and for an empty file', async () => {
    await expectRejected(
      await put({ files: [{ data: Buffer.from('just some text, not a photo') }] }),
      415,
      'unsupported_media_type',
      'photos[0]',
    );
    const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
    await expectRejected(
      await put({ files: [{ data: html, name: 'evil.jpg' }] }),
      415,
      'unsupported_media_type',
      'photos[0]',
    );
    await expectRejected(
      await put({ files: [{ data: Buffer.alloc(0) }] }),
      415,
      'unsupported_media_type',
      'photos[0]',
    );
  });

  it('answers 422 for a truncated JPEG, and writes no file', async () => {
    const before = storedFiles();
    const truncated = SMALL_JPEG.subarray(0, Math.floor(SMALL_JPEG.length / 2));
    await expectRejected(
      await put({ files: [{ data: SMALL_JPEG }, { data: truncated }] }),
      422,
      'invalid_image',
      'photos[1]',
    );
    expect(storedFiles()).toEqual(before);
  });

  it('answers 422 for a pixel flood (small file, huge dimensions)', async () => {
    const flood = await pixelFloodPng(30_000, 30_000);
    expect(flood.length).toBeLessThan(1024);
    await expectRejected(
      await put({ files: [{ data: flood, type: 'image/png', name: 'flood.png' }] }),
      422,
      'image_too_large',
      'photos[0]',
    );
  });

  it('answers 400 for a malformed multipart body', async () => {
    const id = crypto.randomUUID();
    const res = await fetch(`${srv.url}/api/reports/${id}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'multipart/form-data; boundary=XYZ', 'X-Reporter-Token': newToken() },
      body: '--XYZ\r\nContent-Disposition: form-data; name="lat"\r\n\r\n47.1\r\n--XYZ\r\nContent-Disp',
    });
    await expectRejected(
      { status: res.status, body: (await res.json()) as Record<string, unknown>, id },
      400,
      'malformed_multipart',
    );
  });

  it('answers 400 for malformed JSON and 415 for a JSON report', async () => {
    const id = crypto.randomUUID();
    const headers = { 'Content-Type': 'application/json', 'X-Reporter-Token': newToken() };
    const bad = await fetch(`${srv.url}/api/reports/${id}`, {
      method: 'PUT',
      headers,
      body: '{"lat": 47.1,',
    });
    await expectRejected(
      { status: bad.status, body: (await bad.json()) as Record<string, unknown>, id },
      400,
      'malformed_json',
    );
    const json = await fetch(`${srv.url}/api/reports/${id}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify(fields()),
    });
    await expectRejected(
      { status: json.status, body: (await json.json()) as Record<string, unknown>, id },
      415,
      'unsupported_media_type',
    );
  });

  it('accepts the real phone photo and strips its GPS metadata', async () => {
    const token = newToken();
    const pixel = fs.readFileSync(path.join(PHOTOS_DIR, 'IMG_20180725_163423.jpg'));
    const r = await put({ token, files: [{ data: pixel }] });
    expect(r.status).toBe(201);
    const photos = r.body.photos as Array<{ url: string; thumbUrl: string; width: number; height: number }>;
    expect(Math.max(photos[0]!.width, photos[0]!.height)).toBe(2048);
    const full = await fetch(`${srv.url}${photos[0]!.url}`, { headers: { 'X-Reporter-Token': token } });
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await full.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(bytes.includes(Buffer.from('GPS'))).toBe(false);
    const thumb = await fetch(`${srv.url}${photos[0]!.thumbUrl}`, { headers: { 'X-Reporter-Token': token } });
    const tmeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(Math.max(tmeta.width!, tmeta.height!)).toBe(320);
  });

  it('decodes the iPhone HEIC photo or refuses it with a clear 415, never a 500', async () => {
    const heic = fs.readFileSync(path.join(PHOTOS_DIR, 'heic-iphone7.heic'));
    const r = await put({ files: [{ data: heic, type: 'image/heic', name: 'IMG_0001.HEIC' }] });
    expect([201, 415]).toContain(r.status);
    if (r.status === 415) await expectRejected(r, 415, 'unsupported_media_type', 'photos[0]');
  });
});

describe('GET /api/reports/:id/photos/:n', () => {
  it('serves a photo only to the holder of the reporter token; anyone else gets the 404 of a missing photo', async () => {
    const token = newToken();
    const r = await put({ token });
    const url = `${srv.url}/api/reports/${r.id}/photos/1`;
    const owner = await fetch(url, { headers: { 'X-Reporter-Token': token } });
    expect(owner.status).toBe(200);
    const denied = await fetch(url, { headers: { 'X-Reporter-Token': newToken() } });
    const anonymous = await fetch(url);
    const missing = await fetch(`${srv.url}/api/reports/${crypto.randomUUID()}/photos/1`, {
      headers: { 'X-Reporter-Token': token },
    });
    const noSuchPosition = await fetch(`${srv.url}/api/reports/${r.id}/photos/3`, {
      headers: { 'X-Reporter-Token': token },
    });
    const bodies = await Promise.all([denied, anonymous, missing, noSuchPosition].map((x) => x.text()));
    expect([denied.status, anonymous.status, missing.status, noSuchPosition.status]).toEqual([
      404, 404, 404, 404,
    ]);
    expect(new Set(bodies).size).toBe(1);
  });

  it('never exposes the uploads directory', async () => {
    for (const p of ['/uploads/', '/uploads/tmp', '/api/../uploads', '/%2e%2e/uploads']) {
      expect((await fetch(`${srv.url}${p}`)).status).toBe(404);
    }
  });
});
