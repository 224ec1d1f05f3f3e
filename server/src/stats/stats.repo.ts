import type { Queryable } from '../db';
import { OPEN_STATUSES, type ReportStatus } from '../contract/common';
import type { BacklogBucketKey, StatsCategory, StatsInterval } from '../contract/stats';
import { BACKLOG_BUCKETS } from '../contract/stats';
import { filterConditions, queryArgs, type ScopedFilter } from '../reports/reports.filter.repo';

/**
 * The statistics, computed by PostgreSQL over the reports a scoped filter selects (alias `r`,
 * conditions from filterConditions: the same rows the list shows). Each function is one query
 * that aggregates in the database and returns small rows, whatever the number of reports.
 *
 * Measured at 100,000 reports (see bench-stats.ts): the per-report work is kept to integer keys
 * (category ids, days, grid cells) and the text labels are joined on the few aggregated rows;
 * sorting 100,000 rows by a text code under the database's collation cost more than the scan.
 */

/** Reports per status. */
export async function countByStatus(
  db: Queryable,
  f: ScopedFilter,
): Promise<Array<{ status: ReportStatus; count: number }>> {
  const { args, arg } = queryArgs();
  const where = filterConditions(f, arg);
  const { rows } = await db.query<{ status: ReportStatus; count: number }>(
    `SELECT r.status, count(*)::int AS count FROM reports r WHERE ${where.join(' AND ')} GROUP BY r.status`,
    args,
  );
  return rows;
}

/** Today in a time zone, at `now` (YYYY-MM-DD). */
export async function localToday(db: Queryable, timezone: string, now: Date): Promise<string> {
  const { rows } = await db.query<{ today: string }>(
    `SELECT to_char(($1::timestamptz AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS today`,
    [now.toISOString(), timezone],
  );
  return rows[0]!.today;
}

/** The categories of some communes (every commune for 'all'), one per code, in the communes' order. */
export async function listCategories(
  db: Queryable,
  communeIds: 'all' | readonly number[],
): Promise<StatsCategory[]> {
  const { rows } = await db.query<{ code: string; label_fr: string; label_en: string }>(
    `SELECT code, label_fr, label_en FROM (
       SELECT DISTINCT ON (code) code, label_fr, label_en, position, commune_id
         FROM categories WHERE $1::int[] IS NULL OR commune_id = ANY($1::int[])
        ORDER BY code, commune_id) c
      ORDER BY position, code`,
    [communeIds === 'all' ? null : communeIds],
  );
  return rows.map((r) => ({ code: r.code, labelFr: r.label_fr, labelEn: r.label_en }));
}

/** A count of one period, category and status. */
export interface TimelineRow {
  period: string;
  category: string;
  status: ReportStatus;
  count: number;
}

/**
 * Reports received per period (the commune's days, ISO weeks or months), category and status.
 * When the reports span more than `maxPeriods` distinct periods, no rows come back, only the
 * first and last period (so a request for ten years of days costs one scan, not a huge answer).
 */
export async function timeline(
  db: Queryable,
  f: ScopedFilter,
  interval: StatsInterval,
  maxPeriods: number,
): Promise<{ first: string | null; last: string | null; rows: TimelineRow[] }> {
  const { args, arg } = queryArgs();
  const where = filterConditions(f, arg);
  const { rows } = await db.query<{
    first: string | null;
    last: string | null;
    period: string | null;
    category: string | null;
    status: ReportStatus | null;
    count: number | null;
  }>(
    `WITH g0 AS (
       SELECT date_trunc(${arg(interval)}, r.received_at AT TIME ZONE ${arg(f.timezone)})::date AS period,
              r.category_id, r.status, count(*)::int AS count
         FROM reports r
        WHERE ${where.join(' AND ')}
        GROUP BY 1, 2, 3),
     g AS (
       SELECT g0.period, ca.code AS category, g0.status, sum(g0.count)::int AS count
         FROM g0 JOIN categories ca ON ca.id = g0.category_id
        GROUP BY 1, 2, 3),
     b AS (SELECT min(period) AS first, max(period) AS last, count(DISTINCT period) AS periods FROM g)
     SELECT to_char(b.first, 'YYYY-MM-DD') AS first, to_char(b.last, 'YYYY-MM-DD') AS last,
            to_char(g.period, 'YYYY-MM-DD') AS period, g.category, g.status, g.count
       FROM b LEFT JOIN g ON b.periods <= ${arg(maxPeriods)}
      ORDER BY g.period, g.category, g.status`,
    args,
  );
  const head = rows[0];
  return {
    first: head?.first ?? null,
    last: head?.last ?? null,
    rows: rows
      .filter((r) => r.period !== null)
      .map((r) => ({ period: r.period!, category: r.category!, status: r.status!, count: r.count! })),
  };
}

