/**
 * A quick look (not a benchmark: nothing here is a target) at the history screen's queries
 * with N generated reports (default 100,000) in one commune: timings of the map clusters per
 * viewport, the capped count and the nearby reports, and EXPLAIN ANALYZE of the cluster
 * queries. Needs DATABASE_URL (a real PostgreSQL); a fresh database is created next to it and
 * dropped at the end.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres node --import tsx server/scripts/explain-history.ts [N]
 */
import pg from 'pg';
import { DEFAULT_CATEGORIES } from '../src/communes/communes.defaults';
import { insertCategories, insertCommune } from '../src/communes/communes.repo';
import type { Bbox } from '../src/contract/reports';
import { migrate } from '../src/db/migrate';
import { clusterGrid } from '../src/history/history.grid';
import * as repo from '../src/history/history.repo';
import type { ScopedFilter } from '../src/reports/reports.filter.repo';

const N = Number(process.argv[2] ?? 100_000);
const CENTRE = { lat: 47.658, lon: -2.76 };

/** Median and worst of `runs` timed calls, milliseconds. */
async function timed(runs: number, f: () => Promise<unknown>): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return `median ${times[Math.floor(runs / 2)]!.toFixed(1)} ms, worst ${times[runs - 1]!.toFixed(1)} ms`;
}

async function fill(pool: pg.Pool): Promise<number> {
  const d = 0.15;
  const { lat, lon } = CENTRE;
  const communeId = await insertCommune(pool, {
    slug: 'explain',
    name: 'Explain',
    inseeCode: '56260',
    boundary: {
      type: 'Polygon',
      coordinates: [
        [
          [lon - d, lat - d],
          [lon + d, lat - d],
          [lon + d, lat + d],
          [lon - d, lat + d],
          [lon - d, lat - d],
        ],
      ],
    },
    depot: CENTRE,
  });
  await insertCategories(pool, communeId, DEFAULT_CATEGORIES);
  // Spread over 0.24° x 0.16° (about 18 x 18 km), a third each new / acknowledged / fixed.
  await pool.query(
    `INSERT INTO reports (id, commune_id, category_id, location, accuracy_m, location_source, status, priority,
                          captured_at, received_at, reporter_token_hash, content_hash, address, closed_at)
     SELECT gen_random_uuid(), $1, (SELECT id FROM categories WHERE commune_id = $1 ORDER BY random() LIMIT 1),
            ST_SetSRID(ST_MakePoint($3 + (random() - 0.5) * 0.24, $2 + (random() - 0.5) * 0.16), 4326)::geography,
            5, 'gps', s.status, 'normal', now(), now() - random() * interval '365 days',
            sha256(i::text::bytea), sha256(('c' || i)::bytea), (i % 500) || ' Rue ' || (i % 37),
            CASE WHEN s.status = 'fixed' THEN now() END
       FROM generate_series(1, $4) AS i,
            LATERAL (SELECT (ARRAY['new', 'acknowledged', 'fixed'])[1 + i % 3] AS status) s`,
    [communeId, lat, lon, N],
  );
  await pool.query('VACUUM ANALYZE reports');
  return communeId;
}

async function main(): Promise<void> {
  const external = process.env.DATABASE_URL;
  if (!external)
    throw new Error('Set DATABASE_URL to a PostgreSQL server (a database is created and dropped).');
  const name = `vigie_explain_${Date.now()}`;
  const admin = new pg.Client({ connectionString: external });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(external);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on('error', () => {});
  try {
    await migrate(url.toString(), { info: () => {} });
    const version = (await pool.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v;
    console.log(version.split(',')[0]);
    const communeId = await fill(pool);
    console.log(`${N} reports in one commune`);

    const base = { communeIds: [communeId], timezone: 'Europe/Paris' } as const;
    const views: Array<{ name: string; zoom: number; bbox: Bbox }> = [
      {
        name: 'whole commune, zoom 11',
        zoom: 11,
        bbox: { minLon: -2.91, minLat: 47.5, maxLon: -2.61, maxLat: 47.8 },
      },
      {
        name: 'town, zoom 14',
        zoom: 14,
        bbox: { minLon: -2.79, minLat: 47.64, maxLon: -2.73, maxLat: 47.675 },
      },
      {
        name: 'street, zoom 17',
        zoom: 17,
        bbox: { minLon: -2.764, minLat: 47.656, maxLon: -2.757, maxLat: 47.66 },
      },
    ];
    for (const v of views) {
      for (const extra of [{}, { status: ['new' as const] }]) {
        const grid = clusterGrid(v.bbox, v.zoom);
        const f: ScopedFilter = { ...base, ...extra, bbox: grid.bbox };
        let cells = 0;
        let reports = 0;
        const t = await timed(9, async () => {
          const rows = await repo.clusterCells(pool, f, grid.size);
          await repo.reportsAtPoints(
            pool,
            f,
            rows.filter((r) => r.count === 1),
          );
          cells = rows.length;
          reports = rows.reduce((n, r) => n + r.count, 0);
        });
        console.log(
          `clusters, ${v.name}, ${JSON.stringify(extra)}: ${cells} cells, ${reports} reports; ${t}`,
        );
      }
    }
    for (const extra of [{}, { status: ['new' as const] }]) {
      const t = await timed(9, () => repo.countReports(pool, { ...base, ...extra }, 10_000));
      console.log(`count (capped at 10,000) ${JSON.stringify(extra)}: ${t}`);
    }
    const { rows } = await pool.query<{ id: string }>('SELECT id FROM reports ORDER BY random() LIMIT 9');
    let k = 0;
    console.log(
      `nearby reports (100 m): ${await timed(9, () => repo.listNearby(pool, rows[k++]!.id, communeId, 100, 50))}`,
    );

    // The plans of the real queries: a Queryable that explains instead of running.
    const explain = {
      query: async (sql: string, args?: unknown[]) => {
        const res = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, args);
        console.log(res.rows.map((r) => r['QUERY PLAN']).join('\n'));
        return { rows: [] };
      },
    } as unknown as pg.Pool;
    for (const v of views.slice(0, 2)) {
      const grid = clusterGrid(v.bbox, v.zoom);
      const f: ScopedFilter = { ...base, bbox: grid.bbox };
      console.log(`\n--- cells, ${v.name}`);
      await repo.clusterCells(explain, f, grid.size);
      const singles = (await repo.clusterCells(pool, f, grid.size)).filter((c) => c.count === 1);
      console.log(`--- the reports of the ${singles.length} single-report cells, ${v.name}`);
      await repo.reportsAtPoints(
        explain,
        f,
        singles.length ? singles : [{ lat: CENTRE.lat, lon: CENTRE.lon }],
      );
    }
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
