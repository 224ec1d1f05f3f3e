import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referencedShas } from '../../../server/src/reports/reports.repo';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, newToken, randomCentre } from '../../support/fixtures';
import { reportFields, sendReport } from '../../support/reports';
import { auditRows, call, createStaff, signIn } from '../../support/staff';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let other: Awaited<ReturnType<typeof createTestCommune>>;
let sup: string;
let crew: string;
let admin: string;
let otherSup: string;

/** A 640 x 480 photo of coloured noise: any pixel painted over shows, and JPEG keeps the rest close. */
async function noisePhoto(seed: number): Promise<Buffer> {
  return sharp({
    create: {
      width: 640,
      height: 480,
      channels: 3,
      background: { r: 120 + seed, g: 130, b: 110 },
      noise: { type: 'gaussian', mean: 128, sigma: 50 },
    },
  })
    .jpeg({ quality: 92 })
    .toBuffer();
}

beforeAll(async () => {
  srv = await startTestServer();
  commune = await createTestCommune(srv.pool, randomCentre());
  other = await createTestCommune(srv.pool, randomCentre());
  sup = await signIn(srv.url, await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]));
  crew = await signIn(srv.url, await createStaff(srv.pool, [{ communeId: commune.id, role: 'crew' }]));
  admin = await signIn(srv.url, await createStaff(srv.pool, [{ communeId: commune.id, role: 'admin' }]));
  otherSup = await signIn(
    srv.url,
    await createStaff(srv.pool, [{ communeId: other.id, role: 'supervisor' }]),
  );
});
afterAll(async () => {
  await srv?.close();
});

/** A point `north` and `east` metres from the commune's centre. */
function offset(north: number, east: number) {
  const { lat, lon } = commune.centre;
  return { lat: lat + north / 111_320, lon: lon + east / (111_320 * Math.cos((lat * Math.PI) / 180)) };
}

/** A resident's report with the noise photo, somewhere in the commune (or at a given spot). */
async function newReport(at = offset(Math.random() * 800 - 400, Math.random() * 800 - 400), c = commune) {
  const token = newToken();
  const where = c === commune ? at : c.centre;
  const r = await sendReport(srv.url, {
    token,
    fields: reportFields(where, { description: 'Trou devant chez M. Dupont, 12 rue des Lilas' }),
    files: [{ data: await noisePhoto(Math.floor(Math.random() * 100)) }],
  });
  expect(r.status).toBe(201);
  return { id: r.id, token, at: where };
}

const staff = (p: string, cookie: string, method = 'GET', json?: unknown) =>
  call(srv.url, p, { method, cookie, json });

/** A photo as a caller gets it: status, bytes, ETag. */
async function photo(
  id: string,
  query = '',
  who: { cookie?: string; token?: string } = {},
): Promise<{ status: number; body: Buffer; etag: string | null; text: string }> {
  const res = await fetch(`${srv.url}/api/reports/${id}/photos/1${query}`, {
    headers: {
      ...(who.cookie ? { Cookie: who.cookie } : {}),
      ...(who.token ? { 'X-Reporter-Token': who.token } : {}),
    },
  });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, body, etag: res.headers.get('etag'), text: body.toString('utf8') };
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

const photoRow = async (id: string) =>
  (
    await srv.pool.query(
      'SELECT sha256, redacted_sha256, width, height, bytes, hidden, moderated_at FROM photos WHERE report_id = $1 AND position = 1',
      [id],
    )
  ).rows[0] as {
    sha256: string;
    redacted_sha256: string | null;
    width: number;
    height: number;
    bytes: number;
    hidden: boolean;
    moderated_at: Date | null;
  };

