import { z } from 'zod';
import { integer, ReportStatus } from './common';
import { checkFilterDates, ReportFilterFields } from './filters';

/**
 * The town hall's statistics (`GET /api/stats/...`): every request takes the shared report
 * filter, so each figure is the size of a list the history screen can show, and clicking it
 * opens that list. Days, weeks and months are the commune's (its time zone).
 */

/** How the reports-over-time figure groups days. Weeks start on Monday (ISO 8601). */
export const STATS_INTERVALS = ['day', 'week', 'month'] as const;
export const StatsInterval = z.enum(STATS_INTERVALS);
export type StatsInterval = z.infer<typeof StatsInterval>;

/** Most periods one reports-over-time answer may span (a year of days, with room). */
export const MAX_PERIODS = 400;

/** Side of a hotspot cell when the request names none, metres. */
export const DEFAULT_HOTSPOT_CELL = 250;
/** Hotspot cell sizes the screen offers, in metres (any size within the schema's bounds is accepted). */
export const HOTSPOT_CELLS = [100, 250, 500, 1000] as const;
/** Most hotspot cells one answer holds (the busiest first). */
export const MAX_HOTSPOT_CELLS = 2000;

/** Query of `GET /api/stats/summary`, `/resolution` and `/backlog`: the shared report filter. */
export const StatsQuery = ReportFilterFields.superRefine(checkFilterDates);
export type StatsQuery = z.infer<typeof StatsQuery>;

/** Query of `GET /api/stats/timeline`. */
export const TimelineQuery = ReportFilterFields.extend({
  /** Length of a period: `day`, `week` (from Monday) or `month`. */
  interval: StatsInterval.default('month'),
}).superRefine(checkFilterDates);
export type TimelineQuery = z.infer<typeof TimelineQuery>;

/** Query of `GET /api/stats/hotspots`. */
export const HotspotsQuery = ReportFilterFields.extend({
  /** Side of a grid cell, metres (25 to 5000). */
  cell: integer(25, 5000).default(DEFAULT_HOTSPOT_CELL),
}).superRefine(checkFilterDates);
export type HotspotsQuery = z.infer<typeof HotspotsQuery>;

/** A category of the communes in view (codes are what filters and answers carry). */
export const StatsCategory = z.object({ code: z.string(), labelFr: z.string(), labelEn: z.string() });
export type StatsCategory = z.infer<typeof StatsCategory>;

/** Answer of `GET /api/stats/summary`: how many reports the filter holds, by status. */
export const SummaryAnswer = z.object({
  /** Time zone the days are counted in (the commune's). */
  timezone: z.string(),
  /** Today in that time zone (YYYY-MM-DD): backlog ages are counted from it. */
  today: z.string(),
  total: z.number().int(),
  /** Reports in an open status (new, acknowledged, planned, in progress). */
  open: z.number().int(),
  /** Reports in a closed status (fixed, not fixable, duplicate, rejected). */
  closed: z.number().int(),
  byStatus: z.record(ReportStatus, z.number().int()),
  /** The categories of the communes in view, for labels and the category filter. */
  categories: z.array(StatsCategory),
});
export type SummaryAnswer = z.infer<typeof SummaryAnswer>;

/** Answer of `GET /api/stats/timeline`: reports received per period, category and status. */
export const TimelineAnswer = z.object({
  interval: StatsInterval,
  timezone: z.string(),
  /** Every period of the range, oldest first, as its first day (YYYY-MM-DD); empty when no report. */
  periods: z.array(z.string()),
  /** Non-zero counts only. */
  rows: z.array(
    z.object({ period: z.string(), category: z.string(), status: ReportStatus, count: z.number().int() }),
  ),
});
export type TimelineAnswer = z.infer<typeof TimelineAnswer>;

/** Time to fix and to close of one category (null: every category together). */
export const ResolutionRow = z.object({
  category: z.string().nullable(),
  /** Reports fixed (status `fixed`). */
  fixed: z.number().int(),
  /** Median of closed_at - received_at over fixed reports, hours; null when none. */
  fixMedianHours: z.number().nullable(),
  /** 90th percentile of the same, hours. */
  fixP90Hours: z.number().nullable(),
  /** Reports closed in any way (fixed, not fixable, duplicate, rejected). */
  closed: z.number().int(),
  /** Median time to close (any closed status), hours. */
  closeMedianHours: z.number().nullable(),
  /** 90th percentile time to close, hours. */
  closeP90Hours: z.number().nullable(),
});
export type ResolutionRow = z.infer<typeof ResolutionRow>;

/** Answer of `GET /api/stats/resolution`: percentiles are continuous (`percentile_cont`). */
export const ResolutionAnswer = z.object({
  /** One row per category with closed reports, then the all-categories row (category null). */
  rows: z.array(ResolutionRow),
});
export type ResolutionAnswer = z.infer<typeof ResolutionAnswer>;

