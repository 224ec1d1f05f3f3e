import type { Request } from 'express';
import type { Pool } from 'pg';
import type { Queryable } from '../db';
import type { Principal } from '../auth/policy';
import type { ReportFilter } from '../contract/filters';
import {
  COUNT_CAP,
  MAX_RELATED,
  RELATED_NEARBY_METRES,
  type ClustersAnswer,
  type ClustersQuery,
  type CountAnswer,
  type RelatedReports,
} from '../contract/history';
import { scopeFilter } from '../reports/reports.scope';
import { clusterGrid } from './history.grid';
import * as repo from './history.repo';

/** What the history service needs. */
export interface HistoryDeps {
  pool: Pool;
}

/** Six decimals of a degree: about 10 cm, as precise as a marker needs, and a smaller answer. */
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * The filtered reports of a map viewport grouped in grid cells sized for the zoom (at most a
 * few hundred cells, whatever the number of reports): counts, mean positions, and the report
 * of each single-report cell. Scoped like the list: another commune's reports are never counted.
 */
export async function clusters(
  deps: HistoryDeps,
  req: Request,
  p: Principal,
  q: ClustersQuery,
): Promise<ClustersAnswer> {
  const { zoom, bbox: viewport, ...filter } = q;
  const grid = clusterGrid(viewport, zoom);
  const answer = {
    bbox: [grid.bbox.minLon, grid.bbox.minLat, grid.bbox.maxLon, grid.bbox.maxLat].map(round6) as [
      number,
      number,
      number,
      number,
    ],
    cellSize: { lon: grid.size.lon, lat: grid.size.lat },
  };
  const scoped = await scopeFilter(deps.pool, req, p, filter, 'reports:read');
  if (!scoped) return { cells: [], total: 0, ...answer };
  const filtered = { ...scoped, bbox: grid.bbox };
  const rows = await repo.clusterCells(deps.pool, filtered, grid.size);
  const singles = rows.filter((r) => r.count === 1);
  const found = new Map(
    (await repo.reportsAtPoints(deps.pool, filtered, singles)).map((s) => [singles[s.i], s] as const),
  );
  return {
    cells: rows.map((r) => {
      const one = found.get(r);
      return {
        lat: round6(r.lat),
        lon: round6(r.lon),
        count: r.count,
        report: one ? { id: one.id, status: one.status, category: one.category } : null,
      };
    }),
    total: rows.reduce((n, r) => n + r.count, 0),
    ...answer,
  };
}

/** How many reports match the filter (exact up to COUNT_CAP, "more than" beyond). */
export async function count(
  deps: HistoryDeps,
  req: Request,
  p: Principal,
  filter: ReportFilter,
): Promise<CountAnswer> {
  const scoped = await scopeFilter(deps.pool, req, p, filter, 'reports:read');
  if (!scoped) return { count: 0, capped: false };
  const n = await repo.countReports(deps.pool, scoped, COUNT_CAP);
  return n > COUNT_CAP ? { count: COUNT_CAP, capped: true } : { count: n, capped: false };
}

/**
 * The reports related to one report of a commune: the one it duplicates, its duplicates, and
 * the commune's other reports nearby. The caller has already authorised reading the report.
 */
export async function relatedReports(db: Queryable, id: string, communeId: number): Promise<RelatedReports> {
  const [kept, duplicates, nearby] = await Promise.all([
    repo.findKeptReport(db, id, communeId),
    repo.listDuplicates(db, id, communeId, MAX_RELATED),
    repo.listNearby(db, id, communeId, RELATED_NEARBY_METRES, MAX_RELATED),
  ]);
  return { keptReport: kept ?? null, duplicates, nearby };
}