/** Decoded RGB pixels. */
async function pixels(jpeg: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

type Rect = { x: number; y: number; width: number; height: number };
const inside = (r: Rect, x: number, y: number) =>
  x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;

/** Mean absolute difference per channel between two same-sized images, inside or outside some rectangles. */
async function meanDiff(a: Buffer, b: Buffer, rects: Rect[], where: 'inside' | 'outside'): Promise<number> {
  const [pa, pb] = await Promise.all([pixels(a), pixels(b)]);
  expect([pb.width, pb.height]).toEqual([pa.width, pa.height]);
  let sum = 0;
  let n = 0;
  for (let y = 0; y < pa.height; y++) {
    for (let x = 0; x < pa.width; x++) {
      // Leave an 8-pixel margin at the rectangles' edges: JPEG blocks straddle them.
      const near = rects.some((r) =>
        inside({ x: r.x - 8, y: r.y - 8, width: r.width + 16, height: r.height + 16 }, x, y),
      );
      const deep = rects.some((r) =>
        inside({ x: r.x + 8, y: r.y + 8, width: r.width - 16, height: r.height - 16 }, x, y),
      );
      if (where === 'inside' ? !deep : near) continue;
      const i = (y * pa.width + x) * 3;
      for (let c = 0; c < 3; c++) sum += Math.abs(pa.data[i + c]! - pb.data[i + c]!);
      n += 3;
    }
  }
  return sum / n;
}

/** Standard deviation of the pixel values inside a rectangle (noise: about 50; a redaction: far less). */
async function spread(jpeg: Buffer, r: Rect): Promise<number> {
  const p = await pixels(jpeg);
  const values: number[] = [];
  for (let y = r.y + 8; y < r.y + r.height - 8; y++)
    for (let x = r.x + 8; x < r.x + r.width - 8; x++) values.push(p.data[(y * p.width + x) * 3]!);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

function filesIn(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesIn(full));
    else out.push(path.relative(srv.uploadsDir, full));
  }
  return out.sort();
}

const moderate = (id: string, json: unknown, cookie = sup) =>
  staff(`/api/staff/reports/${id}/moderation`, cookie, 'PATCH', json);
const photoModerate = (id: string, json: unknown, cookie = sup) =>
  staff(`/api/staff/reports/${id}/photos/1`, cookie, 'PATCH', json);
const redact = (id: string, json: unknown, cookie = sup) =>
  staff(`/api/staff/reports/${id}/photos/1/redaction`, cookie, 'POST', json);
const setPhotosPublic = (value: boolean) =>
  srv.pool.query('UPDATE communes SET photos_public = $2 WHERE id = $1', [commune.id, value]);

describe('PATCH /api/staff/reports/:id/moderation (hiding)', () => {
  it('takes a hidden report out of every public view; its reporter and staff still see it', async () => {
    const r = await newReport(offset(600, 600));
    const bbox = `${r.at.lon - 0.001},${r.at.lat - 0.001},${r.at.lon + 0.001},${r.at.lat + 0.001}`;
    const publicViews = () =>
      Promise.all([
        call(srv.url, `/api/reports?bbox=${bbox}`),
        call(srv.url, `/api/reports?limit=200`),
        call(srv.url, `/api/reports/nearby?lat=${r.at.lat}&lon=${r.at.lon}`),
      ]);
    for (const v of await publicViews()) expect(v.text).toContain(r.id);

    const res = await moderate(r.id, { hidden: true, reason: 'Propos injurieux' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ id: r.id, hidden: true });
    for (const v of await publicViews()) {
      expect(v.status).toBe(200);
      expect(v.text).not.toContain(r.id);
    }
    // A non-owner gets exactly the 404 of a missing report.
    const hidden = await call(srv.url, `/api/reports/${r.id}`);
    const stranger = await call(srv.url, `/api/reports/${r.id}`, {
      headers: { 'X-Reporter-Token': newToken() },
    });
    const missing = await call(srv.url, `/api/reports/${crypto.randomUUID()}`);
    expect([hidden.status, stranger.status, missing.status]).toEqual([404, 404, 404]);
    expect(hidden.text).toBe(missing.text);
    expect(stranger.text).toBe(missing.text);

    const own = await call(srv.url, `/api/reports/${r.id}`, { headers: { 'X-Reporter-Token': r.token } });
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({ id: r.id, hidden: true });
    const mine = await call(srv.url, '/api/reports/mine', { headers: { 'X-Reporter-Token': r.token } });
    expect(mine.text).toContain(r.id);
    expect((await staff(`/api/staff/reports/${r.id}`, crew)).json).toMatchObject({ hidden: true });

    const history = (
      await srv.pool.query(
        'SELECT action, public, data FROM report_events WHERE report_id = $1 ORDER BY id',
        [r.id],
      )
    ).rows;
    expect(history.at(-1)).toMatchObject({
      action: 'moderated',
      public: false,
      data: { what: 'hidden', reason: 'Propos injurieux' },
    });
    expect(await auditRows(srv.pool, { action: 'report_moderated', objectId: r.id })).toHaveLength(1);

    expect((await moderate(r.id, { hidden: false })).json).toMatchObject({ hidden: false });
    for (const v of await publicViews()) expect(v.text).toContain(r.id);
    expect((await call(srv.url, `/api/reports/${r.id}`)).status).toBe(200);
  });
});

