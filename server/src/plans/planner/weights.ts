import type { Priority } from './types';

/**
 * Value of serving a report, relative to a fresh 'low' one. 'danger' is far above the rest, and the
 * planner additionally puts it in a tier of its own (its prize exceeds the sum of all other prizes), so
 * no amount of ordinary work ever displaces a danger report.
 */
export const PRIORITY_FACTOR: Readonly<Record<Priority, number>> = {
  low: 1,
  normal: 2,
  high: 4,
  danger: 1000,
};

/**
 * Days after which a report's weight has doubled. Linear and unbounded on purpose: an old 'low' report
 * eventually outweighs a fresh 'high' one (after 3 x 30 days), so nothing waits forever.
 */
export const AGE_DAYS_PER_BONUS = 30;

/** Weight of a report: priority factor x (1 + age / 30 days). The planner maximises the served sum. */
export function reportWeight(priority: Priority, ageDays: number): number {
  const age = Number.isFinite(ageDays) && ageDays > 0 ? ageDays : 0;
  return PRIORITY_FACTOR[priority] * (1 + age / AGE_DAYS_PER_BONUS);
}

/** Weights are scaled to integers so that sums stay exact during the search. */
export const WEIGHT_SCALE = 100;
