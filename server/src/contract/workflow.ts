import { REPORT_STATUSES, type ReportStatus } from './common';

/**
 * The life cycle of a report (pure: no database). Every status change in Vigie, whoever makes
 * it (a supervisor triaging, a crew at a stop, the planner publishing a round), is checked here.
 *
 *   new ──> acknowledged ──> planned ──> in_progress ──> fixed
 *    │           │              │  ^          │           not_fixable
 *    └───────────┴──────────────┴──┼──────────┴────────>  duplicate (of a kept report)
 *                                  │                      rejected (with a reason)
 *    closed reports are reopened to acknowledged; a round that ends unfinished returns its
 *    reports to acknowledged (the open pool).
 */

/** Statuses in which the report needs no more work (counted from `closed_at`). */
export const CLOSED_STATUSES: readonly ReportStatus[] = ['fixed', 'not_fixable', 'duplicate', 'rejected'];

/** Whether a status is closed. */
export function isClosed(status: ReportStatus): boolean {
  return CLOSED_STATUSES.includes(status);
}

/** Where each status may go next. Staying in the same status is not a transition (a no-op). */
export const TRANSITIONS: Readonly<Record<ReportStatus, readonly ReportStatus[]>> = {
  new: ['acknowledged', 'planned', 'in_progress', 'fixed', 'not_fixable', 'duplicate', 'rejected'],
  acknowledged: ['planned', 'in_progress', 'fixed', 'not_fixable', 'duplicate', 'rejected'],
  planned: ['acknowledged', 'in_progress', 'fixed', 'not_fixable', 'duplicate', 'rejected'],
  // Work has started: it ends fixed or not fixable (or turns out to duplicate another report),
  // or goes back to the pool or to its round.
  in_progress: ['acknowledged', 'planned', 'fixed', 'not_fixable', 'duplicate'],
  // Reopened: the defect came back, the duplicate was not one, the rejection was a mistake.
  fixed: ['acknowledged'],
  not_fixable: ['acknowledged'],
  duplicate: ['acknowledged'],
  rejected: ['acknowledged'],
};

/** Whether a report may go from one status to another. */
export function canTransition(from: ReportStatus, to: ReportStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The statuses a report may go to from `from`, in the order of the life cycle. */
export function nextStatuses(from: ReportStatus): ReportStatus[] {
  return REPORT_STATUSES.filter((s) => canTransition(from, s));
}

/** What a transition needs besides the target status. */
export interface TransitionNeeds {
  /** A duplicate must name the report that is kept. */
  duplicateOf: boolean;
  /** A rejection must say why (the resident reads it). */
  reason: boolean;
}

/** What a transition to `to` requires. */
export function needs(to: ReportStatus): TransitionNeeds {
  return { duplicateOf: to === 'duplicate', reason: to === 'rejected' };
}