describe('PATCH /api/staff/reports/:id/moderation (public text)', () => {
  it('shows the edited text everywhere public, keeps the original for the reporter and staff', async () => {
    const r = await newReport(offset(-600, -600));
    const edited = 'Trou profond sur la chaussée, rue des Lilas';
    const res = await moderate(r.id, { publicDescription: edited, reason: 'Nom d’un riverain' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      description: 'Trou devant chez M. Dupont, 12 rue des Lilas',
      publicDescription: edited,
    });
    const bbox = `${r.at.lon - 0.001},${r.at.lat - 0.001},${r.at.lon + 0.001},${r.at.lat + 0.001}`;
    const single = await call(srv.url, `/api/reports/${r.id}`);
    const list = await call(srv.url, `/api/reports?bbox=${bbox}`);
    const near = await call(srv.url, `/api/reports/nearby?lat=${r.at.lat}&lon=${r.at.lon}`);
    expect(single.json).toMatchObject({ description: edited });
    for (const a of [single, list, near]) {
      expect(a.text).toContain(edited);
      expect(a.text).not.toContain('Dupont');
    }
    const own = await call(srv.url, `/api/reports/${r.id}`, { headers: { 'X-Reporter-Token': r.token } });
    expect(own.json).toMatchObject({
      description: 'Trou devant chez M. Dupont, 12 rue des Lilas',
      publicDescription: edited,
    });
    // The history says that the text changed, not what it said (the retention job clears texts).
    const data = (
      await srv.pool.query("SELECT data FROM report_events WHERE report_id = $1 AND action = 'moderated'", [
        r.id,
      ])
    ).rows.map((x) => JSON.stringify(x.data));
    expect(data).toHaveLength(1);
    expect(data[0]).not.toContain('Lilas');
    expect(
      JSON.stringify(await auditRows(srv.pool, { action: 'report_moderated', objectId: r.id })),
    ).not.toContain('Lilas');

    // Cleared (or set back to the original): the public sees the original again.
    expect((await moderate(r.id, { publicDescription: null })).json).toMatchObject({
      publicDescription: null,
    });
    expect((await call(srv.url, `/api/reports/${r.id}`)).json).toMatchObject({
      description: 'Trou devant chez M. Dupont, 12 rue des Lilas',
    });
    await moderate(r.id, { publicDescription: 'Trou devant chez M. Dupont, 12 rue des Lilas' });
    expect((await staff(`/api/staff/reports/${r.id}`, sup)).json).toMatchObject({ publicDescription: null });
  });

  it('refuses bad input, and is for supervisors of the commune only', async () => {
    const r = await newReport();
    for (const body of [
      {},
      { hidden: 'yes' },
      { publicDescription: 'x'.repeat(2001) },
      { publicDescription: 3 },
      { hidden: true, colour: 'red' },
    ]) {
      const res = await moderate(r.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await moderate(r.id, { hidden: true }, crew)).status).toBe(403);
    expect((await moderate(r.id, { hidden: true }, admin)).status).toBe(403);
    const theirs = await moderate(r.id, { hidden: true }, otherSup);
    const missing = await moderate(crypto.randomUUID(), { hidden: true }, otherSup);
    expect([theirs.status, missing.status]).toEqual([404, 404]);
    expect(theirs.text).toBe(missing.text);
    expect((await staff(`/api/staff/reports/${r.id}`, sup)).json).toMatchObject({ hidden: false });
  });
});

