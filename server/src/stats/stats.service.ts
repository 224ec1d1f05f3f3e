import type { Request } from 'express';
import type { Pool } from 'pg';
import { OPEN_STATUSES, REPORT_STATUSES, type ReportStatus } from '../contract/common';
import type { ReportFilter } from '../contract/filters';
import {
  MAX_HOTSPOT_CELLS,
  MAX_PERIODS,
  periodRange,
  type BacklogAnswer,
  type HotspotsAnswer,
  type HotspotsQuery,
  type ResolutionAnswer,
  type StatsQuery,
  type SummaryAnswer,
  type TimelineAnswer,
  type TimelineQuery,
} from '../contract/stats';
import { CLOSED_STATUSES } from '../contract/workflow';
import { AuthorizationError, ValidationError } from '../errors';
import type { Principal } from '../auth/policy';
import { scopeFilter } from '../reports/reports.scope';
import type { ScopedFilter } from '../reports/reports.filter.repo';
import * as repo from './stats.repo';

/** What the statistics need from the outside world. */
export interface StatsDeps {
  pool: Pool;
  /** The clock: backlog ages and "today" are counted from it. */
  now: () => Date;
}

/**
 * Scopes a statistics filter to the communes where the caller may read statistics. A caller
 * who may read them nowhere gets a 403 (an empty figure would read as "no reports").
 */
async function scoped(
  deps: StatsDeps,
  req: Request,
  p: Principal,
  filter: ReportFilter,
): Promise<ScopedFilter> {
  const f = await scopeFilter(deps.pool, req, p, filter, 'stats:read');
  if (!f) throw AuthorizationError('Statistics are for supervisors and admins.');
  return f;
}

/** How many reports the filter holds, by status, with the categories in view. */
export async function summary(
  deps: StatsDeps,
  req: Request,
  p: Principal,
  q: StatsQuery,
): Promise<SummaryAnswer> {
  const f = await scoped(deps, req, p, q);
  const [counts, categories, today] = await Promise.all([
    repo.countByStatus(deps.pool, f),
    repo.listCategories(deps.pool, f.communeIds),
    repo.localToday(deps.pool, f.timezone, deps.now()),
  ]);
  const byStatus = Object.fromEntries(REPORT_STATUSES.map((s) => [s, 0])) as Record<ReportStatus, number>;
  for (const c of counts) byStatus[c.status] = c.count;
  const sum = (list: readonly ReportStatus[]) => list.reduce((n, s) => n + byStatus[s], 0);
  return {
    timezone: f.timezone,
    today,
    total: sum(REPORT_STATUSES),
    open: sum(OPEN_STATUSES),
    closed: sum(CLOSED_STATUSES),
    byStatus,
    categories,
  };
}

const tooManyPeriods = (interval: string) =>
  ValidationError(
    `interval: more than ${MAX_PERIODS} periods of one ${interval}; choose a longer interval or narrow the dates`,
    'interval',
    'too_many_periods',
  );

/**
 * Reports received per period, category and status. The periods run from the filter's `from`
 * (or the first report) to its `to` (or the last report), every period listed even when empty.
 */
export async function timeline(
  deps: StatsDeps,
  req: Request,
  p: Principal,
  q: TimelineQuery,
): Promise<TimelineAnswer> {
  const { interval, ...filter } = q;
  const f = await scoped(deps, req, p, filter);
  if (q.from && q.to && !periodRange(q.from, q.to, interval)) throw tooManyPeriods(interval);
  const t = await repo.timeline(deps.pool, f, interval, MAX_PERIODS);
  const first = q.from ?? t.first;
  const last = q.to ?? t.last;
  const periods = first && last && first <= last ? periodRange(first, last, interval) : [];
  if (!periods || (t.first !== null && t.rows.length === 0)) throw tooManyPeriods(interval);
  return { interval, timezone: f.timezone, periods, rows: t.rows };
}

/** Median and 90th percentile time to fix and to close, per category and overall. */
export async function resolution(
  deps: StatsDeps,
  req: Request,
  p: Principal,
  q: StatsQuery,
): Promise<ResolutionAnswer> {
  const f = await scoped(deps, req, p, q);
  return { rows: await repo.resolution(deps.pool, f) };
}

/** The open backlog by age bucket and category. */
export async function backlog(
  deps: StatsDeps,
  req: Request,
  p: Principal,
  q: StatsQuery,
): Promise<BacklogAnswer> {
  const f = await scoped(deps, req, p, q);
  const today = await repo.localToday(deps.pool, f.timezone, deps.now());
  return { timezone: f.timezone, today, ...(await repo.backlog(deps.pool, f, today)) };
}

/** Reports per grid cell, busiest cells first. */
export async function hotspots(
  deps: StatsDeps,
  req: Request,
  p: Principal,
  q: HotspotsQuery,
): Promise<HotspotsAnswer> {
  const { cell, ...filter } = q;
  const f = await scoped(deps, req, p, filter);
  const cells = await repo.hotspots(deps.pool, f, cell, MAX_HOTSPOT_CELLS + 1);
  return {
    cellMetres: cell,
    truncated: cells.length > MAX_HOTSPOT_CELLS,
    cells: cells.slice(0, MAX_HOTSPOT_CELLS),
  };
}