/** Time to fix and to close, per category and for all categories (category null), in hours. */
export interface ResolutionDbRow {
  category: string | null;
  fixed: number;
  fixMedianHours: number | null;
  fixP90Hours: number | null;
  closed: number;
  closeMedianHours: number | null;
  closeP90Hours: number | null;
}

/**
 * Median and 90th percentile (continuous) of closed_at - received_at: over `fixed` reports
 * (time to fix) and over every closed report (time to close), per category and overall.
 */
export async function resolution(db: Queryable, f: ScopedFilter): Promise<ResolutionDbRow[]> {
  const { args, arg } = queryArgs();
  const where = filterConditions(f, arg);
  const { rows } = await db.query<{
    category: string | null;
    fixed: number;
    fix_median: number | null;
    fix_p90: number | null;
    closed: number;
    close_median: number | null;
    close_p90: number | null;
  }>(
    `WITH k AS (SELECT id, code, dense_rank() OVER (ORDER BY code COLLATE "C")::int AS k FROM categories),
     c AS (
       SELECT k.k, r.status = 'fixed' AS fixed,
              greatest(extract(epoch FROM r.closed_at - r.received_at), 0)::float8 / 3600 AS hours
         FROM reports r JOIN k ON k.id = r.category_id
        WHERE ${where.join(' AND ')} AND r.closed_at IS NOT NULL),
     a AS (
       SELECT k,
              count(*) FILTER (WHERE fixed)::int AS fixed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FILTER (WHERE fixed) AS fix_median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY hours) FILTER (WHERE fixed) AS fix_p90,
              count(*)::int AS closed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) AS close_median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY hours) AS close_p90
         FROM c
        GROUP BY GROUPING SETS ((k), ()))
     SELECT (SELECT code FROM k WHERE k.k = a.k LIMIT 1) AS category, a.fixed, a.fix_median, a.fix_p90,
            a.closed, a.close_median, a.close_p90
       FROM a
      ORDER BY a.k IS NULL, a.k`,
    args,
  );
  return rows.map((r) => ({
    category: r.category,
    fixed: r.fixed,
    fixMedianHours: r.fix_median,
    fixP90Hours: r.fix_p90,
    closed: r.closed,
    closeMedianHours: r.close_median,
    closeP90Hours: r.close_p90,
  }));
}

/** The open backlog by age bucket and category, with the median and largest age. */
export interface BacklogDbAnswer {
  open: number;
  medianAgeDays: number | null;
  maxAgeDays: number | null;
  rows: Array<{ bucket: BacklogBucketKey; category: string; count: number }>;
}

/**
 * Open reports by age: whole days from the day of receipt to `today`, both in the commune's
 * time zone, bucketed by BACKLOG_BUCKETS.
 */
