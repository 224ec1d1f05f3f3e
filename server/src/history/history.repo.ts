import type { Queryable } from '../db';
import type { ReportStatus } from '../contract/common';
import type { RelatedReport } from '../contract/history';
import { filterConditions, queryArgs, type ScopedFilter } from '../reports/reports.filter.repo';
import type { CellSize } from './history.grid';

/**
 * Queries of the history screen: map clusters and counts of a filtered list (always through
 * the shared filter, scoped by the caller's communes), and the reports related to one report.
 */

/** A cell of the grid with at least one report. */
export interface ClusterRow {
  count: number;
  /** Mean position of the cell's reports (exactly the report's position for a cell of one). */
  lat: number;
  lon: number;
}

/**
 * The filtered reports grouped in grid cells of `size` degrees anchored at 0,0 (cell = floor of
 * the coordinate over the size, the grid of history.grid), with each cell's count and mean
 * position. The filter must carry a bbox (the viewport widened to whole cells): the GiST index
 * on location::geometry finds its reports, then one hash aggregate groups them.
 */
export async function clusterCells(db: Queryable, f: ScopedFilter, size: CellSize): Promise<ClusterRow[]> {
  const { args, arg } = queryArgs();
  const where = filterConditions(f, arg).join(' AND ');
  // Grouping on two numbers, not on ST_SnapToGrid's geometry: a geometry key makes the planner
  // sort every row (to disk at 100,000) where hashing a few hundred cells is enough. The
  // OFFSET 0 fences compute each point once. Sums over count rather than avg: by-value
  // aggregate states, so the planner keeps the hash aggregate.
  const { rows } = await db.query<ClusterRow>(
    `SELECT count(*)::int AS count, sum(p.y) / count(*) AS lat, sum(p.x) / count(*) AS lon
       FROM (SELECT ST_X(g.geom) AS x, ST_Y(g.geom) AS y
               FROM (SELECT r.location::geometry AS geom FROM reports r WHERE ${where} OFFSET 0) g
             OFFSET 0) p
      GROUP BY floor(p.x / ${arg(size.lon)}::float8), floor(p.y / ${arg(size.lat)}::float8)
      ORDER BY count DESC, lat, lon`,
    args,
  );
  return rows;
}

/** The report of a single-report cell. */
export interface SingleRow {
  /** Index of the point it was asked for (0-based). */
  i: number;
  id: string;
  status: ReportStatus;
  category: string;
}

/**
 * The report matching a scoped filter at each of these exact positions (the cells of one
 * report: their mean position is the report's). Looked up point by point through the GiST
 * index rather than aggregating an id over every row of the viewport.
 */
export async function reportsAtPoints(
  db: Queryable,
  f: ScopedFilter,
  points: ReadonlyArray<{ lat: number; lon: number }>,
): Promise<SingleRow[]> {
  if (points.length === 0) return [];
  const { args, arg } = queryArgs();
  const where = filterConditions(f, arg).join(' AND ');
  const lons = arg(points.map((p) => p.lon));
  const lats = arg(points.map((p) => p.lat));
  const { rows } = await db.query<SingleRow>(
    `SELECT (c.i - 1)::int AS i, s.id, s.status, s.category
       FROM unnest(${lons}::float8[], ${lats}::float8[]) WITH ORDINALITY AS c(lon, lat, i)
       CROSS JOIN LATERAL (
         SELECT r.id::text AS id, r.status, ca.code AS category
           FROM reports r JOIN categories ca ON ca.id = r.category_id
          WHERE r.location::geometry && ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326)
            AND ST_X(r.location::geometry) = c.lon AND ST_Y(r.location::geometry) = c.lat
            AND ${where}
          ORDER BY r.id
          LIMIT 1) s`,
    args,
  );
  return rows;
}

/** How many reports match a scoped filter, counting no further than `cap` + 1. */
export async function countReports(db: Queryable, f: ScopedFilter, cap: number): Promise<number> {
  const { args, arg } = queryArgs();
  const where = filterConditions(f, arg);
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n
       FROM (SELECT 1 FROM reports r WHERE ${where.join(' AND ')} LIMIT ${arg(cap + 1)}) capped`,
    args,
  );
  return rows[0]?.n ?? 0;
}

interface RelatedDbRow {
  id: string;
  status: ReportStatus;
  category_code: string;
  label_fr: string;
  label_en: string;
  address: string | null;
  received_at: Date;
  distance_m: number;
}

const toRelated = (r: RelatedDbRow): RelatedReport => ({
  id: r.id,
  status: r.status,
  category: { code: r.category_code, labelFr: r.label_fr, labelEn: r.label_en },
  address: r.address,
  receivedAt: r.received_at.toISOString(),
  distanceMetres: Math.round(r.distance_m * 10) / 10,
});

/** The columns of a related report `r`, seen from report `me`. */
const RELATED_COLUMNS = `r.id, r.status, ca.code AS category_code, ca.label_fr, ca.label_en, r.address,
       r.received_at, ST_Distance(r.location, me.location) AS distance_m`;

/** The report a duplicate points at (the kept one), if it is in the same commune. */
export async function findKeptReport(
  db: Queryable,
  id: string,
  communeId: number,
): Promise<RelatedReport | undefined> {
  const { rows } = await db.query<RelatedDbRow>(
    `SELECT ${RELATED_COLUMNS}
       FROM reports me
       JOIN reports r ON r.id = me.duplicate_of AND r.commune_id = me.commune_id
       JOIN categories ca ON ca.id = r.category_id
      WHERE me.id = $1 AND me.commune_id = $2`,
    [id, communeId],
  );
  return rows[0] && toRelated(rows[0]);
}

/** The reports marked as duplicates of this one (same commune), oldest first. */
export async function listDuplicates(
  db: Queryable,
  id: string,
  communeId: number,
  limit: number,
): Promise<RelatedReport[]> {
  // reports_duplicate_of_idx finds them.
  const { rows } = await db.query<RelatedDbRow>(
    `SELECT ${RELATED_COLUMNS}
       FROM reports me
       JOIN reports r ON r.duplicate_of = me.id AND r.commune_id = me.commune_id
       JOIN categories ca ON ca.id = r.category_id
      WHERE me.id = $1 AND me.commune_id = $2
      ORDER BY r.received_at, r.id
      LIMIT $3`,
    [id, communeId, limit],
  );
  return rows.map(toRelated);
}

/** Other reports of the same commune within `metres` of this one, any status, nearest first. */
export async function listNearby(
  db: Queryable,
  id: string,
  communeId: number,
  metres: number,
  limit: number,
): Promise<RelatedReport[]> {
  // ST_DWithin on geography: reports_location_idx (GiST) finds the candidates.
  const { rows } = await db.query<RelatedDbRow>(
    `SELECT ${RELATED_COLUMNS}
       FROM reports me
       JOIN reports r ON r.commune_id = me.commune_id AND r.id <> me.id
                     AND ST_DWithin(r.location, me.location, $3)
       JOIN categories ca ON ca.id = r.category_id
      WHERE me.id = $1 AND me.commune_id = $2
      ORDER BY distance_m, r.received_at DESC, r.id
      LIMIT $4`,
    [id, communeId, metres, limit],
  );
  return rows.map(toRelated);
}
