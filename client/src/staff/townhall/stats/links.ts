import { OPEN_STATUSES, REPORT_STATUSES, type ReportStatus } from '../../../../../server/src/contract/common';
import {
  bucketDays,
  earlierDay,
  laterDay,
  periodEnd,
  type BACKLOG_BUCKETS,
  type HotspotCell,
  type StatsInterval,
} from '../../../../../server/src/contract/stats';
import { CLOSED_STATUSES } from '../../../../../server/src/contract/workflow';
import type { FilterParams } from '../filters';

/**
 * What each figure of the statistics screen links to: the filter of the history list that
 * shows exactly the reports the figure counts. It is the screen's filter narrowed by the
 * figure (its period, category, status, age or cell), so the list and the figure agree.
 */

/** The statuses of a filter (every status when it names none). */
function statusesOf(f: FilterParams): ReportStatus[] {
  if (!f.status) return [...REPORT_STATUSES];
  const named = f.status.split(',');
  return REPORT_STATUSES.filter((s) => named.includes(s));
}

/** The filter's statuses kept to `only` (an impossible filter stays impossible: no status matches). */
function narrowStatuses(f: FilterParams, only: readonly ReportStatus[]): string {
  const kept = statusesOf(f).filter((s) => only.includes(s));
  return kept.length > 0 ? kept.join(',') : only.join(',');
}

/** The filter's days narrowed to a range (`from` undefined: no lower bound). */
function narrowDays(f: FilterParams, from: string | undefined, to: string): FilterParams {
  const lower = laterDay(f.from, from);
  const upper = earlierDay(f.to, to);
  return { ...f, ...(lower ? { from: lower } : {}), to: upper ?? to };
}

/** Reports of one status group: `open`, `closed`, or one status. */
export function statusFilter(f: FilterParams, which: 'open' | 'closed' | ReportStatus): FilterParams {
  const only = which === 'open' ? OPEN_STATUSES : which === 'closed' ? CLOSED_STATUSES : [which];
  return { ...f, status: narrowStatuses(f, only) };
}

/** Reports received in one period, optionally of one category and one status. */
export function periodFilter(
  f: FilterParams,
  period: string,
  interval: StatsInterval,
  category?: string,
  status?: ReportStatus,
): FilterParams {
  const narrowed = narrowDays(f, period, periodEnd(period, interval));
  return {
    ...narrowed,
    ...(category ? { category } : {}),
    ...(status ? { status } : {}),
  };
}

/** Fixed (or closed) reports of a category (all categories when undefined). */
export function resolutionFilter(
  f: FilterParams,
  category: string | undefined,
  which: 'fixed' | 'closed',
): FilterParams {
  return {
    ...statusFilter(f, which === 'fixed' ? 'fixed' : 'closed'),
    ...(category ? { category } : {}),
  };
}

/** Open reports of an age bucket (received between its days), optionally of one category. */
export function backlogFilter(
  f: FilterParams,
  bucket: (typeof BACKLOG_BUCKETS)[number],
  today: string,
  category?: string,
): FilterParams {
  const days = bucketDays(bucket, today);
  return {
    ...narrowDays(statusFilter(f, 'open'), days.from, days.to),
    ...(category ? { category } : {}),
  };
}

/**
 * Reports inside a hotspot cell, as the list's `area` (the cell's four corners): the history
 * screen keeps an area as drawn, whereas its `bbox` follows the map's viewport once the map has
 * moved. When the screen's filter already has an area, the cell narrows its rectangle instead.
 */
export function cellFilter(f: FilterParams, cell: HotspotCell): FilterParams {
  const [w, s, e, n] = [cell.minLon, cell.minLat, cell.maxLon, cell.maxLat].map(String);
  if (!f.area) return { ...f, area: `${w},${s};${e},${s};${e},${n};${w},${n}` };
  let [minLon, minLat, maxLon, maxLat] = [cell.minLon, cell.minLat, cell.maxLon, cell.maxLat];
  const own = f.bbox?.split(',').map(Number);
  if (own && own.length === 4 && own.every(Number.isFinite)) {
    minLon = Math.max(minLon, own[0]!);
    minLat = Math.max(minLat, own[1]!);
    maxLon = Math.min(maxLon, own[2]!);
    maxLat = Math.min(maxLat, own[3]!);
  }
  return { ...f, bbox: [minLon, minLat, maxLon, maxLat].map(String).join(',') };
}