export async function backlog(db: Queryable, f: ScopedFilter, today: string): Promise<BacklogDbAnswer> {
  const { args, arg } = queryArgs();
  const where = filterConditions(f, arg);
  const t = arg(today);
  const bucket = `CASE ${BACKLOG_BUCKETS.map((b) =>
    b.maxDays === null ? `ELSE '${b.key}'` : `WHEN age <= ${b.maxDays} THEN '${b.key}'`,
  ).join(' ')} END`;
  // Open reports per category and age in days first (a few thousand rows at most); the buckets,
  // and the median as percentile_cont defines it (interpolating between the two middle ages),
  // come from those counts.
  const { rows } = await db.query<{
    total: number | null;
    lo: number | null;
    hi: number | null;
    frac: number | null;
    max: number | null;
    bucket: BacklogBucketKey | null;
    category: string | null;
    count: number | null;
  }>(
    `WITH d AS (
       SELECT r.category_id, greatest(${t}::date - (r.received_at AT TIME ZONE ${arg(f.timezone)})::date, 0) AS age,
              count(*)::int AS n
         FROM reports r
        WHERE ${where.join(' AND ')} AND r.status = ANY(${arg(OPEN_STATUSES)}::text[])
        GROUP BY 1, 2),
     a AS (SELECT ca.code AS category, d.age, d.n, ${bucket} AS bucket
             FROM d JOIN categories ca ON ca.id = d.category_id),
     ages AS (SELECT age, sum(n) AS n FROM a GROUP BY age),
     cum AS (SELECT age, sum(n) OVER (ORDER BY age) AS cum, sum(n) OVER () AS total FROM ages),
     m AS (SELECT total::int AS total, max(age) AS max,
                  min(age) FILTER (WHERE cum > floor((total - 1) * 0.5)) AS lo,
                  min(age) FILTER (WHERE cum > ceil((total - 1) * 0.5)) AS hi,
                  ((total - 1) * 0.5 - floor((total - 1) * 0.5))::float8 AS frac
             FROM cum GROUP BY total),
     b AS (SELECT bucket, category, sum(n)::int AS count FROM a GROUP BY bucket, category)
     SELECT m.total, m.lo, m.hi, m.frac, m.max, b.bucket, b.category, b.count
       FROM (SELECT 1) one LEFT JOIN m ON true LEFT JOIN b ON true
      ORDER BY b.bucket, b.category`,
    args,
  );
  const head = rows[0];
  const median =
    head?.lo === null || head?.lo === undefined || head.hi === null
      ? null
      : head.lo + (head.frac ?? 0) * (head.hi - head.lo);
  return {
    open: head?.total ?? 0,
    medianAgeDays: median,
    maxAgeDays: head?.max ?? null,
    rows: rows
      .filter((r) => r.bucket !== null)
      .map((r) => ({ bucket: r.bucket!, category: r.category!, count: r.count! })),
  };
}

/** A cell of the hotspot grid, with its lon/lat bounds. */
export interface HotspotDbCell {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
  count: number;
  open: number;
}

/**
 * Reports counted on a grid of nearly square cells of `cellMetres`: rows of constant latitude
 * height, each row cut in cells whose longitude width is scaled by the cosine of the row's
 * middle latitude. A cell is a lon/lat rectangle, so it is also the list's `bbox` filter.
 * Busiest cells first; at most `limit` of them.
 */
export async function hotspots(
  db: Queryable,
  f: ScopedFilter,
  cellMetres: number,
  limit: number,
): Promise<HotspotDbCell[]> {
  const { args, arg } = queryArgs();
  const where = filterConditions(f, arg);
  const dLat = arg(cellMetres / 111_320);
  const { rows } = await db.query<{
    min_lon: number;
    min_lat: number;
    max_lon: number;
    max_lat: number;
    count: number;
    open: number;
  }>(
    // Each report's cell as one bigint key (row and column fit in 22 bits each): grouping on it
    // hashes. The subquery is a fence (OFFSET 0): the location is decoded once per report, and
    // the planner, which cannot foresee how few cells there are, does not sort 100,000 rows.
    `SELECT min(col) * min(width) AS min_lon, min(row) * ${dLat}::float8 AS min_lat,
            (min(col) + 1) * min(width) AS max_lon, (min(row) + 1) * ${dLat}::float8 AS max_lat,
            count(*)::int AS count, count(*) FILTER (WHERE open)::int AS open
       FROM (SELECT row, col, width, open, (row * 4194304 + col)::bigint AS key
               FROM (SELECT row, width, floor(ST_X(g) / width) AS col, open
                       FROM (SELECT g, open, row,
                                    ${dLat}::float8 / cos(radians((row + 0.5) * ${dLat}::float8)) AS width
                               FROM (SELECT g, open, floor(ST_Y(g) / ${dLat}::float8) AS row
                                       FROM (SELECT r.location::geometry AS g,
                                                    r.status = ANY(${arg(OPEN_STATUSES)}::text[]) AS open
                                               FROM reports r WHERE ${where.join(' AND ')} OFFSET 0) p) q) w) c
             OFFSET 0) k
      GROUP BY key
      ORDER BY count DESC, key
      LIMIT ${arg(limit)}`,
    args,
  );
  return rows.map((r) => ({
    minLon: r.min_lon,
    minLat: r.min_lat,
    maxLon: r.max_lon,
    maxLat: r.max_lat,
    count: r.count,
    open: r.open,
  }));
}
