import fs from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { startServerProcess, type ServerProcess } from '../../support/server-process';
import { auditRows, createStaff, signIn } from '../../support/staff';
import { fillReports } from '../../support/stats';

/**
 * 100,000 reports exported by a real server process while the client reads slowly: the
 * server's resident memory must stay bounded (a server that buffered the file, or read the
 * database ahead of the socket, would grow by the size of the file, over 60 MB here).
 */
const REPORTS = 100_000;
/** Growth of the server's resident memory allowed during the export (young generation, socket buffers). */
const MAX_GROWTH_MB = 64;
/** The server's JavaScript heap limit (old space), MB: the 75 MB file is 150 MB as a JS string. */
const HEAP_MB = 128;

let pool: pg.Pool;
let server: ServerProcess;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let cookie: string;

/** Resident memory of a process, MB (Linux /proc). */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kb / 1024;
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
  commune = await createTestCommune(pool, randomCentre());
  await fillReports(inject('databaseUrl'), commune, REPORTS, 500);
  // A heap too small for the file: a server that held the whole export would run out of memory.
  server = await startServerProcess({
    databaseUrl: inject('databaseUrl'),
    env: { SEED_DEMO: '0', NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` },
  });
  cookie = await signIn(server.url, await createStaff(pool, [{ communeId: commune.id, role: 'admin' }]));
}, 300_000);
afterAll(async () => {
  await server?.stop();
  await pool?.query('DELETE FROM reports WHERE commune_id = $1', [commune.id]).catch(() => undefined);
  await pool?.end();
});

/**
 * Downloads a path, reading `slowBytes` at about `slowRate` bytes per second first, then as fast
 * as possible; samples the server's memory every 100 ms. Returns the body's size, its line
 * count, and the memory samples of each phase.
 */
function throttledDownload(path: string, slowBytes: number, slowRate: number) {
  const pid = server.child.pid!;
  return new Promise<{ bytes: number; lines: number; slow: number[]; fast: number[]; complete: boolean }>(
    (resolve, reject) => {
      const slow: number[] = [];
      const fast: number[] = [];
      let bytes = 0;
      let lines = 0;
      const sampler = setInterval(() => (bytes < slowBytes ? slow : fast).push(rssMb(pid)), 100);
      const req = http.get(`${server.url}${path}`, { headers: { Cookie: cookie } }, (res) => {
        expect(res.statusCode).toBe(200);
        // Paused mode: read() takes what the socket has, at our pace.
        const started = Date.now();
        const pump = () => {
          for (;;) {
            if (bytes < slowBytes && bytes > ((Date.now() - started) / 1000) * slowRate) {
              setTimeout(pump, 20);
              return;
            }
            const chunk = res.read(16 * 1024) as Buffer | null;
            if (chunk === null) {
              res.once('readable', pump);
              return;
            }
            bytes += chunk.length;
            for (const b of chunk) if (b === 0x0a) lines++;
          }
        };
        res.once('readable', pump);
        res.on('end', () => {
          clearInterval(sampler);
          resolve({ bytes, lines, slow, fast, complete: res.complete });
        });
        res.on('error', (err) => {
          clearInterval(sampler);
          reject(err);
        });
      });
      req.on('error', (err) => {
        clearInterval(sampler);
        reject(err);
      });
    },
  );
}

describe('GET /api/reports/export.csv and .geojson at 100,000 reports', () => {
  it('stream in bounded memory while the client reads slowly', { timeout: 240_000 }, async () => {
    // Warm up the code paths (and the JIT) on a small export, then take the baseline.
    await (
      await fetch(`${server.url}/api/reports/export.csv?commune=${commune.slug}&to=2000-01-01`, {
        headers: { Cookie: cookie },
      })
    ).arrayBuffer();
    await new Promise((r) => setTimeout(r, 500));
    const baseline = rssMb(server.child.pid!);

    // 4 MB at 1 MB/s: a server without backpressure would have read all 100,000 rows meanwhile.
    const csv = await throttledDownload(`/api/reports/export.csv?commune=${commune.slug}`, 4e6, 1e6);
    expect(csv.complete).toBe(true);
    expect(csv.lines).toBe(REPORTS + 1); // the header, then one line per report
    expect(csv.bytes).toBeGreaterThan(60e6);
    const peakSlow = Math.max(...csv.slow);
    const peakFast = Math.max(...csv.fast);
    console.log(
      `CSV ${(csv.bytes / 1e6).toFixed(1)} MB; server RSS baseline ${baseline.toFixed(0)} MB, ` +
        `peak while read slowly ${peakSlow.toFixed(0)} MB, while read fast ${peakFast.toFixed(0)} MB`,
    );
    expect(csv.slow.length).toBeGreaterThan(20);
    expect(peakSlow - baseline).toBeLessThan(MAX_GROWTH_MB);
    expect(peakFast - baseline).toBeLessThan(MAX_GROWTH_MB);

    const geo = await throttledDownload(`/api/reports/export.geojson?commune=${commune.slug}`, 4e6, 1e6);
    expect(geo.complete).toBe(true);
    expect(geo.lines).toBe(REPORTS + 2); // the collection's head and tail lines, one per feature
    const geoPeak = Math.max(...geo.slow, ...geo.fast);
    console.log(`GeoJSON ${(geo.bytes / 1e6).toFixed(1)} MB; server RSS peak ${geoPeak.toFixed(0)} MB`);
    expect(geoPeak - baseline).toBeLessThan(MAX_GROWTH_MB);
  });

  it('records an abandoned download in the audit log with the rows written so far', async () => {
    const requestId = `export-abandoned-${Date.now()}`;
    await new Promise<void>((resolve, reject) => {
      const req = http.get(
        `${server.url}/api/reports/export.csv?commune=${commune.slug}`,
        { headers: { Cookie: cookie, 'X-Request-Id': requestId } },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', reject);
    });
    await expect
      .poll(async () => (await auditRows(pool, { requestId })).map((r) => r.outcome), { timeout: 10_000 })
      .toEqual(['success', 'failure']);
    const [started, abandoned] = await auditRows(pool, { requestId });
    expect(started!.data).toMatchObject({ format: 'csv', reports: REPORTS, contact: true });
    const written = (abandoned!.data as { written: number }).written;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(REPORTS);
  });
});