/**
 * Age buckets of the open backlog, in whole days between the day a report was received and
 * today (both in the commune's time zone). `maxDays` null: no upper bound.
 */
export const BACKLOG_BUCKETS = [
  { key: 'week', minDays: 0, maxDays: 6 },
  { key: 'month', minDays: 7, maxDays: 29 },
  { key: 'quarter', minDays: 30, maxDays: 89 },
  { key: 'year', minDays: 90, maxDays: 364 },
  { key: 'older', minDays: 365, maxDays: null },
] as const;
export type BacklogBucketKey = (typeof BACKLOG_BUCKETS)[number]['key'];
export const BacklogBucketKey = z.enum(BACKLOG_BUCKETS.map((b) => b.key) as [BacklogBucketKey]);

/** Answer of `GET /api/stats/backlog`: open reports by age. */
export const BacklogAnswer = z.object({
  timezone: z.string(),
  today: z.string(),
  /** Open reports in view. */
  open: z.number().int(),
  /** Median age of the open reports, days (null when none). */
  medianAgeDays: z.number().nullable(),
  /** Age of the oldest open report, days. */
  maxAgeDays: z.number().int().nullable(),
  /** Non-zero counts per bucket and category. */
  rows: z.array(z.object({ bucket: BacklogBucketKey, category: z.string(), count: z.number().int() })),
});
export type BacklogAnswer = z.infer<typeof BacklogAnswer>;

/** A grid cell of the hotspot map: a lon/lat rectangle, usable as the list's `bbox` (or `area`) filter. */
export const HotspotCell = z.object({
  minLon: z.number(),
  minLat: z.number(),
  maxLon: z.number(),
  maxLat: z.number(),
  count: z.number().int(),
  /** Of which still open. */
  open: z.number().int(),
});
export type HotspotCell = z.infer<typeof HotspotCell>;

/** Answer of `GET /api/stats/hotspots`: cells of about `cellMetres` a side, busiest first. */
export const HotspotsAnswer = z.object({
  cellMetres: z.number().int(),
  /** More cells had reports than the answer holds (the quietest were left out). */
  truncated: z.boolean(),
  cells: z.array(HotspotCell),
});
export type HotspotsAnswer = z.infer<typeof HotspotsAnswer>;

// Calendar helpers shared by the server (the range of periods) and the client (links to the
// list of one period). Dates are calendar days (YYYY-MM-DD), computed in UTC arithmetic so
// that no time zone of the machine leaks in.

const DAY_MS = 86_400_000;
const toDay = (d: string) => Date.parse(`${d}T00:00:00Z`);
const fromMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Adds days to a calendar day. */
export function addDays(day: string, days: number): string {
  return fromMs(toDay(day) + days * DAY_MS);
}

/** Whole days from `a` to `b` (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toDay(b) - toDay(a)) / DAY_MS);
}

/** The first day of the period holding `day` (Monday for weeks, the 1st for months). */
export function periodStart(day: string, interval: StatsInterval): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  const weekday = (new Date(toDay(day)).getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
  return addDays(day, -weekday);
}

/** The first day of the next period. */
export function nextPeriod(start: string, interval: StatsInterval): string {
  if (interval === 'day') return addDays(start, 1);
  if (interval === 'week') return addDays(start, 7);
  const d = new Date(toDay(start));
  return fromMs(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

/** The last day of a period (the list's `to` filter for it). */
export function periodEnd(start: string, interval: StatsInterval): string {
  return addDays(nextPeriod(start, interval), -1);
}

/**
 * Every period from the one holding `first` to the one holding `last`, as first days; at most
 * `max` (undefined when there would be more: the caller refuses the request).
 */
export function periodRange(
  first: string,
  last: string,
  interval: StatsInterval,
  max = MAX_PERIODS,
): string[] | undefined {
  const out: string[] = [];
  const end = periodStart(last, interval);
  for (let p = periodStart(first, interval); p <= end; p = nextPeriod(p, interval)) {
    if (out.length === max) return undefined;
    out.push(p);
  }
  return out;
}

/** The later of two optional days. */
export function laterDay(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** The earlier of two optional days. */
export function earlierDay(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

/**
 * The days of receipt that make an age bucket on `today` (`from` undefined for the oldest,
 * unbounded bucket): a report of age n days was received on today - n.
 */
export function bucketDays(
  bucket: { minDays: number; maxDays: number | null },
  today: string,
): { from: string | undefined; to: string } {
  return {
    from: bucket.maxDays === null ? undefined : addDays(today, -bucket.maxDays),
    to: addDays(today, -bucket.minDays),
  };
}
