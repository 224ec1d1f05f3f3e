import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PhotoStore } from '../../../server/src/photos/photos.store';
import { referencedShas } from '../../../server/src/reports/reports.repo';
import { createTestCommune, newToken, randomCentre } from '../../support/fixtures';
import { reportFields, sendReport } from '../../support/reports';
import { startServerProcess } from '../../support/server-process';

let pool: pg.Pool;
let uploadsDir: string;

beforeAll(() => {
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
  uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-crash-'));
});
afterAll(async () => {
  await pool?.end();
  fs.rmSync(uploadsDir, { recursive: true, force: true });
});

/** Distinct camera-sized photos (noise), so every report writes its own files. */
async function distinctPhotos(n: number): Promise<Buffer[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      sharp({
        create: {
          width: 2400,
          height: 1800,
          channels: 3,
          background: '#000000',
          noise: { type: 'gaussian', mean: 100 + i, sigma: 40 },
        },
      })
        .jpeg({ quality: 90 })
        .toBuffer(),
    ),
  );
}

function filesOnDisk(): Set<string> {
  const out = new Set<string>();
  for (const shard of fs.existsSync(uploadsDir) ? fs.readdirSync(uploadsDir) : []) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    for (const f of fs.readdirSync(path.join(uploadsDir, shard))) out.add(path.join(shard, f));
  }
  return out;
}

describe('a server killed in the middle of uploads', () => {
  it('leaves no report row without its photo files, and the sweep leaves only referenced files', async () => {
    const commune = await createTestCommune(pool, randomCentre());
    const photos = await distinctPhotos(10);
    const token = newToken();
    const ids = photos.map(() => crypto.randomUUID());
    const send = (url: string, i: number) =>
      sendReport(url, {
        id: ids[i],
        token,
        fields: reportFields(commune.centre),
        files: [{ data: photos[i]! }],
      }).catch(() => ({ status: 0, body: {}, id: ids[i]! }));

    const first = await startServerProcess({
      databaseUrl: inject('databaseUrl'),
      uploadsDir,
      env: { SEED_DEMO: '0' },
    });
    const inflight = ids.map((_, i) => send(first.url, i));
    // Kill once some reports are stored and others are still being processed.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM reports WHERE id = ANY($1::uuid[])', [
        ids,
      ]);
      if (rows[0].n >= 2 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await first.kill();
    const outcomes = await Promise.all(inflight);
    const stored = (await pool.query('SELECT id FROM reports WHERE id = ANY($1::uuid[])', [ids])).rows.map(
      (r) => r.id,
    );
    expect(stored.length).toBeGreaterThanOrEqual(2);
    expect(stored.length).toBeLessThan(ids.length); // the kill really interrupted some uploads
    for (const o of outcomes) if (o.status === 201) expect(stored).toContain(o.id);

    // Every stored row has its photo row and both of its files.
    const store = new PhotoStore(uploadsDir);
    const rows = (
      await pool.query('SELECT report_id, sha256 FROM photos WHERE report_id = ANY($1::uuid[])', [ids])
    ).rows;
    expect(rows.map((r) => r.report_id).sort()).toEqual([...stored].sort());
    for (const r of rows) {
      expect(fs.existsSync(store.path(r.sha256, 'full'))).toBe(true);
      expect(fs.existsSync(store.path(r.sha256, 'thumb'))).toBe(true);
    }

    // The start-up sweep of a single-writer installation (minimum age 0) removes the files of
    // interrupted uploads and keeps every referenced one.
    await store.sweepOrphans((shas) => referencedShas(pool, shas), 0);
    const referenced = new Set(
      rows.flatMap((r) => [
        `${r.sha256.slice(0, 2)}/${r.sha256}.jpg`,
        `${r.sha256.slice(0, 2)}/${r.sha256}.thumb.jpg`,
      ]),
    );
    expect(filesOnDisk()).toEqual(referenced);
    expect(
      fs.existsSync(path.join(uploadsDir, 'tmp')) ? fs.readdirSync(path.join(uploadsDir, 'tmp')) : [],
    ).toEqual([]);

    // The phones retry after the restart: every report ends up stored exactly once.
    const second = await startServerProcess({
      databaseUrl: inject('databaseUrl'),
      uploadsDir,
      env: { SEED_DEMO: '0' },
    });
    try {
      const retries = await Promise.all(ids.map((_, i) => send(second.url, i)));
      for (const r of retries) expect(stored.includes(r.id) ? 200 : 201).toBe(r.status);
      const { rows: final } = await pool.query(
        'SELECT count(*)::int AS n FROM reports WHERE id = ANY($1::uuid[])',
        [ids],
      );
      expect(final[0].n).toBe(ids.length);
    } finally {
      await second.stop();
    }
  });
});

describe('SIGTERM', () => {
  it('lets the request in flight finish, then exits cleanly', async () => {
    const commune = await createTestCommune(pool, randomCentre());
    const [photo] = await distinctPhotos(1);
    const server = await startServerProcess({ databaseUrl: inject('databaseUrl'), env: { SEED_DEMO: '0' } });
    const pending = sendReport(server.url, {
      fields: reportFields(commune.centre),
      files: [{ data: photo! }],
    });
    await new Promise((r) => setTimeout(r, 100)); // the upload is being processed
    const exited = new Promise<number | null>((resolve) =>
      server.child.once('exit', (code) => resolve(code)),
    );
    server.child.kill('SIGTERM');
    const r = await pending;
    expect(r.status).toBe(201);
    expect(await exited).toBe(0);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM photos WHERE report_id = $1', [r.id]);
    expect(rows[0].n).toBe(1);
    fs.rmSync(server.uploadsDir, { recursive: true, force: true });
  });
});