describe('GET /api/reports/:id/photos/:n (the public photo rule)', () => {
  it('serves a photo to anybody only where the commune allows it, once approved, and while nothing is hidden', async () => {
    const r = await newReport();
    const missing = await call(srv.url, `/api/reports/${crypto.randomUUID()}/photos/1`);
    const anonymous = async () => {
      const p = await photo(r.id);
      if (p.status === 404) expect(p.text).toBe(missing.text);
      return p.status;
    };
    const publicPhotos = async () =>
      (
        (await call(srv.url, `/api/reports/${r.id}`)).json as {
          publicPhotos: Array<{ n: number; url: string }>;
        }
      ).publicPhotos;

    await setPhotosPublic(false);
    expect((await photoModerate(r.id, { approved: true })).json).toMatchObject({
      photos: [{ n: 1, public: false }],
      photosPublic: false,
    });
    expect(await anonymous()).toBe(404);
    expect(await publicPhotos()).toEqual([]);

    await setPhotosPublic(true);
    try {
      expect(await anonymous()).toBe(200);
      const version = (await photoRow(r.id)).sha256.slice(0, 12);
      expect(await publicPhotos()).toEqual([
        expect.objectContaining({ n: 1, url: `/api/reports/${r.id}/photos/1?v=${version}` }),
      ]);
      const page = await call(
        srv.url,
        `/api/reports?bbox=${r.at.lon - 0.001},${r.at.lat - 0.001},${r.at.lon + 0.001},${r.at.lat + 0.001}`,
      );
      expect(
        (page.json as { items: Array<{ id: string; publicPhotos: unknown[] }> }).items.find(
          (i) => i.id === r.id,
        )?.publicPhotos,
      ).toHaveLength(1);

      expect((await photoModerate(r.id, { hidden: true, reason: 'Visage' })).json).toMatchObject({
        photos: [{ hidden: true, public: false }],
      });
      expect(await anonymous()).toBe(404);
      expect(await publicPhotos()).toEqual([]);
      // Hidden from the public only: its reporter and staff still see it.
      expect((await photo(r.id, '', { token: r.token })).status).toBe(200);
      expect((await photo(r.id, '', { cookie: crew })).status).toBe(200);

      await photoModerate(r.id, { hidden: false });
      expect(await anonymous()).toBe(200);
      await moderate(r.id, { hidden: true });
      expect(await anonymous()).toBe(404);
      await moderate(r.id, { hidden: false });
      await photoModerate(r.id, { approved: false });
      expect(await anonymous()).toBe(404);
      expect((await photoRow(r.id)).moderated_at).toBeNull();

      const actions = (
        await srv.pool.query(
          "SELECT data->>'what' AS what FROM report_events WHERE report_id = $1 AND action = 'moderated' ORDER BY id",
          [r.id],
        )
      ).rows.map((x) => x.what);
      expect(actions).toEqual([
        'photo_approved',
        'photo_hidden',
        'photo_shown',
        'hidden',
        'shown',
        'photo_unapproved',
      ]);
      expect(await auditRows(srv.pool, { action: 'photo_moderated', objectId: `${r.id}/1` })).toHaveLength(4);
    } finally {
      await setPhotosPublic(false);
    }
  });

  it('refuses bad photo moderation input, a missing photo, and other communes', async () => {
    const r = await newReport();
    for (const body of [{}, { hidden: 1 }, { approved: 'true' }, { hidden: true, redact: true }]) {
      expect((await photoModerate(r.id, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await staff(`/api/staff/reports/${r.id}/photos/2`, sup, 'PATCH', { hidden: true })).status).toBe(
      404,
    );
    // The version in photo URLs is checked too (hex only), and is otherwise ignored.
    expect((await photo(r.id, '?v=../../etc', { cookie: sup })).status).toBe(400);
    expect((await photo(r.id, '?v=0123abcd', { cookie: sup })).status).toBe(200);
    expect((await staff(`/api/staff/reports/${r.id}/photos/x`, sup, 'PATCH', { hidden: true })).status).toBe(
      404,
    );
    expect((await photoModerate(r.id, { hidden: true }, crew)).status).toBe(403);
    const theirs = await photoModerate(r.id, { hidden: true }, otherSup);
    const missing = await staff(`/api/staff/reports/${crypto.randomUUID()}/photos/1`, otherSup, 'PATCH', {
      hidden: true,
    });
    expect([theirs.status, missing.status]).toEqual([404, 404]);
    expect(theirs.text).toBe(missing.text);
    expect((await photoRow(r.id)).hidden).toBe(false);
  });
});

describe('POST /api/staff/reports/:id/photos/:n/redaction', () => {
  it('serves the redacted photo to everybody afterwards and the original to admins only, until it is deleted', async () => {
    const r = await newReport();
    const original = await photo(r.id, '', { cookie: sup });
    const originalThumb = await photo(r.id, '?size=thumb', { cookie: sup });
    const { sha256: originalSha, width, height } = await photoRow(r.id);
    expect(sha(original.body)).toBe(originalSha);
    const rects = [
      { x: 40, y: 60, width: 160, height: 120 },
      { x: 400, y: 300, width: 200, height: 100 },
    ];

    const res = await redact(r.id, { rectangles: rects, style: 'fill', original: 'keep', reason: 'Plaque' });
    expect(res.status, res.text).toBe(200);
    const row = await photoRow(r.id);
    expect(row.sha256).toBe(originalSha);
    expect(row.redacted_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(row.redacted_sha256).not.toBe(originalSha);
    expect([row.width, row.height]).toEqual([width, height]);
    expect(res.json).toMatchObject({
      photos: [
        {
          n: 1,
          redacted: true,
          originalKept: true,
          originalUrl: null,
          // A new address for the new rendition: no browser shows its copy of the original.
          url: `/api/reports/${r.id}/photos/1?v=${row.redacted_sha256!.slice(0, 12)}`,
          thumbUrl: `/api/reports/${r.id}/photos/1?size=thumb&v=${row.redacted_sha256!.slice(0, 12)}`,
        },
      ],
    });
    expect((await staff(`/api/staff/reports/${r.id}`, admin)).json).toMatchObject({
      photos: [{ originalUrl: `/api/reports/${r.id}/photos/1?original=1` }],
    });

    // Staff, the reporter and (where public) anybody get the same, redacted bytes.
    await setPhotosPublic(true);
    await photoModerate(r.id, { approved: true });
    try {
      const got = await Promise.all([
        photo(r.id, '', { cookie: sup }),
        photo(r.id, '', { cookie: admin }),
        photo(r.id, '', { token: r.token }),
        photo(r.id),
      ]);
      for (const g of got) {
        expect(g.status).toBe(200);
        expect(sha(g.body)).toBe(row.redacted_sha256);
      }
      expect(got[0]!.etag).not.toBe(original.etag);
    } finally {
      await setPhotosPublic(false);
    }
    const redacted = (await photo(r.id, '', { cookie: sup })).body;
    // The pixels under the rectangles are gone (near-black), the rest is the same photo.
    expect(await meanDiff(original.body, redacted, rects, 'inside')).toBeGreaterThan(60);
    expect(await meanDiff(original.body, redacted, rects, 'outside')).toBeLessThan(4);
    const p = await pixels(redacted);
    const at = (x: number, y: number) => [
      ...p.data.subarray((y * p.width + x) * 3, (y * p.width + x) * 3 + 3),
    ];
    for (const v of at(120, 120)) expect(v).toBeLessThan(50);
    // The thumbnail is made from the redacted photo.
    const thumb = await photo(r.id, '?size=thumb', { token: r.token });
    expect(sha(thumb.body)).not.toBe(sha(originalThumb.body));
    const t = await pixels(thumb.body);
    const tx = Math.round((120 * t.width) / width);
    const ty = Math.round((120 * t.height) / height);
    for (const v of t.data.subarray((ty * t.width + tx) * 3, (ty * t.width + tx) * 3 + 3))
      expect(v).toBeLessThan(60);

    // The original: for admins on request, nobody else (the same 404 as a missing photo).
    const asAdmin = await photo(r.id, '?original=1', { cookie: admin });
    expect(asAdmin.status).toBe(200);
    expect(sha(asAdmin.body)).toBe(originalSha);
    const missing = await call(srv.url, `/api/reports/${crypto.randomUUID()}/photos/1`);
    for (const who of [{ cookie: sup }, { cookie: crew }, { token: r.token }, {}]) {
      const refused = await photo(r.id, '?original=1', who);
      expect(refused.status).toBe(404);
      expect(refused.text).toBe(missing.text);
    }

    // The orphan sweep keeps both files: the row references both.
    await srv.photos.sweepOrphans((shas) => referencedShas(srv.pool, shas), 0);
    expect(fs.existsSync(srv.photos.path(originalSha, 'full'))).toBe(true);
    expect(fs.existsSync(srv.photos.path(row.redacted_sha256!, 'full'))).toBe(true);
    expect(fs.existsSync(srv.photos.path(row.redacted_sha256!, 'thumb'))).toBe(true);

    // Deleting the original removes its files for good.
    const del = await staff(`/api/staff/reports/${r.id}/photos/1/original`, sup, 'DELETE');
    expect(del.status, del.text).toBe(200);
    expect(del.json).toMatchObject({ photos: [{ redacted: true, originalKept: false, originalUrl: null }] });
    expect(await photoRow(r.id)).toMatchObject({
      sha256: row.redacted_sha256,
      redacted_sha256: row.redacted_sha256,
    });
    expect(fs.existsSync(srv.photos.path(originalSha, 'full'))).toBe(false);
    expect(fs.existsSync(srv.photos.path(originalSha, 'thumb'))).toBe(false);
    const after = await photo(r.id, '?original=1', { cookie: admin });
    expect(sha(after.body)).toBe(row.redacted_sha256);
    expect((await staff(`/api/staff/reports/${r.id}/photos/1/original`, sup, 'DELETE')).status).toBe(200);

    const what = (
      await srv.pool.query(
        "SELECT data FROM report_events WHERE report_id = $1 AND action = 'moderated' ORDER BY id",
        [r.id],
      )
    ).rows.map((x) => x.data);
    expect(what).toEqual([
      { what: 'photo_redacted', photo: 1, rectangles: 2, style: 'fill', original: 'kept', reason: 'Plaque' },
      { what: 'photo_approved', photo: 1 },
      { what: 'photo_original_deleted', photo: 1 },
    ]);
    expect(await auditRows(srv.pool, { action: 'photo_redacted', objectId: `${r.id}/1` })).toHaveLength(1);
    expect(
      await auditRows(srv.pool, { action: 'photo_original_deleted', objectId: `${r.id}/1` }),
    ).toHaveLength(1);
  });

  it('deletes the original at once when asked, and adds later redactions to the earlier ones', async () => {
    const r = await newReport();
    const original = await photo(r.id, '', { cookie: sup });
    const { sha256: originalSha } = await photoRow(r.id);
    const first = { x: 0, y: 0, width: 100, height: 100 };
    const second = { x: 500, y: 350, width: 140, height: 130 };
    expect((await redact(r.id, { rectangles: [first], original: 'delete' })).status).toBe(200);
    const once = await photoRow(r.id);
    expect(once.sha256).toBe(once.redacted_sha256);
    expect(fs.existsSync(srv.photos.path(originalSha, 'full'))).toBe(false);

    // "keep" cannot bring back what is gone: the second redaction replaces the first file.
    expect((await redact(r.id, { rectangles: [second], original: 'keep' })).status).toBe(200);
    const twice = await photoRow(r.id);
    expect(twice.sha256).toBe(twice.redacted_sha256);
    expect(twice.sha256).not.toBe(once.sha256);
    expect(fs.existsSync(srv.photos.path(once.sha256, 'full'))).toBe(false);
    const served = (await photo(r.id, '', { cookie: sup })).body;
    expect(await meanDiff(original.body, served, [first, second], 'inside')).toBeGreaterThan(60);
    expect(await meanDiff(original.body, served, [first, second], 'outside')).toBeLessThan(5);
  });

  it('blurs beyond recognition with the blur style', async () => {
    const r = await newReport();
    const original = (await photo(r.id, '', { cookie: sup })).body;
    const rect = { x: 200, y: 100, width: 240, height: 200 };
    expect((await redact(r.id, { rectangles: [rect], style: 'blur', original: 'keep' })).status).toBe(200);
    const blurred = (await photo(r.id, '', { cookie: sup })).body;
    expect(await spread(original, rect)).toBeGreaterThan(30);
    expect(await spread(blurred, rect)).toBeLessThan(12);
    expect(await meanDiff(original, blurred, [rect], 'inside')).toBeGreaterThan(20);
    expect(await meanDiff(original, blurred, [rect], 'outside')).toBeLessThan(4);
  });

  it('refuses rectangles out of bounds, without area, too many or of the wrong type, and writes nothing', async () => {
    const r = await newReport();
    const before = await photoRow(r.id);
    const files = filesIn(srv.uploadsDir);
    const ok = { x: 10, y: 10, width: 20, height: 20 };
    const cases: Array<[unknown, number, string?]> = [
      [
        { rectangles: [{ x: 600, y: 0, width: 41, height: 10 }], original: 'keep' },
        400,
        'rectangle_out_of_bounds',
      ],
      [
        { rectangles: [ok, { x: 0, y: 470, width: 10, height: 11 }], original: 'keep' },
        400,
        'rectangle_out_of_bounds',
      ],
      [{ rectangles: [{ x: -1, y: 0, width: 10, height: 10 }], original: 'keep' }, 400],
      [{ rectangles: [{ x: 0, y: 0, width: 0, height: 10 }], original: 'keep' }, 400],
      [{ rectangles: [{ x: 0, y: 0, width: 10, height: 0 }], original: 'keep' }, 400],
      [{ rectangles: Array.from({ length: 21 }, () => ok), original: 'keep' }, 400],
      [{ rectangles: [], original: 'keep' }, 400],
      [{ rectangles: [{ x: '10', y: 10, width: 20, height: 20 }], original: 'keep' }, 400],
      [{ rectangles: [{ x: 1.5, y: 10, width: 20, height: 20 }], original: 'keep' }, 400],
      [{ rectangles: [{ ...ok, colour: 'red' }], original: 'keep' }, 400],
      [{ rectangles: ok, original: 'keep' }, 400],
      [{ rectangles: [ok] }, 400],
      [{ rectangles: [ok], original: 'maybe' }, 400],
      [{ rectangles: [ok], original: 'keep', style: 'paint' }, 400],
    ];
    for (const [body, status, code] of cases) {
      const res = await redact(r.id, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      if (code) expect(res.json).toMatchObject({ error: { code } });
    }
    const oob = await redact(r.id, {
      rectangles: [ok, { x: 0, y: 470, width: 10, height: 11 }],
      original: 'keep',
    });
    expect(oob.json).toMatchObject({ error: { field: 'rectangles.1' } });
    expect(
      (
        await staff(`/api/staff/reports/${r.id}/photos/3/redaction`, sup, 'POST', {
          rectangles: [ok],
          original: 'keep',
        })
      ).status,
    ).toBe(404);
    expect(await photoRow(r.id)).toEqual(before);
    expect(filesIn(srv.uploadsDir)).toEqual(files);
  });

  it('is for supervisors of the commune: crews and admins 403, another commune 404 like a missing report', async () => {
    const r = await newReport();
    const body = { rectangles: [{ x: 0, y: 0, width: 10, height: 10 }], original: 'keep' };
    expect((await redact(r.id, body, crew)).status).toBe(403);
    expect((await redact(r.id, body, admin)).status).toBe(403);
    expect((await staff(`/api/staff/reports/${r.id}/photos/1/original`, admin, 'DELETE')).status).toBe(403);
    const pairs = [
      [
        `/api/staff/reports/${r.id}/photos/1/redaction`,
        `/api/staff/reports/${crypto.randomUUID()}/photos/1/redaction`,
        'POST',
      ],
      [
        `/api/staff/reports/${r.id}/photos/1/original`,
        `/api/staff/reports/${crypto.randomUUID()}/photos/1/original`,
        'DELETE',
      ],
    ] as const;
    for (const [theirs, none, method] of pairs) {
      const [x, y] = await Promise.all([
        staff(theirs, otherSup, method, body),
        staff(none, otherSup, method, body),
      ]);
      expect([x.status, y.status]).toEqual([404, 404]);
      expect(x.text).toBe(y.text);
    }
    const notRedacted = await staff(`/api/staff/reports/${r.id}/photos/1/original`, sup, 'DELETE');
    expect(notRedacted.status).toBe(409);
    expect(notRedacted.json).toMatchObject({ error: { code: 'not_redacted' } });
    expect((await photoRow(r.id)).redacted_sha256).toBeNull();
  });
});

describe('GET /api/staff/reports/:id (moderation state)', () => {
  it('tells staff the workflow and moderation state and what they may do', async () => {
    const r = await newReport();
    const kept = await newReport();
    await staff(`/api/staff/reports/${r.id}/status`, sup, 'POST', {
      status: 'duplicate',
      duplicateOf: kept.id,
    });
    const asSup = (await staff(`/api/staff/reports/${r.id}`, sup)).json!;
    expect(asSup).toMatchObject({
      status: 'duplicate',
      duplicateOf: kept.id,
      statusReason: null,
      hidden: false,
      publicDescription: null,
      photosPublic: false,
      can: { fieldStatus: true, anyStatus: true, triage: true, note: true, moderate: true, original: false },
      photos: [
        { n: 1, hidden: false, moderatedAt: null, redacted: false, originalKept: false, public: false },
      ],
    });
    expect(Date.parse(asSup.closedAt as string)).not.toBeNaN();
    expect((await staff(`/api/staff/reports/${r.id}`, crew)).json).toMatchObject({
      can: {
        fieldStatus: true,
        anyStatus: false,
        triage: false,
        note: true,
        moderate: false,
        original: false,
      },
    });
    expect((await staff(`/api/staff/reports/${r.id}`, admin)).json).toMatchObject({
      can: {
        fieldStatus: false,
        anyStatus: false,
        triage: false,
        note: true,
        moderate: false,
        original: true,
      },
    });
  });
});
