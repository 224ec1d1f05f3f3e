import { OPEN_STATUSES, REPORT_STATUSES, type ReportStatus } from '../contract/common';

/**
 * How Vigie's report life cycle reads in Open311, which knows two statuses: `open` (reported,
 * still to do: new, acknowledged, planned, in progress) and `closed` (resolved one way or
 * another: fixed, not fixable, duplicate, rejected). Pure.
 */

/** Open311's status of a report. */
export function open311Status(status: ReportStatus): 'open' | 'closed' {
  return OPEN_STATUSES.includes(status) ? 'open' : 'closed';
}

/** The report statuses an Open311 `status` filter stands for (both: every status). */
export function reportStatusesFor(statuses: ReadonlyArray<'open' | 'closed'>): ReportStatus[] {
  return REPORT_STATUSES.filter((s) => statuses.includes(open311Status(s)));
}

/** What `status_notes` is made from. */
export interface StatusNoteFacts {
  status: ReportStatus;
  /** Why it was rejected or is not fixable (the town hall writes it for the resident). */
  statusReason: string | null;
  /** The kept report, for a duplicate. */
  duplicateOf: string | null;
  /** The text of the latest public update of the report, if any. */
  latestPublicNote: string | null;
}

/**
 * `status_notes`: "explanation of why status was changed to current state or more details on
 * current status". The reason of a closing where there is one, a duplicate's kept report, else
 * the latest public update; null when there is nothing to say.
 */
export function statusNotes(f: StatusNoteFacts): string | null {
  const reason = f.statusReason?.trim() || null;
  if (f.status === 'duplicate') {
    if (reason) return reason;
    return f.duplicateOf ? `Doublon du signalement ${f.duplicateOf}.` : 'Doublon d’un autre signalement.';
  }
  if (open311Status(f.status) === 'closed' && reason) return reason;
  return f.latestPublicNote?.trim() || null;
}
