import type {
  BacklogAnswer,
  HotspotsAnswer,
  ResolutionAnswer,
  StatsInterval,
  SummaryAnswer,
  TimelineAnswer,
} from '../../../../../server/src/contract/stats';
import { request } from '../../api';
import { filterToQuery, type FilterParams } from '../filters';

/** The statistics requests, each with the screen's filter (`GET /api/stats/...`). */

const get = <T>(figure: string, f: FilterParams, extra: Record<string, string | undefined> = {}) =>
  request<T>(`/api/stats/${figure}?${filterToQuery(f, extra).toString()}`);

/** Reports of the filter by status, and the categories in view. */
export const fetchSummary = (f: FilterParams) => get<SummaryAnswer>('summary', f);
/** Reports per period, category and status. */
export const fetchTimeline = (f: FilterParams, interval: StatsInterval) =>
  get<TimelineAnswer>('timeline', f, { interval });
/** Median and 90th percentile time to fix and to close per category. */
export const fetchResolution = (f: FilterParams) => get<ResolutionAnswer>('resolution', f);
/** Open reports by age bucket. */
export const fetchBacklog = (f: FilterParams) => get<BacklogAnswer>('backlog', f);
/** Reports per grid cell. */
export const fetchHotspots = (f: FilterParams, cell: number) =>
  get<HotspotsAnswer>('hotspots', f, { cell: String(cell) });
