import { REPORT_STATUSES, type ReportStatus } from '../contract/common';
import { isClosed } from '../contract/workflow';

/**
 * How Vigie's report life cycle reads in Open311, which knows two statuses: `open` (reported,
 * still to do: new, acknowledged, planned, in progress) and `closed` (resolved one way or
 * another: fixed, not fixable, duplicate, rejected). Pure.
 */

/** Open311's status of a report. */
export function open311Status(status: ReportStatus): 'open' | 'closed' {
  return isClosed(status) ? 'closed' : 'open';
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
  /** The day of the published round that will do it (`YYYY-MM-DD`), if any. */
  expectedDay: string | null;
}

/** What each status means for the person who reported, when the town hall wrote nothing. */
const STATUS_TEXT: Record<ReportStatus, string | null> = {
  new: null,
  acknowledged: 'Pris en compte par la mairie.',
  planned: 'Intervention planifiée.',
  in_progress: 'Intervention en cours.',
  fixed: 'Réparé.',
  not_fixable: 'La commune ne peut pas le réparer.',
  duplicate: 'Doublon d’un autre signalement.',
  rejected: 'Refusé par la mairie.',
};

/**
 * `status_notes`: "explanation of why status was changed to current state or more details on
 * current status". The town hall's reason for a rejection or a not-fixable report where it wrote
 * one, the kept report of a duplicate, the day of the round that will do it; otherwise what the
 * status means, in French (the commune's language). Staff notes are internal and never used.
 */
export function statusNotes(f: StatusNoteFacts): string | null {
  const reason = f.statusReason?.trim() || null;
  if (open311Status(f.status) === 'closed' && reason) return reason;
  if (f.status === 'duplicate' && f.duplicateOf) return `Doublon du signalement ${f.duplicateOf}.`;
  if (f.expectedDay && open311Status(f.status) === 'open') {
    const [y, m, d] = f.expectedDay.split('-');
    return `Intervention prévue le ${d}/${m}/${y}.`;
  }
  return STATUS_TEXT[f.status];
}
